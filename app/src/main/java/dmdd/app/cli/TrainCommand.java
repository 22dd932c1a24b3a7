package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.layout.LoadedImage;
import dmdd.datasets.layout.MvtecCategory;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DeviceChoice;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.Checkpoint;
import dmdd.model.train.PairSynthesizer;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains a model on the normal images of one MVTec AD category, or of several for one shared model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model (DMDD, AAND, DCAM or the baseline) on ROOT/NAME/train/good and save it to "
                + "MODEL_DIR.", "--category a,b,c (or all) trains one model on several categories' normal images at "
                + "once: DCAM is made for that; evaluate it on each category in turn."})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    CategoryOptions category;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "folder to save the model to")
    Path out;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "dmdd, aand, dcam or baseline (default: the --settings file's, else dmdd)")
    MethodChoice method;

    @Mixin
    DeviceOption device;

    @Option(names = "--backbone", paramLabel = "NAME",
            converter = BackboneConverter.class, completionCandidates = BackboneConverter.class,
            description = "teacher: ${COMPLETION-CANDIDATES} (default: the --settings file's, else mobilenetv2)")
    BackboneKind backbone;

    @Option(names = "--steps", paramLabel = "N",
            description = "training steps in all; DMDD splits them between the student and the segmentation "
                    + "network in the settings' proportion (default: the settings' steps)")
    Integer steps;

    @Option(names = "--image-size", paramLabel = "PX", description = "network input side, a multiple of 32 "
            + "(default: the settings' size)")
    Integer imageSize;

    @Option(names = "--scale", paramLabel = "S", description = {"camera-resolution tiling: original pixels per "
            + "network pixel (1 = native resolution); 0 shrinks the whole image to the input (default: the settings' "
            + "inspectionScale, 0)"})
    Double scale;

    @Option(names = "--tile", paramLabel = "PX", description = "tile side when tiling, a multiple of 32 (the network "
            + "input; same as --image-size)")
    Integer tile;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: the settings' seed)")
    Long seed;

    @Option(names = "--batch", paramLabel = "N", description = "images per step (default: the settings' batch)")
    Integer batch;

    @Option(names = "--threads", paramLabel = "N", description = "intra-op CPU threads, 0 = automatic: the "
            + "processors other programs leave free (default: the settings')")
    Integer threads;

    @Option(names = "--settings", paramLabel = "FILE", description = "a DMDD settings JSON file (absent fields keep "
            + "their defaults); the options above override it")
    Path settingsFile;

    /** As given: a map would keep the last of two values for one name without a word. */
    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "change any setting by name, e.g. --set topK=50 --set asppRates=[2,4,6]")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume", description = "continue from the checkpoint in MODEL_DIR (same settings)")
    boolean resume;

    @Option(names = "--restart", description = "start from scratch although MODEL_DIR holds the checkpoint of a run "
            + "that has not finished (the checkpoint is replaced; without this, such a folder is refused)")
    boolean restart;

    /** How long Ctrl-C or SIGTERM waits for the run to save its checkpoint (a step and the write take seconds). */
    static final java.time.Duration SAVE_GRACE = java.time.Duration.ofSeconds(20);

    @Override
    public Integer call() throws Exception {
        DmddSettings settings = settings();
        List<Path> categoryDirs = category.folders();
        for (Path categoryDir : categoryDirs) {
            CliInputs.outsideOf(out, categoryDir, "--out", "the category " + categoryDir.getFileName(),
                    "the model's files would become a test image folder or a defect type without masks, and eval "
                            + "of the category would fail");
        }
        try {
            dmdd.model.project.Project.requireSlotFor(out, settings.method());
        } catch (IllegalArgumentException e) {
            throw new CliException("--out " + e.getMessage());
        }
        Path firstCreated = CliInputs.firstMissing(out);
        Path modelDir = CliInputs.modelOutputFolder(out, "--out");
        try {
            return train(settings, categoryDirs, modelDir);
        } catch (Exception | Error e) {
            // a run that failed before writing anything (no teacher weights, no readable image) leaves none of the
            // empty folders it created
            CliInputs.removeCreated(modelDir, firstCreated);
            throw e;
        }
    }

    /** What a training step's inputs are when they are not the whole images: " (tiles)", " (crops of ...)" or "". */
    static String whatIsTrainedOn(DmddSettings settings) {
        return settings.isTiled() ? " (tiles)" : settings.isZoomed()
                ? " (crops of the whole image at " + settings.zoomedSide() + " px)" : "";
    }

    private int train(DmddSettings settings, List<Path> categoryDirs, Path modelDir) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (resume && restart) {
            throw new CliException("--resume and --restart contradict each other: give one");
        }
        if (!resume && !restart && TrainingJob.hasRunToResume(modelDir)) {
            // The same command run again after a crash or Ctrl-C would start over and overwrite the checkpoint.
            throw new CliException("--out " + modelDir + " holds the checkpoint of a run that has not finished ("
                    + Checkpoint.FILE_NAME + ", saved " + Files.getLastModifiedTime(modelDir.resolve(
                            Checkpoint.FILE_NAME)).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "): --resume continues it, --restart starts over and replaces it");
        }
        if (settings.inspectionZoom() != 1 && settings.isTiled()) {
            err.println("warning: inspectionZoom " + settings.inspectionZoom() + " has no effect with camera tiling "
                    + "(--scale / --tile): the scale says how large images are inspected");
        } else if (settings.inspectionZoom() != 1 && !settings.isZoomed()) {
            err.println("warning: inspectionZoom " + settings.inspectionZoom() + " rounds to the " + settings.imageSize()
                    + " px input (the zoomed side is a multiple of 32 px): no zoom");
        }

        PairSynthesizer synthesis;
        try {
            // the texture folder is the user's input: refused before the images are read and
            // "training ..." is said, like every other bad argument
            synthesis = TrainingJob.productionSynthesis(settings);
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }

        // By category: each one is held out for the thresholds in its share.
        List<List<RgbImage>> imageSets = new ArrayList<>();
        for (Path categoryDir : categoryDirs) {
            ImportReport<LoadedImage> loaded = MvtecCategory.open(categoryDir).loadTrainGood(
                    settings.preprocessing()
                        .networkInputs(warning -> err.println("warning: " + warning)));
            loaded.skipped().forEach(s -> err.println("warning: " + s + " (skipped)"));
            if (loaded.loaded().isEmpty()) {
                throw new CliException("empty training set: no readable image in " + categoryDir.resolve("train/good"));
            }
            imageSets.add(loaded.loaded().stream().map(LoadedImage::image).toList());
        }
        String source = categoryDirs.size() == 1 ? categoryDirs.get(0).toString()
                : categoryDirs.size() + " categories (" + categoryDirs.stream().map(d -> d.getFileName().toString())
                        .collect(java.util.stream.Collectors.joining(", ")) + ")";
        // the count the split gives (at least one of each category of two or more images), not a nominal share
        int heldOut = dmdd.datasets.layout.Split.byGroup(imageSets, settings.validationFraction(), settings.seed())
                .validation().size();
        stdout.printf(Locale.ROOT, "training %s (%s teacher) on %d normal images of %s (%d held out for the "
                        + "thresholds): %d steps at %d px%s, batch %d%n", settings.method().cliName(),
                settings.backbone(), imageSets.stream().mapToInt(List::size).sum(), source, heldOut, settings.totalSteps(),
                settings.imageSize(), whatIsTrainedOn(settings), settings.batchSize());
        if (settings.isZoomed()) {
            // the zoom's price is paid at every inspection, not in training: say it before the minutes are spent
            stdout.printf(Locale.ROOT, "each inspected image will take %d network passes (%d tiles of %d px over "
                    + "the %d px image, %d passes each) instead of %d without the zoom%n",
                    InspectionPipeline.passesPerImage(settings), InspectionPipeline.zoomTiles(settings),
                    settings.imageSize(), settings.zoomedSide(), settings.passesPerInput(), settings.passesPerInput());
        }
        stdout.flush();
        DeviceChoice choice = device.choose(err);
        try (NDManager manager = DjlRuntime.engine().newBaseManager(choice.device())) {
            Backbone teacher = Teachers.load(settings.backboneKind(), manager);
            ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
            TrainingResult result;
            try (StopOnShutdown stop = new StopOnShutdown(SAVE_GRACE)) {
                try {
                    result = TrainingJob.runOnSets(settings, imageSets, teacher, synthesis, modelDir,
                            listener(bar, err), stop, resume);
                } catch (IllegalArgumentException refused) {
                    // what the user asked for cannot be done (a folder of other files, --resume with other
                    // settings): a usage error, exit 2, as README says
                    throw new CliException(refused.getMessage());
                }
                if (!result.completed() && !java.nio.file.Files.isRegularFile(
                        modelDir.resolve(dmdd.model.train.Checkpoint.FILE_NAME))) {
                    err.printf(Locale.ROOT, "%nstopped before the first step: nothing was saved in %s (run the same "
                            + "command to start)%n", modelDir);
                    err.flush();
                    return DmddCli.EXIT_FAILURE;
                }
                if (!result.completed()) {
                    err.printf(Locale.ROOT, "%nstopped at step %d of %d; the checkpoint in %s is saved: run the same "
                            + "command with --resume to go on%n", result.completedSteps(), settings.totalSteps(), modelDir);
                    err.flush();
                    return DmddCli.EXIT_FAILURE;
                }
                if (!result.unchanged()) {
                    stop.noteIfStoppedDuringSave(err);
                }
                // said before the stop is released: a signal that came during the save must not cut the last line
                if (result.unchanged()) {
                    stdout.printf(Locale.ROOT, "the model in %s is unchanged (%d steps)%n", modelDir,
                            result.completedSteps());
                } else {
                    stdout.printf(Locale.ROOT, "trained %d step%s in %s; model saved to %s%n", result.completedSteps(),
                            result.completedSteps() == 1 ? "" : "s",
                            ProgressBar.format(Duration.ofMillis(Math.round(result.seconds() * 1000))), modelDir);
                }
                stdout.flush();
            }
        }
        return 0;
    }

    /** Defaults, then the settings file, then --set, then the named options. */
    DmddSettings settings() throws IOException {
        DmddSettings s = DmddSettings.defaults();
        if (settingsFile != null) {
            if (!Files.isRegularFile(settingsFile)) {
                throw new CliException("--settings " + settingsFile + ": no such file");
            }
            try {
                s = DmddSettings.fromJson(Files.readString(settingsFile));
            } catch (IllegalArgumentException e) {
                throw new CliException("--settings " + settingsFile + ": " + e.getMessage());
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String set : sets) {
            int eq = set.indexOf('=');
            String name = eq < 0 ? set : set.substring(0, eq);
            String value = eq < 0 ? "" : set.substring(eq + 1);
            String before = overrides.put(name, value);
            if (before != null) {
                throw new CliException("--set " + name + " is given twice (" + before + " and " + value
                        + "): give it once");
            }
        }
        Map<String, Object> given = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                throw new CliException("--set " + k + ": give NAME=VALUE (for example --set " + k + "=...)");
            }
            given.put(k, parseValue(v));
        });
        Map<String, Object> changes = new LinkedHashMap<>(given);
        // the named options win over --set and the settings file only when given
        if (method != null) {
            changes.put("method", method.name());
        }
        if (backbone != null) {
            changes.put("backbone", backbone.cliName());
        }
        if (imageSize != null && tile != null && !imageSize.equals(tile)) {
            throw new CliException("--tile " + tile + " and --image-size " + imageSize + " disagree: the tile is the "
                    + "network input; give one of them");
        }
        if (imageSize != null || tile != null) {
            changes.put("imageSize", imageSize != null ? imageSize : tile);
        }
        if (scale != null) {
            changes.put("inspectionScale", scale);
        } else if (tile != null) {
            changes.put("inspectionScale", 1.0); // a tile without a scale means native resolution
        }
        if (seed != null) {
            changes.put("seed", seed);
        }
        if (batch != null) {
            changes.put("batchSize", batch);
        }
        if (threads != null) {
            changes.put("threads", threads);
        }
        if (steps != null && steps < 1) {
            throw new CliException("--steps " + steps + ": must be at least 1");
        }
        // the same setting twice with two values (--image-size 64 --set imageSize=96) is a mistake, not a ranking
        changes.forEach((name, value) -> {
            if (given.containsKey(name) && !sameValue(given.get(name), value)) {
                throw new CliException("--set " + name + "=" + overrides.get(name) + " and "
                        + OPTION_OF.getOrDefault(name, "an option") + " (" + value + ") disagree: give one of them");
            }
        });
        try {
            DmddSettings chosen = s.with(changes);
            return steps == null ? chosen : chosen.withTotalSteps(steps);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage().replaceFirst("^bad setting: ", ""));
        }
    }

    /** The named option that sets each setting, for messages. */
    private static final Map<String, String> OPTION_OF = Map.of("method", "--method", "backbone", "--backbone",
            "imageSize", "--image-size / --tile", "inspectionScale", "--scale / --tile", "seed", "--seed",
            "batchSize", "--batch", "threads", "--threads");

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return String.valueOf(a).equalsIgnoreCase(String.valueOf(b));
    }

    /** A JSON literal when it parses as one (numbers, booleans, lists), otherwise the text itself. */
    private static Object parseValue(String v) {
        try {
            return JSON.readValue(v, Object.class);
        } catch (IOException e) {
            return v;
        }
    }

    static TrainingListener listener(ProgressBar bar, PrintWriter err) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                Double loss = p.losses().get("total");
                String detail = String.format(Locale.ROOT, "%s %d/%d  loss %s  %.1f img/s", p.stageName(), p.stageStep(),
                        p.stageSteps(), loss == null ? "-" : String.format(Locale.ROOT, "%.4f", loss), p.imagesPerSecond());
                bar.update(p.completedSteps(), p.totalSteps(), detail,
                        p.etaSeconds() > 0 ? Duration.ofSeconds(Math.round(p.etaSeconds())) : null);
            }

            @Override
            public void onMessage(String message) {
                err.println(message);
                err.flush();
            }
        };
    }
}
