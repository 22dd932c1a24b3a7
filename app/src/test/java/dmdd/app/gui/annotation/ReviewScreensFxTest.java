package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.app.gui.inspection.ScriptedInspectionEngine;
import dmdd.model.project.Workspace;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.image.MaskIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Annotate and Measure tabs inside the running workstation (headless, scripted model): they list
 * the open project's images, "start from prediction" uses the inspection screen's model and pixel
 * threshold, and the Measure tab follows the inspection screen's image threshold.
 */
@ExtendWith(ApplicationExtension.class)
class ReviewScreensFxTest {
    private final ScriptedInspectionEngine engine = new ScriptedInspectionEngine();
    private Workstation workstation;
    private Path userData;

    @Start
    void start(Stage primary) throws Exception {
        userData = dmdd.app.testing.TempFolders.create("dmdd-gui-review");
        workstation = WorkstationApplication.open(new Stage(), new Workspace(userData), new DmddTrainingEngine(), engine);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> ((Stage) workstation.view().root().getScene().getWindow()).close());
        AnnotationFxTest.deleteTree(userData);
    }

    @Test
    void annotateAndMeasureWorkWithTheInspectionScreen(FxRobot robot) throws Exception {
        InspectionViewModel inspection = workstation.inspection();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> inspection.modelReadyProperty().get());
        Node root = workstation.view().root();
        TabPane screens = workstation.view().screens();
        Tab annotate = tab(screens, "annotationTab");
        assertThat(tab(screens, "metricsTab")).isNotNull();

        robot.interact(() -> screens.getSelectionModel().select(annotate));
        ListView<?> list = robot.from(root).lookup("#imageList").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !list.getItems().isEmpty());
        // The sample project is an MVTec import: good images read as OK, defect images as their type.
        assertThat(list.getItems()).map(Object::toString).anyMatch(e -> e.contains("label=OK"))
                .anyMatch(e -> e.contains("label=DEFECT"));

        // Start from the prediction on a good image: the scripted map above the inspection's pixel threshold.
        int goodIndex = 0;
        while (!list.getItems().get(goodIndex).toString().contains("label=OK")) {
            goodIndex++;
        }
        int index = goodIndex;
        robot.interact(() -> list.getSelectionModel().clearAndSelect(index));
        Path image = ((AnnotationViewModel.Entry) list.getItems().get(index)).file();
        Path project = workstation.main().projectProperty().get().folder();
        robot.interact(() -> inspection.pixelThresholdProperty().set(0.05));
        int calls = engine.inspections.get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> dmdd.app.gui.FxToolkit.onFx(() -> !robot.from(root).lookup("#predictionButton").queryButton()
                        .isDisabled()));
        robot.clickOn(robot.from(root).lookup("#predictionButton").queryButton());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> list.getItems().get(index).toString()
                .contains("label=DEFECT"));
        assertThat(engine.inspections.get()).as("the inspection screen's engine ran").isGreaterThan(calls);
        Path mask = AnnotationStore.forProject(project).maskFile(image);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> mask != null && Files.exists(mask));
        int low = MaskIo.read(mask).area();
        assertThat(low).isPositive();

        robot.interact(() -> inspection.pixelThresholdProperty().set(0.5));
        robot.clickOn(robot.from(root).lookup("#predictionButton").queryButton());
        // The mask is now ground truth on disk: the screen asks before the prediction replaces it.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        javafx.scene.control.DialogPane ask = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(ask.getContentText()).contains("already has a mask");
        robot.clickOn(ask.lookupButton(javafx.scene.control.ButtonType.OK));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            try {
                return !Files.exists(mask) || MaskIo.read(mask).area() < low;
            } catch (Exception e) {
                return false;
            }
        });

        // The Measure tab counts at the inspection screen's image threshold.
        robot.interact(() -> inspection.imageThresholdProperty().set(0.4321));
        Label f1Title = robot.from(root).lookup("#f1Title").queryAs(Label.class);
        assertThat(f1Title.getText()).contains(String.format(Locale.ROOT, "%.4g", 0.4321));
    }

    private static Tab tab(TabPane screens, String id) {
        return screens.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow();
    }
}
