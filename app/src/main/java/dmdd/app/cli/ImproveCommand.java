package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.layout.LoadedImage;
import dmdd.datasets.layout.NormalFolder;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelVersions;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingResult;
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

/** {@code improve}: continues a model on more normal images, keeping the previous model as a version. */
@Command(name = "improve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue training the model in MODEL_DIR from its current weights for a short, bounded number "
                + "of steps on the normal images in DIR (for example the original ones plus the images people marked "
                + "OK), re-fit its thresholds on the held-out ones and save it; the previous model is kept as a "
                + "version in MODEL_DIR/versions/ (listed at the end)."})
final class ImproveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOption device;

    @Option(names = "--normal", required = true, paramLabel = "DIR",
            description = "folder of normal images (sub-folders included)")
    Path normal;

    @Option(names = "--steps", paramLabel = "N",
            description = "steps (default: the model's improveSteps setting; at most " + DmddSettings.MAX_IMPROVE_STEPS
                    + ")")
    Integer steps;

    @Override
    public Integer call() throws Exception {
        Path modelDir = model.folder();
        ModelFolder current = ModelFolder.read(modelDir);
        // the improved model is saved there: checked before the lock file, whose bare path is all the file system says
        CliInputs.modelOutputFolder(modelDir, "--model");
        DmddSettings settings = current.settings();
        int n = steps == null ? settings.improveSteps() : steps;
        if (n < 1 || n > DmddSettings.MAX_IMPROVE_STEPS) {
            throw new CliException("--steps " + n + ": an improvement takes 1 to " + DmddSettings.MAX_IMPROVE_STEPS
                    + " steps");
        }
        Path dir = CliInputs.existingFolder(normal, "--normal");
        CliInputs.notResults(dir, "--normal");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ImportReport<LoadedImage> loaded = NormalFolder.open(dir, true).load(
                settings.preprocessing()
                        .networkInputs(warning -> err.println("warning: " + warning)));
        loaded.skipped().forEach(s -> err.println("warning: " + s + " (skipped)"));
        if (loaded.loaded().isEmpty()) {
            throw new CliException("--normal " + dir + ": no readable image");
        }
        // By sub-folder (part type), as training holds them out: each keeps its share of the held-out images.
        java.util.Map<String, List<RgbImage>> bySet = new java.util.TreeMap<>();
        for (LoadedImage image : loaded.loaded()) {
            Path inside = dir.relativize(image.file());
            String set = inside.getNameCount() > 1 ? inside.getName(0).toString() : "";
            bySet.computeIfAbsent(set, k -> new java.util.ArrayList<>()).add(image.image());
        }
        stdout.printf(Locale.ROOT, "improving %s on %d normal images of %s: %d steps at %d px%s from the current "
                + "model (%d steps so far)%n", modelDir, loaded.loaded().size(), dir, n, settings.imageSize(),
                TrainCommand.whatIsTrainedOn(settings), current.training().steps());
        stdout.flush();
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device.choose(err).device())) {
            Backbone teacher = Teachers.load(current.teacher(), manager);
            ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
            try (StopOnShutdown stop = new StopOnShutdown(TrainCommand.SAVE_GRACE)) {
                TrainingResult result = TrainingJob.improveOnSets(modelDir, List.copyOf(bySet.values()), teacher, n,
                        TrainCommand.listener(bar, err), stop);
                // said before the stop is released: a signal that came during the save must not cut the report
                if (!result.completed()) {
                    err.println("error: the improvement stopped after " + result.completedSteps()
                            + " steps; the model is as it was");
                    err.flush();
                    return DmddCli.EXIT_FAILURE;
                }
                stop.noteIfStoppedDuringSave(err);
                report(stdout, modelDir);
            }
        }
        return 0;
    }

    /** An ISO-8601 time to the second, so that the table's columns line up; another text as it is. */
    static String toSeconds(String isoTime) {
        if (isoTime == null) {
            return "-";
        }
        try {
            return java.time.Instant.parse(isoTime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return isoTime;
        }
    }

    private static void report(PrintWriter stdout, Path modelDir) throws java.io.IOException {
        ModelFolder improved = ModelFolder.read(modelDir);
        stdout.printf(Locale.ROOT, "improved: OK at or below %.6g, NG above %.6g; model versions:%n",
                improved.thresholds().image(), improved.thresholds().imageNg());
        stdout.printf(Locale.ROOT, "%-8s %-24s %7s %8s %s%n", "version", "date", "steps", "normals",
                "false alarms (held-out normals)");
        for (ModelVersions.Version v : ModelVersions.list(modelDir)) {
            stdout.printf(Locale.ROOT, "%-8s %-24s %7d %8d %s%n", v.id(), toSeconds(v.createdAt()), v.steps(),
                    v.normalImages(),
                    Double.isNaN(v.falseAlarmRate()) ? "-" : String.format(Locale.ROOT, "%.1f %%",
                            100 * v.falseAlarmRate()));
        }
        for (String damaged : ModelVersions.unreadable(modelDir)) {
            // left out of the table, not out of sight: it cannot be restored
            stdout.println("cannot be restored: " + damaged);
        }
        stdout.flush();
    }
}
