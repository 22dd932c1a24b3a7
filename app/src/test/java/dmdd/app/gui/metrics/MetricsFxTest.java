package dmdd.app.gui.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.app.cli.DmddCli;
import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.testing.TinyModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The metrics screen, headless: measure in the background, see eval's numbers, open a missed defect. */
@ExtendWith(ApplicationExtension.class)
class MetricsFxTest {
    private MetricsViewModel vm;
    private Stage stage;
    private Path project;
    private final List<Path> opened = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM.
        Stage stage = new Stage();
        this.stage = stage;
        project = TinyModel.get().project(Files.createTempDirectory("dmdd-metrics-fx").resolve("p"), true);
        vm = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.javaFx(1));
        vm.setOpenImage(opened::add);
        vm.projectFolderProperty().set(project);
        MetricsView view = new MetricsView(vm);
        Scene scene = new Scene(view.root(), 1200, 850);
        scene.getStylesheets().add(Ui.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void showsTheValuesOfTheCommandLineAndOpensMissedDefects(FxRobot robot) throws Exception {
        TinyModel tiny = TinyModel.get();
        Path json = project.getParent().resolve("eval.json");
        StringWriter err = new StringWriter();
        int code = DmddCli.run(new String[] {"eval", "--data", tiny.category().getParent().toString(), "--category",
            tiny.category().getFileName().toString(), "--model", tiny.model().toString(), "--json", json.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode eval = new ObjectMapper().readTree(json.toFile());

        assertThat(text(robot, "#tpValue")).as("nothing measured yet: no counts of zero").isEqualTo("\u2014");
        robot.clickOn("#measureButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                () -> !vm.runningProperty().get() && vm.resultProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#imageAurocValue")).isEqualTo(MetricsViewModel.format(eval.get("image_auroc").asDouble()));
        assertThat(text(robot, "#pixelAurocValue")).isEqualTo(MetricsViewModel.format(eval.get("pixel_auroc").asDouble()));
        assertThat(text(robot, "#auproValue")).isEqualTo(MetricsViewModel.format(eval.get("aupro").asDouble()));
        long tp = Long.parseLong(text(robot, "#tpValue"));
        long fn = Long.parseLong(text(robot, "#fnValue"));
        assertThat(tp + fn).isEqualTo(6);
        assertThat(Long.parseLong(text(robot, "#fpValue")) + Long.parseLong(text(robot, "#tnValue"))).isEqualTo(2);
        // the verdict at the threshold comes first in its row, the threshold-free figures after it
        javafx.scene.Node confusion = robot.lookup("#confusionGrid").query();
        javafx.scene.Node auroc = robot.lookup("#imageAurocValue").query();
        assertThat(confusion.localToScene(0, 0).getX()).isLessThan(auroc.localToScene(0, 0).getX());
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> roc = robot.lookup("#rocChart").queryAs(LineChart.class);
        assertThat(roc.getData()).hasSize(2);
        assertThat(roc.getData().get(0).getData()).isNotEmpty();

        // Above every score, every defect is missed: the list fills at once and a click opens the image.
        robot.interact(() -> vm.thresholdProperty().set(1e9));
        assertThat(text(robot, "#fnValue")).isEqualTo("6");
        ListCell<?> first = robot.lookup("#missedList .list-cell").queryAllAs(ListCell.class).stream()
                .filter(c -> c.getItem() != null).findFirst().orElseThrow();
        robot.clickOn(first);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(opened).isNotEmpty();
        assertThat(opened.get(0)).startsWith(project.resolve("inspect"));
    }

    @org.junit.jupiter.api.AfterEach
    void removeProject(FxRobot robot) {
        robot.interact(stage::close);
        dmdd.app.gui.annotation.AnnotationFxTest.deleteTree(project.getParent());
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }
}
