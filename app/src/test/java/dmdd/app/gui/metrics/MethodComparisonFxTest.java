package dmdd.app.gui.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.testing.TinyModel;
import dmdd.model.dmdd.Method;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.project.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Measure on a project with two trained methods (DMDD in {@code model/}, AAND in {@code models/aand/}) and an
 * unfinished third one, headless: one row per trained method, each measured on its own model folder, the
 * chosen method marked and its numbers in the tiles below.
 */
@ExtendWith(ApplicationExtension.class)
class MethodComparisonFxTest {
    private MetricsViewModel vm;
    private Stage stage;
    private Path project;
    private final List<Method> measured = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage primary) throws Exception {
        Stage stage = new Stage();
        this.stage = stage;
        TinyModel tiny = TinyModel.get();
        project = tiny.project(Files.createTempDirectory("dmdd-compare-fx").resolve("p"), true);
        // The same tiny model stands in for AAND's: what matters is that its folder is found and read.
        TinyModel.copyTree(tiny.model(), Project.modelDir(project, Method.AAND));
        // A run that never finished: no model description, so no row.
        Files.createDirectories(Project.modelDir(project, Method.DCAM));
        DmddMetricsEngine real = new DmddMetricsEngine();
        MetricsEngine recording = new MetricsEngine() {
            @Override
            public AnnotatedInspection.Result measure(Path folder, Method method, AnnotatedInspection.Progress progress,
                    BooleanSupplier cancel) throws Exception {
                measured.add(method);
                return real.measure(folder, method, progress, cancel);
            }

            @Override
            public AnnotatedInspection.Result exportResults(Path folder, Method method, Path outDir,
                    AnnotatedInspection.Progress progress, BooleanSupplier cancel) throws Exception {
                return real.exportResults(folder, method, outDir, progress, cancel);
            }
        };
        vm = new MetricsViewModel(recording, BackgroundWork.javaFx(1));
        vm.projectFolderProperty().set(project);
        vm.methodProperty().set(Method.AAND);
        MetricsView view = new MetricsView(vm);
        Scene scene = new Scene(view.root(), 1200, 850);
        scene.getStylesheets().add(Ui.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void measureShowsOneRowPerTrainedMethod(FxRobot robot) throws Exception {
        robot.clickOn("#measureButton");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS,
                () -> !vm.runningProperty().get() && vm.resultProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(measured).containsExactly(Method.DMDD, Method.AAND);

        @SuppressWarnings("unchecked")
        TableView<MetricsViewModel.MethodRow> table = robot.lookup("#comparisonTable").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(MetricsViewModel.MethodRow::method)
                .containsExactly(Method.DMDD, Method.AAND);
        assertThat(cell(table, 0, "methodColumn")).isEqualTo("DMDD");
        assertThat(cell(table, 1, "methodColumn")).isEqualTo("AAND (inspecting)");
        // The chosen method's row says what its tiles say.
        assertThat(cell(table, 1, "imageAurocColumn")).isEqualTo(text(robot, "#imageAurocValue"));
        assertThat(cell(table, 1, "auproColumn")).isEqualTo(text(robot, "#auproValue"));
        AnnotatedInspection.Result aand = vm.resultProperty().get();
        double calibrated = aand.measurement().imageThreshold();
        assertThat(table.getItems().get(1).misses()).isEqualTo(aand.missedDefects(calibrated).size());
        assertThat(table.getItems().get(1).falseAlarms()).isEqualTo(aand.falseAlarms(calibrated).size());
        assertThat(Integer.parseInt(cell(table, 0, "missesColumn")) + Integer.parseInt(cell(table, 0,
                "falseAlarmsColumn"))).isBetween(0, 8);

        // Choosing DMDD for training moves the mark without measuring again.
        robot.interact(() -> vm.methodProperty().set(Method.DMDD));
        assertThat(cell(table, 0, "methodColumn")).isEqualTo("DMDD (inspecting)");
        assertThat(cell(table, 1, "methodColumn")).isEqualTo("AAND");
        assertThat(measured).hasSize(2);
    }

    private static String cell(TableView<MetricsViewModel.MethodRow> table, int row, String columnId) {
        return table.getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow()
                .getCellData(row).toString();
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
