package dmdd.app.gui.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.app.cli.DmddCli;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.testing.TinyModel;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.export.Measurement;
import dmdd.model.metrics.EvaluationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics screen's state against the command line's {@code eval} on the same data, without a window. */
class MetricsViewModelTest {
    @TempDir
    Path tmp;

    @Test
    void showsExactlyWhatEvalComputesForTheSameData() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path project = tiny.project(tmp.resolve("project"), true);
        MetricsViewModel vm = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.inline());
        List<Path> opened = new ArrayList<>();
        vm.setOpenImage(opened::add);
        vm.projectFolderProperty().set(project);
        vm.measure();
        AnnotatedInspection.Result result = vm.resultProperty().get();
        assertThat(result).as(vm.statusProperty().get()).isNotNull();
        Measurement m = result.measurement();

        Path json = tmp.resolve("eval.json");
        StringWriter err = new StringWriter();
        int code = DmddCli.run(new String[] {"eval", "--data", tiny.category().getParent().toString(), "--category",
            tiny.category().getFileName().toString(), "--model", tiny.model().toString(), "--json", json.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode eval = new ObjectMapper().readTree(json.toFile());

        EvaluationReport r = m.report();
        assertThat(r.testImages()).isEqualTo(eval.get("test_images").asInt()).isEqualTo(8);
        assertThat(r.imageAuroc()).isEqualTo(eval.get("image_auroc").asDouble());
        assertThat(r.pixelAuroc()).isEqualTo(eval.get("pixel_auroc").asDouble());
        assertThat(r.aupro()).isEqualTo(eval.get("aupro").asDouble());
        assertThat(r.pixelAp()).isEqualTo(eval.get("pixel_ap").asDouble());
        assertThat(r.imageF1max()).isEqualTo(eval.get("image_f1max").asDouble());
        assertThat(vm.imageAurocProperty().get()).isEqualTo(MetricsViewModel.format(eval.get("image_auroc").asDouble()));
        assertThat(vm.pixelAurocProperty().get()).isEqualTo(MetricsViewModel.format(eval.get("pixel_auroc").asDouble()));
        assertThat(vm.auproProperty().get()).isEqualTo(MetricsViewModel.format(eval.get("aupro").asDouble()));

        // The table at the model's threshold is the measurement's; missed and false alarms match it.
        assertThat(vm.thresholdProperty().get()).isEqualTo(m.imageThreshold());
        assertThat(vm.truePositivesProperty().get()).isEqualTo(m.confusion().truePositives());
        assertThat(vm.falseNegativesProperty().get()).isEqualTo(m.confusion().falseNegatives())
                .isEqualTo(vm.missedDefects().size());
        assertThat(vm.falsePositivesProperty().get()).isEqualTo(m.confusion().falsePositives())
                .isEqualTo(vm.falseAlarms().size());
        assertThat(vm.truePositivesProperty().get() + vm.falseNegativesProperty().get()).isEqualTo(6);
        assertThat(vm.imageRoc()).isNotEmpty();
        assertThat(vm.pro()).isNotEmpty();

        // Moving the threshold above every score misses every defect, without running the model again.
        vm.thresholdProperty().set(1e9);
        assertThat(vm.missedDefects()).hasSize(6);
        assertThat(vm.falseAlarms()).isEmpty();
        assertThat(vm.truePositivesProperty().get()).isZero();
        vm.open(vm.missedDefects().get(0));
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0)).startsWith(project.resolve("inspect"));

        // Another model: the old one's scores are not counted at the new one's thresholds.
        vm.modelChanged();
        assertThat(vm.resultProperty().get()).isNull();
        assertThat(vm.imageAurocProperty().get()).isEqualTo("\u2014");
        assertThat(vm.missedDefects()).isEmpty();
        assertThat(vm.imageRoc()).isEmpty();
        assertThat(vm.truePositivesProperty().get() + vm.falseNegativesProperty().get()).isZero();
        assertThat(vm.statusProperty().get()).contains("model changed");
        vm.measure();
        assertThat(vm.resultProperty().get()).isNotNull();
        // Another project: nothing of this one's measurement stays on screen.
        vm.projectFolderProperty().set(tmp.resolve("another"));
        assertThat(vm.resultProperty().get()).isNull();
        assertThat(vm.auproProperty().get()).isEqualTo("\u2014");
        assertThat(vm.pro()).isEmpty();
    }

    @Test
    void anImageThatCannotBeReadIsNamedByMeasureAndCountedByExport() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path project = tiny.project(tmp.resolve("broken"), true);
        Path broken;
        try (var files = java.nio.file.Files.walk(project.resolve("inspect"))) {
            broken = files.filter(java.nio.file.Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        java.nio.file.Files.writeString(broken, "not a picture");
        MetricsViewModel vm = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.inline());
        vm.projectFolderProperty().set(project);
        vm.measure();
        assertThat(vm.statusProperty().get()).contains("1 image(s) could not be read and are left out of the metrics")
                .contains(broken.getFileName().toString());
        Path exports = java.nio.file.Files.createDirectories(tmp.resolve("broken-exports"));
        vm.exportResults(exports);
        assertThat(vm.statusProperty().get()).contains("1 could not be read");
    }

    @Test
    void exportTheModelImportItIntoAFreshProjectAndGetIdenticalScores() throws IOException {
        TinyModel tiny = TinyModel.get();
        Path a = tiny.project(tmp.resolve("a"), true);
        Path b = tiny.project(tmp.resolve("b"), false);
        MetricsViewModel first = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.inline());
        first.projectFolderProperty().set(a);
        Path zip = tmp.resolve("exchange/model.zip");
        first.exportModel(zip);
        assertThat(zip).as(first.statusProperty().get()).exists();
        // The chosen folder is the person's, with a results.csv and a report.html of their own: each export goes
        // into a new, marked folder of its own inside it and writes over nothing.
        Path chosen = java.nio.file.Files.createDirectories(tmp.resolve("Documents"));
        java.nio.file.Files.writeString(chosen.resolve("results.csv"), "my own table");
        java.nio.file.Files.writeString(chosen.resolve("report.html"), "my own report");
        first.exportResults(chosen);
        Path export = onlyExportIn(chosen);
        assertThat(export.getFileName().toString()).startsWith("a results ");
        assertThat(first.statusProperty().get()).contains(export.toString());
        assertThat(export.resolve("results.csv")).as(first.statusProperty().get()).exists();
        assertThat(export.resolve("report.html")).exists();
        assertThat(dmdd.datasets.image.ImageFiles.isResultsFolder(export)).isTrue();
        // Exported verdicts use the thresholds set on screen for this model (saved with the project as the
        // inspection screen saves them): above every score, every image is OK.
        dmdd.model.project.Project opened = dmdd.model.project.ProjectStore.create(a, "a");
        String modelId = dmdd.model.infer.ModelFolder.read(opened.modelDir(dmdd.model.dmdd.Method.DMDD)).identity();
        dmdd.model.project.ProjectStore.save(opened.with(opened.settings().withThresholds(1e9, 1e9, null, modelId)));
        Path strictFolder = java.nio.file.Files.createDirectories(tmp.resolve("strict"));
        first.exportResults(strictFolder);
        List<String> strict = java.nio.file.Files.readAllLines(onlyExportIn(strictFolder).resolve("results.csv"));
        assertThat(strict).hasSize(9);
        assertThat(strict.subList(1, 9)).allMatch(l -> l.contains(",OK,1.0E9,"));
        assertThat(first.falseNegativesProperty().get()).isEqualTo(6);
        // thresholds set for a model that was replaced since (trained on the command line while the screen kept
        // the old one's): never applied to the model the folder holds now, which is judged by its own
        dmdd.model.project.ProjectStore.save(opened.with(opened.settings().withThresholds(1e9, 1e9, null,
                "the-model-before")));
        Path replacedFolder = java.nio.file.Files.createDirectories(tmp.resolve("replaced"));
        first.exportResults(replacedFolder);
        List<String> replaced = java.nio.file.Files.readAllLines(onlyExportIn(replacedFolder).resolve("results.csv"));
        double calibrated = dmdd.model.infer.ModelFolder.read(opened.modelDir(dmdd.model.dmdd.Method.DMDD))
                .thresholds().image();
        assertThat(replaced.subList(1, 9)).noneMatch(l -> l.contains("1.0E9"))
                .allMatch(l -> l.contains("," + calibrated + ","));
        dmdd.model.project.ProjectStore.save(opened);
        first.exportResults(chosen);
        try (var folders = java.nio.file.Files.list(chosen)) {
            assertThat(folders.filter(java.nio.file.Files::isDirectory).count()).as("a second export, a second folder")
                    .isEqualTo(2);
        }
        assertThat(chosen.resolve("results.csv")).hasContent("my own table");
        assertThat(chosen.resolve("report.html")).hasContent("my own report");

        MetricsViewModel second = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.inline());
        second.projectFolderProperty().set(b);
        List<Boolean> imported = new ArrayList<>();
        second.setOnModelImported(() -> imported.add(true));
        Path foreign = java.nio.file.Files.writeString(tmp.resolve("notes.zip"), "hello");
        second.importModel(foreign);
        assertThat(second.statusProperty().get()).contains("not a zip file");
        assertThat(b.resolve("model")).doesNotExist();
        second.importModel(zip);
        assertThat(imported).hasSize(1);
        second.measure();

        List<Double> before = first.resultProperty().get().outcomes().stream()
                .map(AnnotatedInspection.Outcome::score).toList();
        List<Double> after = second.resultProperty().get().outcomes().stream()
                .map(AnnotatedInspection.Outcome::score).toList();
        assertThat(after).hasSize(8).isEqualTo(before);
        assertThat(second.auproProperty().get()).isEqualTo(first.auproProperty().get());
    }

    private static Path onlyExportIn(Path chosen) throws IOException {
        try (var folders = java.nio.file.Files.list(chosen)) {
            List<Path> made = folders.filter(java.nio.file.Files::isDirectory).toList();
            assertThat(made).hasSize(1);
            return made.get(0);
        }
    }

    @Test
    void aProjectWithoutModelSaysSo() {
        MetricsViewModel vm = new MetricsViewModel(new DmddMetricsEngine(), BackgroundWork.inline());
        vm.projectFolderProperty().set(tmp);
        vm.measure();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.statusProperty().get()).contains("No trained model");
    }
}
