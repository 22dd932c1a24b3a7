package dmdd.app.cli;

import dmdd.app.ApplicationVersion;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.image.ImageFiles;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.export.Measurement;
import dmdd.model.export.ModelArchive;
import dmdd.model.export.ResultsExporter;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.pipeline.Verdict;
import dmdd.model.infer.Thresholds;
import dmdd.model.infer.ModelFolder;
import dmdd.model.metrics.EvaluationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: inspects annotated images and writes results.csv, heatmap and overlay PNGs and a
 * self-contained HTML report; and/or packs the model as one zip for another workstation.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inspect images and export results.csv (file, score, verdict, threshold, ng_threshold, "
                + "annotated_label, error, fused_map), heatmaps and overlays (maps/), and report.html; and/or pack the model as one .zip.",
            "Images and annotations come from a workstation project (--project: inspect/, ground_truth/, "
                + "annotations.json), an MVTec AD category (--data/--category: test/, ground_truth/), or a "
                + "plain folder (--images, no annotations)."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    /** Where the images come from. */
    static final class Source {
        @Option(names = "--project", paramLabel = "DIR", description = "a workstation project folder")
        Path project;

        @ArgGroup(exclusive = false)
        Mvtec mvtec;

        @Option(names = "--images", paramLabel = "DIR", description = "a folder of images (no annotations)")
        Path images;
    }

    /** An MVTec AD category. */
    static final class Mvtec {
        @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
        Path data;

        @Option(names = "--category", required = true, paramLabel = "NAME", description = "category folder under ROOT")
        String category;
    }

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "a model saved by train (default: the project's model/)")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for results.csv, maps/ and report.html")
    Path out;

    @Option(names = "--model-zip", paramLabel = "FILE", description = "also pack the model into this .zip")
    Path modelZip;

    @Option(names = "--no-maps", description = "skip the heatmap and overlay PNGs")
    boolean noMaps;

    @Option(names = "--no-html", description = "skip report.html")
    boolean noHtml;

    @Option(names = "--worst", paramLabel = "N", defaultValue = "12",
            description = "highest-scoring images shown in the report (default: ${DEFAULT-VALUE})")
    int worst;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (out == null && modelZip == null) {
            throw new CliException("nothing to export: give --out DIR (results) and/or --model-zip FILE (the model)");
        }
        if (worst < 0) {
            throw new CliException("--worst must be 0 or more, got " + worst);
        }
        Path modelDir = model != null ? CliInputs.existingFolder(model, "--model")
                : source != null && source.project != null ? chosenModel(CliInputs.existingFolder(source.project,
                        "--project")) : null;
        if (modelDir == null) {
            throw new CliException("--model MODEL_DIR is required (or --project DIR, whose chosen method's model is "
                    + "used)");
        }
        ModelFolder folder = ModelFolder.read(modelDir);
        if (out == null) {
            packModel(modelDir, stdout, err);
            return 0;
        }
        if (source == null) {
            throw new CliException("--out needs images: give --project DIR, --data ROOT --category NAME, or --images DIR");
        }
        if (source.images != null) {
            CliInputs.notResults(source.images, "--images");
            CliInputs.outsideOf(out, source.images, "--out");
        } else if (source.project != null) {
            for (String inputs : List.of("inspect", "normal", "ground_truth")) {
                CliInputs.outsideOf(out, source.project.resolve(inputs), "--out", "the project's " + inputs + "/",
                        "its pictures would become images of the project, inspected and measured as defects");
            }
        } else {
            CliInputs.outsideOf(out, source.mvtec.data.resolve(source.mvtec.category.strip()), "--out",
                    "the category " + source.mvtec.category.strip(), "its pictures would become test images or a "
                            + "defect type without masks, and eval of the category would fail");
        }
        Path firstCreated = CliInputs.firstMissing(out);
        Path outDir = CliInputs.outputFolder(out, "--out");
        CliInputs.claimOutputFolder(outDir);
        try {
            // packed once the results folder is claimed: a zip written into it first made the claim refuse the
            // folder as someone else's, after the zip was written, and again at every run
            packModel(modelDir, stdout, err);
            return exportResults(outDir, modelDir, folder, stdout, err);
        } catch (Exception | Error e) {
            // a run that failed before writing leaves no new folder that looks like results
            CliInputs.removeIfUnused(outDir, firstCreated);
            throw e;
        }
    }

    /** Packs the model into {@code --model-zip}'s file; nothing without the option. */
    private void packModel(Path modelDir, PrintWriter stdout, PrintWriter err) throws IOException {
        if (modelZip == null) {
            return;
        }
        Path zip = CliInputs.outputFile(modelZip, "--model-zip", CliInputs.OutputKind.ZIP);
        if (Files.exists(zip)) {
            err.println("note: replacing " + zip);
        }
        ModelArchive.Manifest manifest = ModelArchive.export(modelDir, zip, ApplicationVersion.get());
        stdout.printf(Locale.ROOT, "model packed into %s (%s teacher, %d files%s)%n", zip, manifest.teacher(),
                manifest.files().size(), manifest.carriesWorkstationThresholds()
                        ? ", with the thresholds set in the workstation" : "");
    }

    private int exportResults(Path outDir, Path modelDir, ModelFolder folder, PrintWriter stdout, PrintWriter err)
            throws Exception {
        String title;
        List<AnnotatedInspection.Item> items = new ArrayList<>();
        if (source.images != null) {
            Path dir = CliInputs.existingFolder(source.images, "--images");
            title = dir.getFileName().toString();
            for (Path f : ImageFiles.listRecursively(dir)) {
                items.add(new AnnotatedInspection.Item(f, ImageFiles.nameIn(dir, f),
                        ImageAnnotation.UNLABELLED));
            }
            CliInputs.noteOtherFiles(dir, true, err);
        } else {
            AnnotationStore store;
            if (source.project != null) {
                Path project = CliInputs.existingFolder(source.project, "--project");
                title = project.getFileName().toString();
                store = AnnotationStore.forProject(project);
            } else {
                Path category = CliInputs.mvtecCategory(source.mvtec.data, source.mvtec.category, true);
                title = category.getFileName().toString();
                store = AnnotationStore.forMvtecCategory(category);
            }
            items.addAll(AnnotatedInspection.items(store));
            CliInputs.noteOtherFiles(store.imagesRoot(), true, err);
            CliInputs.warnAboutMasksCoveringMostOfTheirImage(items, store.imagesRoot(), err);
        }
        if (items.isEmpty()) {
            throw new CliException("no images to inspect");
        }
        Thresholds thresholds = source.project == null ? folder.thresholds()
                : ProjectThresholds.of(source.project, modelDir, folder, stdout);
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        AnnotatedInspection.Result result;
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, device.choose(err).device(), null, null);
             StopOnShutdown stop = new StopOnShutdown(TrainCommand.SAVE_GRACE)) {
            // The inputs are read and the model and the device open: only now do the earlier results go.
            CliInputs.RunStart started = CliInputs.clearEarlierRun(outDir, err);
            CliInputs.Heartbeat alive = new CliInputs.Heartbeat(outDir);
            ResultsExporter exporter = new ResultsExporter(outDir, thresholds,
                    new ResultsExporter.Options(true, !noMaps, !noHtml, worst, 160), folder.settings().method());
            int[] done = new int[1];
            try {
                result = AnnotatedInspection.export(pipeline, items, exporter, title, (d, total) -> {
                    done[0] = d;
                    bar.update(d, total, "images", null);
                }, stop);
            } catch (CancellationException e) {
                // Ctrl-C or SIGTERM: export has written results.csv for the images done (no report without all).
                alive.close();
                CliInputs.recordRun(outDir, started);
                return StopOnShutdown.reportStopped(err, done[0], items.size(), outDir.resolve(ResultsCsv.FILE_NAME));
            } catch (Exception | Error e) {
                // No part of a run left looking like a whole one (a full disk stopped it at some map): its files go,
                // the earlier results come back.
                alive.close();
                CliInputs.undoAfterFailure(outDir, started, err, done[0], items.size(), e);
                throw e; // (undoAfterFailure threw it already)
            }
            alive.close();
            CliInputs.recordRun(outDir, started);
        }
        result.skipped().forEach(s -> err.println("warning: " + s + " (skipped)"));
        // the same words as infer's for a picture inspected through a distorted input
        result.outcomes().stream().filter(o -> o.warning() != null)
                .forEach(o -> err.println("warning: " + o.item().file() + " " + o.warning()));
        report(stdout, result, outDir, thresholds);
        int failed = items.size() - result.outcomes().size();
        if (failed > 0) {
            // As infer: images without a result are a failure of the run, not a footnote (exit 1).
            throw new IOException(CliInputs.noResult(failed, items.size()) + " (see the warnings and "
                    + "the ERROR rows of " + ResultsCsv.FILE_NAME + ")");
        }
        return 0;
    }

    private static void report(PrintWriter out, AnnotatedInspection.Result result, Path outDir, Thresholds thresholds)
            throws IOException {
        double threshold = thresholds.image();
        long ng = result.outcomes().stream().filter(o -> Verdict.of(o.score(), thresholds) == Verdict.NG).count();
        long unsure = result.outcomes().stream().filter(o -> Verdict.of(o.score(), thresholds) == Verdict.UNSURE)
                .count();
        out.printf(Locale.ROOT, "%d images: %d NG, %d UNSURE, %d OK; results in %s%n", result.outcomes().size(), ng,
                unsure, result.outcomes().size() - ng - unsure, outDir);
        Measurement m = result.measurement();
        if (m == null) {
            out.println("no metrics: " + result.note());
            return;
        }
        EvaluationReport r = m.report();
        out.printf(Locale.ROOT, "image AUROC %s  pixel AUROC %s  AUPRO %s  F1@threshold %s  (%d labelled images)%n",
                fmt(r.imageAuroc()), fmt(r.pixelAuroc()), fmt(r.aupro()),
                fmt(Double.isFinite(m.f1AtThreshold()) ? m.f1AtThreshold() : null), r.testImages());
        out.printf(Locale.ROOT, "missed defects %d, false alarms %d%n", result.missedDefects(threshold).size(),
                result.falseAlarms(threshold).size());
        if (result.note() != null) {
            out.println("note: " + result.note());
        }
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * The model of the method chosen in a project's settings (the one the workstation inspects with); a folder
     * without settings has DMDD's {@code model/}.
     */
    private static Path chosenModel(Path project) throws IOException {
        if (!dmdd.model.project.ProjectStore.isProject(project)) {
            return dmdd.model.project.Project.modelDir(project, dmdd.model.dmdd.Method.DMDD);
        }
        dmdd.model.project.Project opened;
        try {
            opened = dmdd.model.project.ProjectStore.open(project);
        } catch (IOException | RuntimeException e) {
            throw new CliException("--project " + project + ": not a readable project (" + e.getMessage() + ")");
        }
        List<dmdd.model.dmdd.Method> trained = opened.trainedMethods();
        if (!trained.contains(opened.method())) {
            // Said in the project's terms: which method is chosen, which ones could be exported instead.
            throw new CliException("--project " + project + ": its chosen method, " + opened.method().displayName()
                    + ", has no trained model yet (" + opened.chosenModelDir() + "); "
                    + (trained.isEmpty() ? "train one on the workstation's Training screen"
                            : "trained: " + trained.stream().map(m -> m.displayName() + " (--model "
                                    + opened.modelDir(m) + ")").collect(java.util.stream.Collectors.joining(", "))
                                    + "; or train " + opened.method().displayName() + " on the Training screen"));
        }
        return opened.chosenModelDir();
    }
}
