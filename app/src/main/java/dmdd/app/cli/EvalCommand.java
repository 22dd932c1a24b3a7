package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.layout.MvtecCategory;
import dmdd.datasets.layout.MvtecCategory.LoadedTestSample;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.metrics.Evaluation;
import dmdd.model.metrics.EvaluationReport;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: evaluates a saved model on the test split of one MVTec AD category. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate MODEL_DIR on ROOT/NAME/test with ground_truth masks; write the metrics as JSON "
                + "and print a table.",
            "Keys: image_auroc, pixel_auroc, aupro (FPR <= 0.3, whole test set), pixel_ap, image_f1max, "
                + "test_images, seconds, maps.{normality,abnormality,fused}.{pixel_auroc,aupro}.",
            "Pixel metrics are computed at the model's input size (test images and masks are resized to it), "
                + "as anomalib does."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
    Path data;

    @Option(names = "--category", required = true, paramLabel = "NAME", description = "category folder under ROOT")
    String category;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "where to write the metrics")
    Path json;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path categoryDir = CliInputs.mvtecCategory(data, category, true);
        CliInputs.existingFolder(model, "--model");
        Path jsonFile = CliInputs.outputFile(json, "--json");
        PrintWriter err = spec.commandLine().getErr();
        ModelFolder folder = ModelFolder.read(model);
        int side = folder.settings().imageSize();
        ImportReport<LoadedTestSample> test = MvtecCategory.open(categoryDir).loadTest(new ImageReader(side));
        test.skipped().forEach(s -> err.println("warning: skipped " + s.file() + ": " + s.reason()));
        if (test.loaded().isEmpty()) {
            throw new CliException(categoryDir.resolve("test") + ": no readable test image");
        }
        Evaluation evaluation = new Evaluation();
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device.choose(err).device())) {
            Backbone teacher = Teachers.load(folder.teacher(), manager);
            try (Inspector inspector = Inspector.open(folder, teacher, Inspector.DEFAULT_BATCH)) {
                List<LoadedTestSample> all = test.loaded();
                for (int i = 0; i < all.size(); i += Inspector.DEFAULT_BATCH) {
                    List<LoadedTestSample> chunk = all.subList(i, Math.min(all.size(), i + Inspector.DEFAULT_BATCH));
                    List<RgbImage> images = new ArrayList<>();
                    chunk.forEach(s -> images.add(s.image().resize(side, side)));
                    List<AnomalyMaps> maps = inspector.inspect(images);
                    for (int k = 0; k < chunk.size(); k++) {
                        AnomalyMaps m = maps.get(k);
                        evaluation.add((float) m.score(), m.normality(), m.abnormality(), m.fused(),
                                chunk.get(k).mask().resize(m.width(), m.height()));
                    }
                    bar.update(i + chunk.size(), all.size(), "test images", null);
                }
            }
        }
        EvaluationReport report = evaluation.report((System.nanoTime() - started) / 1e9);
        AtomicFiles.writeBytes(jsonFile, JSON.writeValueAsBytes(report));
        printTable(spec.commandLine().getOut(), report, folder, categoryDir, jsonFile);
        return 0;
    }

    private static void printTable(PrintWriter out, EvaluationReport r, ModelFolder folder, Path categoryDir, Path json) {
        out.printf(Locale.ROOT, "%s model (%s teacher) on %s: %d test images, %.1f s%n",
                folder.settings().method().cliName(), folder.teacher().cliName(), categoryDir, r.testImages(), r.seconds());
        out.printf(Locale.ROOT, "%-14s %10s %10s %12s%n", "metric", "fused", "normality", "abnormality");
        EvaluationReport.MapMetrics n = r.maps().get(EvaluationReport.NORMALITY);
        EvaluationReport.MapMetrics a = r.maps().get(EvaluationReport.ABNORMALITY);
        out.printf(Locale.ROOT, "%-14s %10s%n", "image AUROC", fmt(r.imageAuroc()));
        out.printf(Locale.ROOT, "%-14s %10s %10s %12s%n", "pixel AUROC", fmt(r.pixelAuroc()), fmt(n.pixelAuroc()),
                fmt(a.pixelAuroc()));
        out.printf(Locale.ROOT, "%-14s %10s %10s %12s%n", "AUPRO@0.3", fmt(r.aupro()), fmt(n.aupro()), fmt(a.aupro()));
        out.printf(Locale.ROOT, "%-14s %10s%n", "pixel AP", fmt(r.pixelAp()));
        out.printf(Locale.ROOT, "%-14s %10s%n", "image F1-max", fmt(r.imageF1max()));
        r.notes().forEach((k, why) -> out.println("n/a " + k + ": " + why));
        out.println("metrics written to " + json);
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
