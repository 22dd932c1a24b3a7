package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.image.UnreadableImageException;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infer}: inspects a folder of images with a saved model. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inspect every image in DIR: write its normality, abnormality and fused maps as PNG heatmaps "
                + "(Turbo colours over the model's calibrated range, the same for every image)",
            "and the fused map overlaid on the image, as <name>.<map>.png, plus results.csv (file, score, verdict, "
                + "threshold)."})
final class InferCommand implements Callable<Integer> {
    /** Name of the table written next to the maps. */
    static final String RESULTS = "results.csv";
    /** Opacity of the overlay's colour where the fused map is at the top of its range. */
    static final double OVERLAY_OPACITY = 0.6;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "folder of images to inspect")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the maps and results.csv")
    Path out;

    @Override
    public Integer call() throws Exception {
        CliInputs.existingFolder(model, "--model");
        List<Path> files = CliInputs.images(images, "--images");
        Path outDir = CliInputs.outputFolder(out, "--out");
        PrintWriter err = spec.commandLine().getErr();
        ModelFolder folder = ModelFolder.read(model);
        Thresholds thresholds = folder.thresholds();
        ImageReader reader = new ImageReader(Math.max(2 * folder.settings().imageSize(), 1024));
        StringBuilder csv = new StringBuilder("file,score,verdict,threshold\n");
        Set<String> usedNames = new HashSet<>();
        int defective = 0;
        int unreadable = 0;
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device.choose(err).device())) {
            Backbone teacher = Teachers.load(folder.teacher(), manager);
            try (Inspector inspector = Inspector.open(folder, teacher, Inspector.DEFAULT_BATCH)) {
                for (int i = 0; i < files.size(); i += Inspector.DEFAULT_BATCH) {
                    List<Path> chunk = files.subList(i, Math.min(files.size(), i + Inspector.DEFAULT_BATCH));
                    List<Path> readFiles = new ArrayList<>();
                    List<RgbImage> read = new ArrayList<>();
                    for (Path f : chunk) {
                        try {
                            read.add(reader.read(f));
                            readFiles.add(f);
                        } catch (UnreadableImageException e) {
                            err.println("warning: " + e.getMessage());
                            csv.append(csvField(f.getFileName().toString())).append(",,unreadable,")
                                    .append(number(thresholds.image())).append('\n');
                            unreadable++;
                        }
                    }
                    List<AnomalyMaps> maps = read.isEmpty() ? List.of() : inspector.inspect(read);
                    for (int k = 0; k < maps.size(); k++) {
                        AnomalyMaps m = maps.get(k);
                        String name = outputName(readFiles.get(k), usedNames);
                        writeMaps(outDir, name, read.get(k), m, thresholds);
                        boolean bad = thresholds.isDefective(m);
                        defective += bad ? 1 : 0;
                        csv.append(csvField(readFiles.get(k).getFileName().toString())).append(',')
                                .append(number(m.score())).append(',').append(bad ? "defective" : "normal").append(',')
                                .append(number(thresholds.image())).append('\n');
                    }
                    bar.update(i + chunk.size(), files.size(), "images", null);
                }
            }
        }
        AtomicFiles.writeString(outDir.resolve(RESULTS), csv.toString());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%d images inspected: %d defective, %d normal (image threshold %s); maps and %s in %s%n",
                files.size() - unreadable, defective, files.size() - unreadable - defective, number(thresholds.image()),
                RESULTS, outDir);
        if (unreadable > 0) {
            throw new IOException(unreadable + " of " + files.size() + " images could not be read (see the warnings)");
        }
        return 0;
    }

    /** The three heatmaps, each on its own calibrated range, and the fused map over the image. */
    static void writeMaps(Path dir, String name, RgbImage image, AnomalyMaps m, Thresholds t) throws IOException {
        int w = m.width();
        int h = m.height();
        write(dir, name, "normality", Heatmaps.heatmap(m.normality(), t.normality().low(), t.normality().high(),
                Colormap.TURBO), w, h);
        write(dir, name, "abnormality", Heatmaps.heatmap(m.abnormality(), t.abnormality().low(),
                t.abnormality().high(), Colormap.TURBO), w, h);
        write(dir, name, "fused", Heatmaps.heatmap(m.fused(), t.fused().low(), t.fused().high(), Colormap.TURBO), w, h);
        RgbImage base = image.width() == w && image.height() == h ? image : image.resize(w, h);
        write(dir, name, "overlay", Heatmaps.overlay(base, m.fused(), t.fused().low(), t.fused().high(), Colormap.TURBO,
                OVERLAY_OPACITY), w, h);
    }

    private static void write(Path dir, String name, String kind, int[] argb, int w, int h) throws IOException {
        ImageWriter.writePng(Heatmaps.toBufferedImage(argb, w, h), dir.resolve(name + "." + kind + ".png"));
    }

    /** The file's stem, or its whole name when another file already has that stem (a.png and a.jpg). */
    private static String outputName(Path file, Set<String> used) {
        String full = file.getFileName().toString();
        int dot = full.lastIndexOf('.');
        String stem = dot > 0 ? full.substring(0, dot) : full;
        String name = used.add(stem) ? stem : full;
        used.add(name);
        return name;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** RFC 4180: quote a field holding a comma, a quote or a line break. */
    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
