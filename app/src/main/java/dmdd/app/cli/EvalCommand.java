package dmdd.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.DefectTypes;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.pipeline.Verdict;
import dmdd.model.infer.Thresholds;
import java.io.IOException;
import dmdd.model.infer.ModelFolder;
import dmdd.model.metrics.EvaluationReport;
import dmdd.model.metrics.ImageAurocByKind;
import dmdd.model.metrics.MetricValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import dmdd.model.dmdd.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: evaluates saved models (one, or several side by side) on the test split of one MVTec AD category. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate MODEL_DIR on ROOT/NAME/test with ground_truth masks; write the metrics as JSON "
                + "and print a table.",
            "Keys: image_auroc, pixel_auroc, aupro (FPR <= 0.3, whole test set), pixel_ap, image_f1max, "
                + "test_images, seconds, maps.{normality,abnormality,fused}.{pixel_auroc,aupro} (for the "
                + "per-level methods normality = fine level, abnormality = coarse levels), model, method.",
            "Labels come from the folders (test/good is OK, any other folder named like a defect type - letters, "
                + "digits, _, - and single spaces - defective; other images are named in a warning and left out); "
                + "pixel metrics are computed at each mask's own resolution unless --pixel-resolution input.",
            "The JSON also lists every image (file, label, score, verdict) under 'images', and each defect "
                + "folder's image AUROC against the good images under 'image_auroc_by_kind'."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    CategoryOptions category;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR",
            description = {"a model saved by train; give --model several times to compare models (for example the "
                + "methods trained on one category) side by side: the JSON then holds one entry per model"})
    List<Path> models;

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
        Path categoryDir = category.folder(true);
        List<Path> modelDirs = new ArrayList<>();
        for (Path m : models) {
            Path dir = CliInputs.existingFolder(m, "--model").toAbsolutePath().normalize();
            ModelFolder.read(dir); // every model checked before the first is evaluated
            if (modelDirs.contains(dir)) {
                throw new CliException("--model " + m + " is given twice; give each model once");
            }
            modelDirs.add(dir);
        }
        Path jsonFile = CliInputs.outputFile(json, "--json", CliInputs.OutputKind.JSON);
        AnnotatedInspection.PixelResolution resolution = switch (pixelResolution.toLowerCase(java.util.Locale.ROOT)) {
            case "mask" -> AnnotatedInspection.PixelResolution.MASK;
            case "input" -> AnnotatedInspection.PixelResolution.INPUT;
            default -> throw new CliException("--pixel-resolution must be mask or input, got '" + pixelResolution + "'");
        };
        List<AnnotatedInspection.Item> items = AnnotatedInspection.items(AnnotationStore.forMvtecCategory(categoryDir));
        if (items.isEmpty()) {
            throw new CliException(categoryDir.resolve("test") + ": no test image");
        }
        warnAboutUnlabelled(items, categoryDir);
        warnAboutMasksWithoutImages(categoryDir);
        CliInputs.warnAboutMasksCoveringMostOfTheirImage(items, categoryDir.resolve("test"),
                spec.commandLine().getErr());
        CliInputs.noteOtherFiles(categoryDir.resolve("test"), true, spec.commandLine().getErr());
        PrintWriter stdout = spec.commandLine().getOut();
        List<Evaluated> done = new ArrayList<>();
        int skipped = 0;
        for (Path modelDir : modelDirs) {
            Evaluated e = evaluate(modelDir, categoryDir, items, resolution);
            done.add(e);
            skipped = Math.max(skipped, e.skipped());
            printTable(stdout, e.report(), e.byKind(), e.folder(), modelDir, categoryDir);
            Verdicts v = e.verdicts();
            stdout.printf(Locale.ROOT, "at the calibrated thresholds: %d of %d good images flagged (NG or UNSURE), "
                    + "%d of %d defective images called OK%n", v.falseAlarms(), v.goodImages(), v.misses(),
                    v.defectiveImages());
        }
        if (done.size() == 1) {
            AtomicFiles.writeBytes(jsonFile, JSON.writeValueAsBytes(done.get(0).json()));
        } else {
            ObjectNode all = JSON.createObjectNode();
            ArrayNode list = all.putArray("models");
            done.forEach(e -> list.add(e.json()));
            AtomicFiles.writeBytes(jsonFile, JSON.writeValueAsBytes(all));
            printComparison(stdout, done);
        }
        stdout.println("metrics written to " + jsonFile);
        if (skipped > 0) {
            // Not "could not be inspected": an image whose mask has another size was inspected and scored.
            throw new IOException(skipped + " of " + items.size() + " test images are left out of the metrics (see "
                    + "the warnings: unreadable, or a mask of another size than its image)");
        }
        return 0;
    }

    /**
     * Names the {@code ground_truth} folders no {@code test} folder matches (a defect type renamed in one place, a
     * typo): their masks are not used, and a person counting on them would not know.
     */
    private void warnAboutMasksWithoutImages(Path categoryDir) {
        Path groundTruth = categoryDir.resolve("ground_truth");
        if (!java.nio.file.Files.isDirectory(groundTruth)) {
            return;
        }
        try (var folders = java.nio.file.Files.list(groundTruth)) {
            folders.filter(java.nio.file.Files::isDirectory).map(f -> f.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !java.nio.file.Files.isDirectory(
                            categoryDir.resolve("test").resolve(n)))
                    .sorted().forEach(n -> spec.commandLine().getErr().println("warning: " + groundTruth.resolve(n)
                            + " has no test/" + n + " folder beside it: its masks are not used"));
        } catch (java.io.IOException e) {
            // only a warning
        }
    }

    /**
     * Names, per folder, the test images that get no label and so stay out of every metric: a folder whose name
     * cannot be a defect type (it becomes a folder and a label in annotations) and images directly in {@code test/}.
     * Without this a category whose folders are named {@code crack.v2} or {@code Good} would be measured on a part of
     * its images without a word.
     */
    private void warnAboutUnlabelled(List<AnnotatedInspection.Item> items, Path categoryDir) {
        Map<String, Integer> byFolder = new TreeMap<>();
        for (AnnotatedInspection.Item item : items) {
            if (item.annotation().label() == Label.UNLABELLED) {
                int slash = item.name().indexOf('/');
                byFolder.merge(slash > 0 ? item.name().substring(0, slash) : "", 1, Integer::sum);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        byFolder.forEach((folder, count) -> {
            String why;
            if (folder.isEmpty()) {
                why = "they are not in a folder (test/good for OK images, test/<defect type> for defective ones)";
            } else {
                try {
                    DefectTypes.validate(folder);
                    why = "they have no label";
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
            err.println("warning: " + count + " test " + (count == 1 ? "image" : "images") + " in "
                    + categoryDir.resolve("test").resolve(folder) + " left out of the metrics: " + why);
        });
    }

    /**
     * One model's evaluation: its folder, its report, the image AUROC of each kind of defect, its JSON and how many
     * test images it could not inspect.
     */
    private record Evaluated(Path dir, ModelFolder folder, EvaluationReport report,
            SortedMap<String, MetricValue> byKind, Verdicts verdicts, ObjectNode json, int skipped) {
    }

    /**
     * The verdict people act on, at the model's calibrated thresholds: good test images flagged (NG or UNSURE, as a
     * person has to look at them) and defective ones called OK. Counted from the eval JSON's per-image rows, so that
     * {@code eval} and {@code benchmark-table} (which reads the JSON files of earlier runs) count alike.
     *
     * @param goodImages      good test images with a score
     * @param falseAlarms     of them, flagged
     * @param defectiveImages defective test images with a score
     * @param misses          of them, called OK
     */
    record Verdicts(int goodImages, int falseAlarms, int defectiveImages, int misses) {
        /**
         * @param evalJson one model's eval JSON
         * @return the counts over its scored, labelled rows ({@code evaluated}: files written before it was
         *         recorded count all), all zero without any
         */
        static Verdicts of(JsonNode evalJson) {
            int good = 0;
            int alarms = 0;
            int defective = 0;
            int missed = 0;
            JsonNode images = evalJson.get("images");
            for (JsonNode i : images == null || !images.isArray() ? List.<JsonNode>of() : images) {
                boolean evaluated = !i.has("evaluated") || i.get("evaluated").asBoolean();
                JsonNode score = i.get("score");
                String verdict = i.has("verdict") ? i.get("verdict").asText() : "";
                if (!evaluated || score == null || !score.isNumber() || verdict.isEmpty()) {
                    continue; // an image nobody labelled has no right answer; one without a score has no verdict
                }
                boolean ok = Verdict.OK.word().equals(verdict);
                String label = i.has("label") ? i.get("label").asText() : "";
                if (Label.OK.key().equals(label)) {
                    good++;
                    alarms += ok ? 0 : 1;
                } else if (Label.DEFECT.key().equals(label)) {
                    defective++;
                    missed += ok ? 1 : 0;
                }
            }
            return new Verdicts(good, alarms, defective, missed);
        }

        /**
         * @param other counts of another test set
         * @return the counts of both
         */
        Verdicts plus(Verdicts other) {
            return new Verdicts(goodImages + other.goodImages, falseAlarms + other.falseAlarms,
                    defectiveImages + other.defectiveImages, misses + other.misses);
        }

        /** @return whether any scored image had a label */
        boolean any() {
            return goodImages + defectiveImages > 0;
        }
    }

    private Evaluated evaluate(Path modelDir, Path categoryDir, List<AnnotatedInspection.Item> items,
            AnnotatedInspection.PixelResolution resolution) throws Exception {
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        ModelFolder folder = ModelFolder.read(modelDir);
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        AnnotatedInspection.Result result;
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, device.choose(err).device(), null, null)) {
            result = AnnotatedInspection.run(pipeline, items, null,
                    (n, total) -> bar.update(n, total, "test images", null), null,
                    pipeline.thresholds().image(), resolution);
        }
        result.skipped().forEach(s -> err.println("warning: " + s + " (skipped)"));
        // the same words as infer's for a picture inspected through a distorted input
        result.outcomes().stream().filter(o -> o.warning() != null)
                .forEach(o -> err.println("warning: " + o.item().file() + " " + o.warning()));
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
                report.imageF1max(), report.testImages(), report.evaluatedPixels(),
                (System.nanoTime() - started) / 1e9, report.maps(),
                report.notes());
        ObjectNode out = JSON.valueToTree(report);
        out.put("model", modelDir.toString());
        out.put("method", folder.settings().method().cliName());
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
            row.put("pixel_metrics", o.evaluated() && !o.imageOnly());
        }
        // An image without a result is a row too (verdict ERROR and the reason), so the list accounts for every
        // test image, as results.csv does.
        Set<Path> inspected = new HashSet<>();
        result.outcomes().forEach(o -> inspected.add(o.item().file()));
        Map<Path, AnnotatedInspection.Item> byFile = new HashMap<>();
        items.forEach(item -> byFile.put(item.file(), item));
        for (ImportReport.Skipped s : result.skipped()) {
            AnnotatedInspection.Item item = byFile.get(s.file());
            if (item == null || inspected.contains(s.file())) {
                continue;
            }
            ObjectNode row = images.addObject();
            row.put("file", item.name());
            row.put("label", item.annotation().label().key());
            row.putNull("score");
            row.put("verdict", ResultsCsv.ERROR);
            row.put("evaluated", false);
            row.put("pixel_metrics", false);
            row.put("error", s.reason());
        }
        SortedMap<String, MetricValue> byKind = ImageAurocByKind.compute(result.outcomes().stream()
                .filter(AnnotatedInspection.Outcome::evaluated)
                .map(o -> new ImageAurocByKind.ScoredImage(o.item().name(), o.score(),
                        o.item().annotation().label() == Label.DEFECT))
                .toList());
        ObjectNode kinds = out.putObject("image_auroc_by_kind");
        byKind.forEach((kind, auroc) -> kinds.putPOJO(kind, auroc.orNull()));
        Verdicts verdicts = Verdicts.of(out);
        ObjectNode atThresholds = out.putObject("verdicts");
        atThresholds.put("good_images", verdicts.goodImages());
        atThresholds.put("false_alarms", verdicts.falseAlarms());
        atThresholds.put("defective_images", verdicts.defectiveImages());
        atThresholds.put("misses", verdicts.misses());
        return new Evaluated(modelDir, folder, report, byKind, verdicts, out, result.skipped().size());
    }

    /**
     * The models side by side: one column per model, named by its method and folder (with the parent folder when
     * two folders share a name). Timings are left out: the first model also pays for starting the engine.
     */
    private static void printComparison(PrintWriter out, List<Evaluated> done) {
        List<String> names = new ArrayList<>();
        for (Evaluated e : done) {
            boolean clash = done.stream().filter(o -> o.dir().getFileName().equals(e.dir().getFileName())).count() > 1;
            Path shown = clash && e.dir().getParent() != null
                    ? e.dir().getParent().getFileName().resolve(e.dir().getFileName()) : e.dir().getFileName();
            names.add(e.folder().settings().method().displayName() + " (" + shown + ")");
        }
        int width = Math.max(10, names.stream().mapToInt(String::length).max().orElse(10));
        String cell = " %" + width + "s";
        out.println();
        out.printf(Locale.ROOT, "%-14s", "side by side");
        names.forEach(n -> out.printf(Locale.ROOT, cell, n));
        out.println();
        row(out, cell, "image AUROC", done, r -> r.imageAuroc());
        row(out, cell, "pixel AUROC", done, r -> r.pixelAuroc());
        row(out, cell, "AUPRO@0.3", done, r -> r.aupro());
        row(out, cell, "pixel AP", done, r -> r.pixelAp());
        row(out, cell, "image F1-max", done, r -> r.imageF1max());
    }

    private static void row(PrintWriter out, String cell, String name, List<Evaluated> done,
            java.util.function.Function<EvaluationReport, Double> metric) {
        out.printf(Locale.ROOT, "%-14s", name);
        done.forEach(e -> out.printf(Locale.ROOT, cell, fmt(metric.apply(e.report()))));
        out.println();
    }

    private static void printTable(PrintWriter out, EvaluationReport r, SortedMap<String, MetricValue> byKind,
            ModelFolder folder, Path modelDir, Path categoryDir) {
        Method method = folder.settings().method();
        out.printf(Locale.ROOT, "%s model %s (%s teacher) on %s: %d test images, %.1f s%n",
                method.cliName(), modelDir, folder.teacher().cliName(), categoryDir, r.testImages(), r.seconds());
        // DMDD's two branch maps; the other methods' fine and coarse levels (the JSON keeps one set of keys)
        String first = method.hasBranchMaps() ? "normality" : "fine level";
        String second = method.hasBranchMaps() ? "abnormality" : "coarse levels";
        out.printf(Locale.ROOT, "%-14s %10s %12s %14s%n", "metric", "fused", first, second);
        EvaluationReport.MapMetrics n = r.maps().get(EvaluationReport.NORMALITY);
        EvaluationReport.MapMetrics a = r.maps().get(EvaluationReport.ABNORMALITY);
        out.printf(Locale.ROOT, "%-14s %10s%n", "image AUROC", fmt(r.imageAuroc()));
        out.printf(Locale.ROOT, "%-14s %10s %12s %14s%n", "pixel AUROC", fmt(r.pixelAuroc()), fmt(n.pixelAuroc()),
                fmt(a.pixelAuroc()));
        out.printf(Locale.ROOT, "%-14s %10s %12s %14s%n", "AUPRO@0.3", fmt(r.aupro()), fmt(n.aupro()), fmt(a.aupro()));
        out.printf(Locale.ROOT, "%-14s %10s%n", "pixel AP", fmt(r.pixelAp()));
        out.printf(Locale.ROOT, "%-14s %10s%n", "image F1-max", fmt(r.imageF1max()));
        if (byKind.size() > 1) {
            // each kind's defective images against all good ones: which defects the verdict misses
            StringBuilder kinds = new StringBuilder();
            byKind.forEach((kind, auroc) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(kind).append(' ')
                    .append(fmt(auroc.orNull())));
            out.println("image AUROC by defect kind: " + kinds);
        }
        r.notes().forEach((k, why) -> out.println("n/a " + k + ": " + why));
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
