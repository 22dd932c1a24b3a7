package dmdd.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.Verdict;
import dmdd.model.infer.Thresholds;
import java.io.IOException;
import dmdd.model.infer.ModelFolder;
import dmdd.model.metrics.EvaluationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            "Labels come from the folders (test/good is OK, any other folder defective); pixel metrics are "
                + "computed at each mask's own resolution unless --pixel-resolution input.",
            "The JSON also lists every image (file, label, score, verdict) under 'images'."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    CategoryOptions category;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOption device;

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "where to write the metrics")
    Path json;

    @Option(names = "--pixel-resolution", paramLabel = "mask|input", defaultValue = "mask",
            description = {"where pixel metrics are computed: mask (default: maps upsampled to each mask's own "
                + "resolution, as the official MVTec AD evaluation does) or input (masks resized to the model's "
                + "input, as anomalib does; masks that vanish there are reported)"})
    String pixelResolution;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path categoryDir = category.folder(true);
        Path modelDir = model.folder();
        Path jsonFile = CliInputs.outputFile(json, "--json", CliInputs.OutputKind.JSON);
        AnnotatedInspection.PixelResolution resolution = switch (pixelResolution) {
            case "mask" -> AnnotatedInspection.PixelResolution.MASK;
            case "input" -> AnnotatedInspection.PixelResolution.INPUT;
            default -> throw new CliException("--pixel-resolution must be mask or input, got '" + pixelResolution + "'");
        };
        PrintWriter err = spec.commandLine().getErr();
        ModelFolder folder = ModelFolder.read(modelDir);
        List<AnnotatedInspection.Item> items = AnnotatedInspection.items(AnnotationStore.forMvtecCategory(categoryDir));
        if (items.isEmpty()) {
            throw new CliException(categoryDir.resolve("test") + ": no test image");
        }
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        AnnotatedInspection.Result result;
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, device.choose(err).device(), null, null)) {
            result = AnnotatedInspection.run(pipeline, items, null,
                    (done, total) -> bar.update(done, total, "test images", null), null,
                    pipeline.thresholds().image(), resolution);
        }
        result.skipped().forEach(s -> err.println("warning: skipped " + s));
        if (result.measurement() == null) {
            throw new CliException(categoryDir.resolve("test") + ": no test image could be evaluated ("
                    + result.note() + ")");
        }
        if (result.note() != null) {
            err.println("note: " + result.note());
        }
        Thresholds thresholds = folder.thresholds();
        EvaluationReport report = result.measurement().report();
        report = new EvaluationReport(report.imageAuroc(), report.pixelAuroc(), report.aupro(), report.pixelAp(),
                report.imageF1max(), report.testImages(), (System.nanoTime() - started) / 1e9, report.maps(),
                report.notes());
        ObjectNode out = JSON.valueToTree(report);
        out.put("pixel_resolution", pixelResolution);
        out.put("image_threshold", thresholds.image());
        out.put("ng_threshold", thresholds.imageNg());
        ArrayNode images = out.putArray("images");
        for (AnnotatedInspection.Outcome o : result.outcomes()) {
            ObjectNode row = images.addObject();
            row.put("file", o.item().name());
            row.put("label", o.item().annotation().label().key());
            row.put("score", o.score());
            row.put("verdict", Verdict.of(o.score(), thresholds).word());
            row.put("evaluated", o.evaluated());
        }
        AtomicFiles.writeBytes(jsonFile, JSON.writeValueAsBytes(out));
        printTable(spec.commandLine().getOut(), report, folder, categoryDir, jsonFile);
        if (!result.skipped().isEmpty()) {
            throw new IOException(result.skipped().size() + " of " + items.size()
                    + " test images could not be inspected (see the warnings); the metrics leave them out");
        }
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
