package dmdd.app.gui.review;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.inspection.DmddInspectionEngine;
import dmdd.app.gui.inspection.InspectedItem;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.app.testing.TempFolders;
import dmdd.app.testing.TinyModel;
import dmdd.datasets.annotation.Label;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelVersions;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import dmdd.model.project.ReviewedNormals;
import dmdd.model.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.MenuButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Improve model" through the running workstation with the real (tiny) model: an image marked OK in the review
 * joins the normal set, the improvement trains on it in the background, re-calibrates and inspects again, the
 * previous model is listed as a version, the versions are still there after a restart, and choosing the first
 * one makes it the model again.
 */
@ExtendWith(ApplicationExtension.class)
class ImproveModelFxTest {
    private static final int IMPROVE_STEPS = 2;
    private Workspace workspace;
    private Project project;
    private Stage stage;
    private Workstation workstation;
    private Path weights;

    @Start
    void start(Stage primary) throws Exception {
        Path data = TempFolders.create("dmdd-gui-improve");
        project = ProjectStore.create(data.resolve("project"), "Improve");
        TinyModel.get().project(project.folder(), true);
        project = project.with(project.settings().withTraining(
                project.settings().training().with("improveSteps", IMPROVE_STEPS), "cpu"));
        ProjectStore.save(project);
        workspace = new Workspace(data.resolve("user"));
        workspace.remember(project.folder());
        weights = Files.createDirectories(Path.of("target", "test-weights").toAbsolutePath());
        stage = new Stage();
        workstation = WorkstationApplication.open(stage, workspace, new DmddTrainingEngine(weights),
                new DmddInspectionEngine(weights));
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(stage::close);
    }

    @Test
    void improveTrainsOnTheReviewedImageKeepsTheOldModelAndTheVersionsSurviveARestart(FxRobot robot)
            throws Exception {
        InspectionViewModel model = workstation.inspection();
        Node root = workstation.view().root();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.modelReadyProperty().get()
                && model.items().size() == 8 && model.decisions().size() == 8 && !model.versions().isEmpty());
        assertThat(model.versions()).extracting(ModelVersions.Version::id).containsExactly("current");
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        robot.clickOn(robot.from(root).lookup(".button").lookup((Button b) -> "Inspect all".equals(b.getText()))
                .queryButton());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                () -> !model.runningProperty().get() && model.items().stream().allMatch(InspectedItem::isInspected));

        // Everything unsure: the review queue holds every image; the first one is marked OK.
        robot.interact(() -> model.setImageThresholds(-1, 1e9));
        robot.clickOn(robot.from(root).lookup("#reviewButton").queryAs(Button.class));
        InspectedItem reviewed = model.selectedProperty().get();
        assertThat(reviewed).isNotNull();
        robot.clickOn(workstation.inspectionView().panels().get(0));
        robot.type(KeyCode.O);
        Path copy = ReviewedNormals.copyOf(project, reviewed.image().file());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Files.isRegularFile(copy));
        assertThat(model.decision(reviewed)).isEqualTo(Label.OK);
        int normals = project.normalImages().size();
        ModelFolder before = ModelFolder.read(project.chosenModelDir());
        // Measured with the first model: the figures go when the model changes (they were the old model's).
        javafx.scene.control.Label imageAuroc = robot.from(root).lookup("#imageAurocValue")
                .queryAs(javafx.scene.control.Label.class);
        robot.interact(() -> workstation.view().selectScreen("metricsTab"));
        robot.clickOn(robot.from(root).lookup("#measureButton").queryAs(Button.class));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> imageAuroc.getText().matches("[0-9.]+"));
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));

        robot.clickOn(robot.from(root).lookup("#improveButton").queryAs(Button.class));
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> model.versions().size() == 2
                && !model.runningProperty().get() && model.items().stream().allMatch(InspectedItem::isInspected));
        ModelFolder after = ModelFolder.read(project.chosenModelDir());
        assertThat(after.training().steps()).isEqualTo(before.training().steps() + IMPROVE_STEPS);
        assertThat(after.training().normalImages()).as("trained on the reviewed image too").isEqualTo(normals);
        assertThat(after.weightsSha256()).isNotEqualTo(before.weightsSha256());
        assertThat(model.versions()).extracting(ModelVersions.Version::id).containsExactly("v001", "current");
        assertThat(model.versions().get(0).normalImages()).isEqualTo(normals - 1);
        assertThat(imageAuroc.getText()).as("Measure's figures were the first model's").isEqualTo("\u2014");
        MenuButton versions = robot.from(root).lookup("#versionsButton").queryAs(MenuButton.class);
        assertThat(versions.getItems()).hasSize(2);
        assertThat(versions.getItems().get(0).getText()).startsWith("v001").contains((normals - 1) + " normal images");

        // A restart shows the same versions.
        robot.interact(stage::close);
        robot.interact(() -> {
            stage = new Stage();
            workstation = WorkstationApplication.open(stage, workspace, new DmddTrainingEngine(weights),
                    new DmddInspectionEngine(weights));
        });
        InspectionViewModel reopened = workstation.inspection();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> reopened.modelReadyProperty().get()
                && reopened.versions().size() == 2);
        assertThat(reopened.versions()).extracting(ModelVersions.Version::id).containsExactly("v001", "current");
        assertThat(reopened.versions().get(1).steps()).isEqualTo(after.training().steps());
        MenuButton shown = robot.from(workstation.view().root()).lookup("#versionsButton").queryAs(MenuButton.class);
        assertThat(shown.getItems()).hasSize(2);

        // Going back to the first model: it is the model again, and the improved one is kept as a version.
        robot.interact(() -> shown.getItems().get(0).fire());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> reopened.versions().size() == 3
                && !reopened.runningProperty().get() && reopened.items().stream().allMatch(InspectedItem::isInspected));
        assertThat(ModelFolder.read(project.chosenModelDir()).weightsSha256()).isEqualTo(before.weightsSha256());
        assertThat(reopened.versions()).extracting(ModelVersions.Version::id).containsExactly("v001", "v002", "current");
        assertThat(ModelFolder.read(reopened.versions().get(1).folder()).weightsSha256())
                .isEqualTo(after.weightsSha256());
    }
}
