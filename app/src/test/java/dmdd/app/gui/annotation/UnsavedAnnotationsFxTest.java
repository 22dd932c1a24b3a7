package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.FxToolkit;
import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.ScriptedInspectionEngine;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.MaskIo;
import dmdd.model.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Closing the workstation while the disk refuses an annotation (full, read-only): it asks instead of dropping the
 * paint, Cancel keeps the window and the paint, and Try again saves it once the disk takes it, then closes.
 */
@ExtendWith(ApplicationExtension.class)
class UnsavedAnnotationsFxTest {
    private Workstation workstation;
    private Stage stage;
    private Path userData;

    @Start
    void start(Stage primary) throws Exception {
        userData = dmdd.app.testing.TempFolders.create("dmdd-gui-unsaved");
        stage = new Stage();
        workstation = WorkstationApplication.open(stage, new Workspace(userData), new DmddTrainingEngine(),
                new ScriptedInspectionEngine());
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> stage.close());
        AnnotationFxTest.deleteTree(userData);
    }

    @Test
    void closingWithARefusedAnnotationAsksAndKeepsThePaintUntilTheDiskTakesIt(FxRobot robot) throws Exception {
        AnnotationViewModel annotation = workstation.annotation();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxToolkit.onFx(
                () -> annotation.entries().stream().anyMatch(e -> e.label() == Label.OK)));
        Path project = workstation.main().projectProperty().get().folder();
        int good = FxToolkit.onFx(() -> {
            int i = 0;
            while (annotation.entries().get(i).label() != Label.OK) {
                i++;
            }
            return i;
        });
        Path image = FxToolkit.onFx(() -> annotation.entries().get(good).file());
        robot.interact(() -> annotation.select(good));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxToolkit.onFx(
                () -> annotation.imageProperty().get() != null && annotation.selectedIndexProperty().get() == good));

        // a file where the new defect type's mask folder must go: what a full or read-only disk does to a save
        Path blocker = Files.writeString(Files.createDirectories(project.resolve("ground_truth")).resolve("scuff"),
                "x");
        robot.interact(() -> {
            assertThat(annotation.chooseDefectType("scuff")).isTrue();
            annotation.press(5, 5);
            annotation.drag(25, 5);
            annotation.release();
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> FxToolkit.onFx(() -> annotation.statusProperty().get().startsWith("Could not save")));
        Path mask = project.resolve("ground_truth/scuff/" + stem(image) + "_mask.png");

        // The window's close button: it asks, naming the image; Cancel stays with the paint.
        requestClose();
        DialogPane ask = dialog(robot);
        assertThat(ask.getContentText()).contains("1 image(s)").contains(image.getFileName().toString());
        robot.clickOn(ask.lookupButton(ButtonType.CANCEL));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stage.isShowing()).isTrue();
        // (not doesNotExist(): below a file, a path's existence cannot be told, and notExists says false)
        assertThat(Files.exists(mask)).isFalse();

        // Asked again; the disk takes it now, and Try again saves the paint and closes.
        requestClose();
        ask = dialog(robot);
        Files.delete(blocker);
        robot.clickOn(ask.lookupButton(UnsavedAnnotationsDialog.TRY_AGAIN));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !FxToolkit.onFx(stage::isShowing));
        assertThat(MaskIo.read(mask).area()).isPositive();
    }

    /** Asks the window to close without waiting: the question is a nested event loop on the FX thread. */
    private void requestClose() {
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    private static DialogPane dialog(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        return robot.lookup(".dialog-pane").queryAs(DialogPane.class);
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
