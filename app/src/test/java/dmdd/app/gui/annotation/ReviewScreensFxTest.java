package dmdd.app.gui.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.project.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workstation has the Annotate and Measure tabs, and Annotate lists the open project's images. */
@ExtendWith(ApplicationExtension.class)
class ReviewScreensFxTest {
    private Stage stage;
    private Path userData;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        userData = Files.createTempDirectory("dmdd-gui-review");
        WorkstationApplication.open(stage, new Workspace(userData));
    }

    @org.junit.jupiter.api.AfterEach
    void removeUserData(FxRobot robot) {
        robot.interact(stage::close);
        AnnotationFxTest.deleteTree(userData);
    }

    @Test
    void annotateTabListsTheSampleProjectsImages(FxRobot robot) throws Exception {
        TabPane screens = robot.from(stage.getScene().getRoot()).lookup(".screens").queryAs(TabPane.class);
        assertThat(screens.getTabs()).extracting(t -> t.getId()).contains("annotationTab", "metricsTab");
        robot.interact(() -> screens.getSelectionModel().select(
                screens.getTabs().stream().filter(t -> "annotationTab".equals(t.getId())).findFirst().orElseThrow()));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !robot.from(stage.getScene().getRoot())
                .lookup("#imageList").queryAs(ListView.class).getItems().isEmpty());
        ListView<?> list = robot.from(stage.getScene().getRoot()).lookup("#imageList").queryAs(ListView.class);
        // The sample project is an MVTec import: good images read as OK, defect images as their type.
        assertThat(list.getItems()).map(Object::toString).anyMatch(e -> e.contains("label=OK"))
                .anyMatch(e -> e.contains("label=DEFECT"));
    }
}
