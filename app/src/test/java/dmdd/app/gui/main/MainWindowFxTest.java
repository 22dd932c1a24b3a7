package dmdd.app.gui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.model.project.SampleProject;
import dmdd.model.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workstation's first window, headless under Monocle: title, project name, thumbnails. */
@ExtendWith(ApplicationExtension.class)
class MainWindowFxTest {
    private Stage stage;
    private WorkstationApplication.Workstation workstation;

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM, and a
        // fresh window is sure to be on top where the robot clicks.
        Stage stage = new Stage();
        this.stage = stage;
        Path userData = dmdd.app.testing.TempFolders.create("dmdd-gui-main");
        workstation = WorkstationApplication.open(stage, new Workspace(userData));
    }

    @org.junit.jupiter.api.AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> ((javafx.stage.Stage) stage).close());
    }

    @Test
    void opensTheSampleProjectAndShowsItsThumbnails(FxRobot robot) throws Exception {
        // each look at the scene graph runs on the FX thread: thumbnails are added to it while the test waits
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> dmdd.app.gui.FxToolkit.onFx(
                () -> SampleProject.NAME.equals(robot.from(stage.getScene().getRoot()).lookup(".project-name").queryAs(Label.class).getText())));
        assertThat(stage.getTitle()).startsWith("DMDD Inspector");
        assertThat(stage.getTitle()).contains(SampleProject.NAME);
        // Thumbnails decode in the background; wait until some image views in the normal grid hold one.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> dmdd.app.gui.FxToolkit.onFx(
                () -> robot.from(stage.getScene().getRoot()).lookup("#normal-grid .thumbnail-cell")
                .queryAllAs(javafx.scene.Node.class).stream()
                .flatMap(cell -> robot.from(cell).lookup(".image-view").queryAllAs(ImageView.class).stream())
                .filter(view -> view.getImage() != null && view.getImage().getWidth() > 0)
                .count() >= 4));
        assertThat(robot.from(stage.getScene().getRoot()).lookup("#inspect-grid .thumbnail-cell").queryAll()).isNotEmpty();
        // The Projects screen lists the recent projects, the sample first.
        javafx.scene.control.ListView<?> recent = robot.from(stage.getScene().getRoot()).lookup("#recentProjects")
                .queryAs(javafx.scene.control.ListView.class);
        assertThat(recent.getItems()).hasSize(1);
        assertThat(recent.getItems().get(0).toString()).endsWith("sample");
        // the sample's grids hold images: no drop zone over them
        javafx.scene.Node root = stage.getScene().getRoot();
        assertThat(robot.from(root).lookup("#normal-grid-empty").query().isVisible()).isFalse();
        assertThat(robot.from(root).lookup("#inspect-grid-empty").query().isVisible()).isFalse();
    }

    @Test
    void aNewProjectsEmptyGridsSayWhereImagesGo(FxRobot robot) throws Exception {
        javafx.scene.Node root = stage.getScene().getRoot();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> dmdd.app.gui.FxToolkit.onFx(
                () -> SampleProject.NAME.equals(robot.from(root).lookup(".project-name").queryAs(Label.class).getText())));
        MainWindowViewModel main = workstation.main();
        Path folder = dmdd.app.testing.TempFolders.create("dmdd-gui-empty").resolve("parts");
        robot.interact(() -> main.createProject(folder, "Parts"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> dmdd.app.gui.FxToolkit.onFx(
                () -> "Parts".equals(robot.from(root).lookup(".project-name").queryAs(Label.class).getText())));
        WaitForAsyncUtils.waitForFxEvents();
        Label normal = robot.from(root).lookup("#normal-grid-empty").queryAs(Label.class);
        Label inspect = robot.from(root).lookup("#inspect-grid-empty").queryAs(Label.class);
        assertThat(normal.isVisible()).isTrue();
        assertThat(normal.getText()).startsWith("Drop normal (defect-free) images or folders here");
        assertThat(inspect.isVisible()).isTrue();
        assertThat(normal.isMouseTransparent()).as("a drop reaches the grid's holder beneath").isTrue();
    }
}
