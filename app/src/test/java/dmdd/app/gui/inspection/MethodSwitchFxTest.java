package dmdd.app.gui.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.model.dmdd.Method;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import dmdd.model.project.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Choosing another method on the training screen, headless: the choice is saved in {@code project.json}, the
 * inspection screen reads that method's model folder and names its panels after that method's maps, and
 * choosing DMDD again brings back the branch maps of {@code model/}.
 */
@ExtendWith(ApplicationExtension.class)
class MethodSwitchFxTest {
    private Workstation workstation;
    private final ScriptedInspectionEngine engine = new ScriptedInspectionEngine();

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM.
        Stage stage = new Stage();
        workstation = WorkstationApplication.open(stage,
                new Workspace(dmdd.app.testing.TempFolders.create("dmdd-gui-method")), new DmddTrainingEngine(),
                engine);
    }

    @org.junit.jupiter.api.AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> ((Stage) workstation.view().root().getScene().getWindow()).close());
    }

    @Test
    void choosingAandRenamesThePanelsAndInspectsItsOwnModel(FxRobot robot) throws Exception {
        InspectionViewModel inspection = workstation.inspection();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> inspection.modelReadyProperty().get());
        Project project = workstation.main().projectProperty().get();
        Path folder = project.folder();
        assertThat(engine.calibratedModels).last().isEqualTo(folder.resolve("model"));
        assertThat(workstation.inspectionView().panelTitles())
                .containsExactly("Original", "Normality branch", "Abnormality branch", "Fused map");

        // A threshold of DMDD's scores, which must not be applied to AAND's.
        robot.interact(() -> workstation.main().updateSettings(s -> s.withThresholds(0.123, 0.456, 0.2, engine.modelId)));

        Node root = workstation.view().root();
        robot.interact(() -> workstation.view().selectScreen("trainingTab"));
        choose(robot, root, "AAND");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> workstation.inspectionView().panelTitles()
                .equals(List.of("Original", "Fine level (1/4)", "Coarse levels (1/8, 1/16)", "Fused (sum of levels)")));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> inspection.modelReadyProperty().get()
                && folder.resolve("models/aand").equals(engine.calibratedModels.get(engine.calibratedModels.size() - 1)));
        assertThat(inspection.imageThresholdProperty().get()).as("the calibrated threshold, not DMDD's")
                .isEqualTo(engine.calibration(project).imageThreshold());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> ProjectStore.open(folder).method() == Method.AAND);
        Project saved = ProjectStore.open(folder);
        assertThat(saved.chosenModelDir()).isEqualTo(folder.resolve("models/aand"));
        assertThat(saved.settings().imageThreshold()).isNull();
        Label summary = robot.from(root).lookup(".section-title").lookup((Label l) -> l.getText().startsWith("AAND"))
                .queryAs(Label.class);
        assertThat(summary).isNotNull();

        choose(robot, root, "DMDD");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> workstation.inspectionView().panelTitles().get(1)
                .equals("Normality branch"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> folder.resolve("model").equals(engine.calibratedModels.get(engine.calibratedModels.size() - 1)));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> ProjectStore.open(folder).method() == Method.DMDD);
        // back on DMDD, the thresholds the user chose for it come back, on screen and in the project
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> inspection.imageThresholdProperty().get() == 0.123);
        assertThat(inspection.ngThresholdProperty().get()).isEqualTo(0.456);
        assertThat(inspection.pixelThresholdProperty().get()).isEqualTo(0.2);
        Project back = ProjectStore.open(folder);
        assertThat(back.settings().imageThreshold()).isEqualTo(0.123);
        assertThat(back.settings().otherMethodsThresholds()).isEmpty();
    }

    /** Opens the training screen's method list and clicks a method by the name people read. */
    private static void choose(FxRobot robot, Node root, String displayName) {
        @SuppressWarnings("unchecked")
        ComboBox<Method> choice = robot.from(root).lookup("#methodChoice").queryAs(ComboBox.class);
        robot.clickOn(choice);
        WaitForAsyncUtils.waitForFxEvents();
        Node cell = robot.lookup(".combo-box-popup .list-cell")
                .lookup((javafx.scene.control.ListCell<?> c) -> displayName.equals(c.getText())).query();
        robot.clickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(choice.getValue().displayName()).isEqualTo(displayName);
    }
}
