package dmdd.app.gui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Train beside an enabled Resume starts over, replacing the stopped run's checkpoint once the new run keeps one: the
 * training screen asks first, and Cancel in that question starts nothing.
 */
@ExtendWith(ApplicationExtension.class)
class TrainOverAStoppedRunFxTest {
    @TempDir
    Path folder;
    private Path checkpoint;
    private TrainingViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        Project project = ProjectStore.create(folder.resolve("p"), "P");
        Files.createDirectories(project.chosenModelDir());
        Files.writeString(project.chosenModelDir().resolve("checkpoint"), "2"); // a stopped run
        checkpoint = project.chosenModelDir().resolve("checkpoint");
        TrainingEngine engine = new ScriptedTrainingEngine(3); // a run from the start deletes its checkpoint at the end
        model = new TrainingViewModel(engine, BackgroundWork.javaFx(1));
        TrainingView view = new TrainingView(model, (settings, device) -> { });
        model.projectProperty().set(project);
        stage.setScene(new Scene((javafx.scene.Parent) view.root(), 900, 600));
        stage.getScene().getStylesheets().add(Ui.stylesheet());
        stage.show();
    }

    @Test
    void trainAsksFirstAndCancelStartsNothing(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.canResumeProperty().get());
        Button train = robot.lookup("#trainButton").queryButton();
        robot.clickOn(train);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".dialog-pane .button").lookup((Button b) -> "Cancel".equals(b.getText()))
                .queryButton());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(checkpoint).as("Cancel in the question: no run started").hasContent("2");

        robot.clickOn(train);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".dialog-pane .content").queryLabeled().getText()).contains("can be resumed");
        robot.clickOn(robot.lookup(".dialog-pane .button").lookup((Button b) -> "OK".equals(b.getText()))
                .queryButton());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !Files.exists(checkpoint));

        // the three steps' chart labels whole steps only (its automatic ticks fall on halves of a step)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> !model.runningProperty().get()).get());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.chart.NumberAxis steps = (javafx.scene.chart.NumberAxis) robot
                .lookup((javafx.scene.chart.LineChart<?, ?> c) -> true).queryAs(javafx.scene.chart.LineChart.class)
                .getXAxis();
        // the tick labels drawn (the axis's Text children)
        java.util.List<String> labels = steps.getChildrenUnmodifiable().stream()
                .filter(node -> node instanceof javafx.scene.text.Text && node.isVisible())
                .map(node -> ((javafx.scene.text.Text) node).getText()).toList();
        assertThat(steps.getTickMarks().stream().map(mark -> mark.getValue().doubleValue()))
                .as("the axis has ticks between whole steps").anyMatch(v -> v != Math.rint(v));
        assertThat(labels.stream().filter(text -> !text.isEmpty())).isNotEmpty().allMatch(text -> text.matches("\\d+"));
    }
}
