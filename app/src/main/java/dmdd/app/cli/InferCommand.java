package dmdd.app.cli;

import dmdd.datasets.image.FileNames;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Thresholds;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.viz.Colormap;
import dmdd.model.viz.Heatmaps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infer}: inspects a folder of images with a saved model. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inspect every image in DIR: write its three maps (DMDD: normality, abnormality, fused; AAND, DCAM, "
                + "baseline: fine, coarse, fused) as PNG heatmaps "
                + "(Turbo colours over the model's calibrated range, the same for every image)",
            "and the fused map overlaid on the image, as <name>.<map>.png, plus results.csv (file, score, verdict "
                + "OK/UNSURE/NG or ERROR, threshold, ng_threshold, annotated_label, error, fused_map)."})
final class InferCommand implements Callable<Integer> {
    /** Name of the table written next to the maps. */
    static final String RESULTS = ResultsCsv.FILE_NAME;
    /** Opacity of the overlay's colour where the fused map is at the top of its range. */
    static final double OVERLAY_OPACITY = 0.6;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "folder of images to inspect")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the maps and results.csv")
    Path out;

    @Override
    public Integer call() throws Exception {
        CliInputs.notResults(images, "--images");
        List<Path> files = CliInputs.images(images, "--images");
        CliInputs.outsideOf(out, images, "--out");
        Path modelDir = model.folder();
        Path firstCreated = CliInputs.firstMissing(out);
        Path outDir = CliInputs.outputFolder(out, "--out");
        PrintWriter err = spec.commandLine().getErr();
        CliInputs.noteFilesLeftOut(images, err, files.size());
        CliInputs.claimOutputFolder(outDir);
        try {
            return inspect(files, modelDir, outDir, err);
        } catch (Exception | Error e) {
            CliInputs.removeIfUnused(outDir, firstCreated);
            throw e;
        }
    }

    private int inspect(List<Path> files, Path modelDir, Path outDir, PrintWriter err) throws Exception {
        List<ResultsCsv.Row> rows = new ArrayList<>();
        Set<String> usedNames = new HashSet<>();
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        Thresholds used;
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, device.choose(err).device(), null, null);
             StopOnShutdown stop = new StopOnShutdown(TrainCommand.SAVE_GRACE)) {
            // The model and the device are open: only now do the earlier results go.
            CliInputs.RunStart started = CliInputs.clearEarlierRun(outDir, err);
            CliInputs.Heartbeat alive = new CliInputs.Heartbeat(outDir);
            // a person's own file named like a map stays: this run's maps take other names
            usedNames.addAll(CliInputs.mapStemsLeft(outDir));
            // a project's model: the thresholds set in the workstation, so that its verdicts are the workstation's
            Thresholds thresholds = ProjectThresholds.ofModel(modelDir, pipeline.model(), err);
            used = thresholds;
            boolean stopped = false;
            Throwable failure = null;
            try {
                pipeline.inspectFiles(files, InspectionPipeline.FULL_SIZE, new InspectionPipeline.Receiver() {
                    @Override
                    public void inspected(Inspection inspection) throws IOException {
                        if (inspection.warning() != null) {
                            // A verdict is given, but the person should know the model saw a distorted picture.
                            err.println("warning: " + inspection.file() + " " + inspection.warning());
                        }
                        String name = outputName(inspection.file(), usedNames);
                        writeMaps(outDir, name, inspection.picture(), inspection.maps(), thresholds,
                                pipeline.settings().method().mapNames());
                        rows.add(ResultsCsv.inspected(ImageFiles.nameIn(inspection.file().getParent(),
                                inspection.file()), inspection.score(), thresholds.image(), thresholds.imageNg(), null)
                                .withFusedMap(mapFile(name, "fused")));
                        bar.update(rows.size(), files.size(), "images", null);
                    }

                    @Override
                    public void failed(Path file, IOException reason) {
                        err.println("warning: " + reason.getMessage());
                        rows.add(ResultsCsv.failed(ImageFiles.nameIn(file.getParent(), file), thresholds.image(),
                                thresholds.imageNg(), reason.getMessage()));
                        bar.update(rows.size(), files.size(), "images", null);
                    }
                }, stop);
            } catch (CancellationException e) {
                stopped = true;
            } catch (Exception | Error e) {
                failure = e;
            }
            if (failure == null) {
                try {
                    // what was inspected before a stop is kept, said as such below
                    ResultsCsv.write(rows, outDir.resolve(RESULTS));
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            }
            alive.close();
            if (failure != null) {
                // No part of a run left looking like a whole one: its files go, the earlier results come back
                // (throws the failure on).
                CliInputs.undoAfterFailure(outDir, started, err, rows.size(), files.size(), failure);
            }
            CliInputs.recordRun(outDir, started);
            if (stopped) {
                // Ctrl-C or SIGTERM, said before the shutdown goes on
                return StopOnShutdown.reportStopped(err, rows.size(), files.size(), outDir.resolve(RESULTS));
            }
        }
        long defective = rows.stream().filter(ResultsCsv.Row::defective).count();
        long unsure = rows.stream().filter(ResultsCsv.Row::unsure).count();
        long failed = rows.stream().filter(r -> r.verdict() == null).count();
        PrintWriter stdout = spec.commandLine().getOut();
        long inspected = rows.size() - failed;
        stdout.printf(Locale.ROOT, "%d %s inspected: %d NG, %d UNSURE, %d OK (OK at or below %s, NG above %s); "
                + "maps and %s in %s%n", inspected, inspected == 1 ? "image" : "images", defective, unsure,
                inspected - defective - unsure, number(used.image()), number(used.imageNg()), RESULTS, outDir);
        if (failed > 0) {
            throw new IOException(CliInputs.noResult(failed, files.size()) + " (see the warnings and "
                    + "the ERROR rows of " + RESULTS + ")");
        }
        return 0;
    }

    /** The three heatmaps, each on its own calibrated range, and the fused map over the image. */
    static void writeMaps(Path dir, String name, RgbImage image, AnomalyMaps m, Thresholds t, List<String> mapNames)
            throws IOException {
        int w = m.width();
        int h = m.height();
        write(dir, name, mapNames.get(0), Heatmaps.heatmap(m.normality(), t.normality().low(), t.normality().high(),
                Colormap.TURBO), w, h);
        write(dir, name, mapNames.get(1), Heatmaps.heatmap(m.abnormality(), t.abnormality().low(),
                t.abnormality().high(), Colormap.TURBO), w, h);
        write(dir, name, "fused", Heatmaps.heatmap(m.fused(), t.fused().low(), t.fused().high(), Colormap.TURBO), w, h);
        RgbImage base = image.width() == w && image.height() == h ? image : image.resize(w, h);
        write(dir, name, "overlay", Heatmaps.overlay(base, m.fused(), t.fused().low(), t.fused().high(), Colormap.TURBO,
                OVERLAY_OPACITY), w, h);
    }

    private static void write(Path dir, String name, String kind, int[] argb, int w, int h) throws IOException {
        ImageWriter.writePng(Heatmaps.toBufferedImage(argb, w, h), dir.resolve(mapFile(name, kind)));
    }

    /** The file of one of an image's maps ({@code kind}: a map's name or {@code overlay}), as results.csv names it. */
    private static String mapFile(String name, String kind) {
        return name + "." + kind + ".png";
    }

    /**
     * The file's stem, or its whole name when another file already has that stem ({@code a.png} and {@code a.jpg}),
     * with {@code ~2}, {@code ~3}, ... when that is taken too ({@code a.jpg.png} came first). Names are compared
     * without case, so two images never share map files on the file systems that ignore it ({@code A.png} and
     * {@code a.jpg}).
     */
    private static String outputName(Path file, Set<String> used) {
        // A long name is cut so that its maps' names still fit the file system.
        String full = FileNames.withinBytes(file.getFileName().toString(), FileNames.MAX_STEM_BYTES);
        int dot = full.lastIndexOf('.');
        String stem = dot > 0 ? full.substring(0, dot) : full;
        if (used.add(stem.toLowerCase(Locale.ROOT))) {
            return stem;
        }
        String name = full;
        for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) {
            name = full + "~" + k;
        }
        return name;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
