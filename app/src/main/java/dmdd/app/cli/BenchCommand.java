package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.Preprocessing;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.Method;
import dmdd.model.dmdd.TrainingStage;
import dmdd.model.dmdd.NetworkFlops;
import dmdd.model.engine.ChannelsLast;
import dmdd.model.engine.ConvolutionCeiling;
import dmdd.model.engine.ConvolutionKernels;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.FusedConvolution;
import dmdd.model.engine.IntraOpThreads;
import dmdd.model.engine.NativeAllocator;
import dmdd.model.engine.NativeMemoryEnvironment;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.DmddTrainer;
import dmdd.model.train.Synthesis;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: measures a saved model's speed and memory on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure inference images/s and ms/image at batch 1 and 8, training steps/s (each stage, with "
                + "the model's settings), the networks' operation counts and achieved GFLOP/s against this "
                + "machine's convolution ceiling, anomaly synthesis throughput, and peak memory.",
            "Runs on generated normal surfaces at the model's input size unless --images is given."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", paramLabel = "DIR",
            description = "images to run on (default: generated normal surfaces at the model's input size)")
    Path images;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "time spent on each inference measurement (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--train-steps", paramLabel = "N", defaultValue = "4",
            description = "training steps timed per stage, after one warm-up step; 0 skips (default: ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--prefetch", paramLabel = "N",
            description = "threads preparing training batches ahead of the network; 0 = on the training thread "
                    + "(default: automatic, ${DEFAULT-VALUE} here)")
    int prefetch = DmddTrainer.automaticPrefetchWorkers();

    @Option(names = "--soak", paramLabel = "N", defaultValue = "0",
            description = "also run N inference calls of one image and print the resident memory every tenth of "
                    + "them, to show it stays flat (default: ${DEFAULT-VALUE}, off)")
    int soak;

    @Option(names = "--views", paramLabel = "N",
            description = "orientations each image is inspected in for the timing (1, 2, 4 or 8; default: the "
                    + "model's inspectionViews); with --shifts 1, --views 1 times one pass through the networks per "
                    + "image")
    Integer views;

    @Option(names = "--shifts", paramLabel = "N",
            description = "half-cell positions each view is inspected in for the timing (1, 2 or 4; default: the "
                    + "model's inspectionShifts)")
    Integer shifts;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0)) {
            throw new CliException("--seconds " + seconds + ": must be positive");
        }
        if (prefetch < 0) {
            throw new CliException("--prefetch " + prefetch + ": must not be negative");
        }
        if (trainSteps < 0) {
            throw new CliException("--train-steps " + trainSteps + ": must not be negative");
        }
        if (soak < 0) {
            throw new CliException("--soak " + soak + ": must not be negative");
        }
        Path modelDir = model.folder();
        List<Path> files = images == null ? List.of() : CliInputs.images(images, "--images");
        ModelFolder folder = ModelFolder.read(modelDir);
        folder = timedAs(folder, "--views", "inspectionViews", views);
        folder = timedAs(folder, "--shifts", "inspectionShifts", shifts);
        DmddSettings settings = folder.settings();
        int passes = InspectionPipeline.passesPerImage(settings);
        int zoomTiles = InspectionPipeline.zoomTiles(settings);
        int side = settings.imageSize();
        List<RgbImage> inputs = new ArrayList<>();
        if (files.isEmpty()) {
            // A tiled model is timed on camera-sized surfaces, a whole-image model on input-sized ones.
            int generated = settings.isTiled() ? 1024 : settings.zoomedSide();
            for (int i = 0; i < (settings.isTiled() ? 2 : 16); i++) {
                inputs.add(SampleDataset.normalSurface(generated, 1000 + i));
            }
        } else {
            // Pictures as the pipeline decodes them; inspect() then times the resize to the input too.
            // Up to 16 readable ones; an unreadable file is skipped with a warning, as every other command does.
            Preprocessing preprocessing = settings.preprocessing();
            for (Path f : files) {
                if (inputs.size() == 16) {
                    break;
                }
                try {
                    inputs.add(preprocessing.read(f).picture());
                } catch (IOException e) {
                    spec.commandLine().getErr().println("warning: " + e.getMessage() + " (skipped)");
                }
            }
            if (inputs.isEmpty()) {
                throw new CliException("--images " + images + ": none of its " + files.size() + " image files can "
                        + "be read (see the warnings)");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println(NativeAllocator.keepFreedMemory()
                ? "native allocator: glibc keeps freed memory for the next array (-Ddmdd.mallopt=false: system defaults)"
                : "native allocator: the system's defaults");
        out.println(NativeMemoryEnvironment.describe(System.getenv()));
        out.println(ChannelsLast.enabled()
                ? "memory layout: channels last (-D" + ChannelsLast.PROPERTY + "=false: row by row)"
                : "memory layout: row by row (" + ChannelsLast.PROPERTY + "=false)");
        out.printf(Locale.ROOT, "%s model, %s teacher, %d px input, %d threads available%n", settings.method().cliName(),
                folder.teacher().cliName(), side, Runtime.getRuntime().availableProcessors());
        PeakMemory.resetHeapPeak();
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device.choose(err).device())) {
            out.println("convolutions: " + ConvolutionKernels.decision() + "; "
                    + ConvolutionKernels.check(manager).describe());
            out.println(FusedConvolution.active() && !manager.getDevice().isGpu()
                    ? "inference: each convolution and its ReLU in one oneDNN call (-D" + FusedConvolution.PROPERTY
                            + "=false: apart)"
                    : "inference: convolutions and their ReLU apart");
            Backbone teacher = Teachers.load(folder.teacher(), manager);
            NetworkFlops flops;
            try (NDManager scratch = manager.newSubManager()) {
                flops = NetworkFlops.of(folder.loadNetworks(scratch), teacher, side);
            }
            out.printf(Locale.ROOT, "operations per %d px network input (%s): teacher %.2f, student %.2f%s GFLOP "
                    + "(inference %.2f)%n", side, folder.settings().method().displayName(), flops.teacher() / 1e9,
                    flops.student() / 1e9, folder.settings().isDmdd()
                            ? String.format(Locale.ROOT, ", segmenter %.2f", flops.segmenter() / 1e9) : "",
                    flops.inference() / 1e9);
            double ceiling = ConvolutionCeiling.measure(manager, Math.min(seconds, 3));
            out.printf(Locale.ROOT, "engine ceiling: %.1f GFLOP/s (3x3 convolution, 64 channels, batch 8, 64 x 64)%n",
                    ceiling);
            out.printf(Locale.ROOT, "inspection views: %d, shifts: %d (%s %d time%s through the networks%s; "
                    + "--views N and --shifts N time other counts)%n", settings.inspectionViews(),
                    settings.inspectionShifts(),
                    settings.isTiled() ? "each tile of a camera image, as many as its size needs, passes"
                            : "each image passes",
                    passes, passes == 1 ? "" : "s",
                    zoomTiles == 1 ? "" : String.format(Locale.ROOT, ": %d tiles of the whole image zoomed to %d px",
                            zoomTiles, settings.zoomedSide()));
            out.flush();
            for (int batch : new int[] {1, 8}) {
                try (Inspector inspector = Inspector.open(folder, teacher, batch)) {
                    err.println("timing inference at batch " + batch + " for " + seconds + " s");
                    err.flush();
                    inspector.inspect(inputs.subList(0, Math.min(batch, inputs.size()))); // warm-up
                    OptionalLong faultsBefore = PeakMemory.minorPageFaults();
                    long t0 = System.nanoTime();
                    long done = 0;
                    int fewestThreads = Integer.MAX_VALUE;
                    int mostThreads = 0;
                    double megapixels = 0;
                    int at = 0;
                    while (System.nanoTime() - t0 < seconds * 1e9) {
                        List<RgbImage> chunk = new ArrayList<>(batch);
                        for (int k = 0; k < batch; k++) {
                            RgbImage img = inputs.get(at++ % inputs.size());
                            chunk.add(img);
                            megapixels += img.width() * (double) img.height() / 1e6;
                        }
                        inspector.inspect(chunk);
                        done += batch;
                        // the automatic count can change between batches when other programs start or stop
                        int threads = IntraOpThreads.current();
                        fewestThreads = Math.min(fewestThreads, threads);
                        mostThreads = Math.max(mostThreads, threads);
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    OptionalLong faultsAfter = PeakMemory.minorPageFaults();
                    out.printf(Locale.ROOT, "inference batch %d: %.2f images/s, %.1f ms/image, %.1f ms/megapixel "
                            + "(%d images in %.1f s, %s threads)%s%s%n", batch, done / s, 1000 * s / done,
                            1000 * s / megapixels, done, s, fewestThreads == mostThreads ? String.valueOf(mostThreads)
                                    : fewestThreads + "-" + mostThreads, settings.isTiled() ? ""
                                    : String.format(Locale.ROOT, ", %.1f GFLOP/s (%.0f %% of the ceiling)",
                                            flops.inference() * passes * done / s / 1e9,
                                            100 * flops.inference() * passes * done / s / 1e9 / ceiling),
                            faultsBefore.isPresent() && faultsAfter.isPresent()
                                    ? String.format(Locale.ROOT, ", %.0f page faults per image",
                                            (faultsAfter.getAsLong() - faultsBefore.getAsLong()) / (double) done)
                                    : "");
                    out.flush();
                }
            }
            if (soak > 0) {
                soak(folder, teacher, inputs.get(0), out);
            }
            if (trainSteps > 0) {
                timeSynthesis(settings, out);
                timeTraining(settings, teacher, inputs, flops, ceiling, out, err);
            }
        }
        out.printf(Locale.ROOT, "peak memory: Java heap %s", PeakMemory.format(PeakMemory.heapPeakBytes()));
        OptionalLong rss = PeakMemory.residentPeakBytes();
        out.println(rss.isPresent() ? ", process resident (heap + libtorch) " + PeakMemory.format(rss.getAsLong()) : "");
        return 0;
    }

    /** The model with another inspection setting for the timing, or as it is when the option was not given. */
    private static ModelFolder timedAs(ModelFolder folder, String option, String setting, Integer value) {
        if (value == null) {
            return folder;
        }
        try {
            return new ModelFolder(folder.folder(), folder.settings().with(setting, value), folder.teacher(),
                    folder.thresholds(), folder.training(), folder.weightsFile(), folder.weightsSha256());
        } catch (IllegalArgumentException e) {
            throw new CliException(option + " " + value + ": " + e.getMessage());
        }
    }

    /** Many single-image inference calls; resident memory after each tenth of them. */
    private void soak(ModelFolder folder, Backbone teacher, RgbImage image, PrintWriter out) throws Exception {
        try (Inspector inspector = Inspector.open(folder, teacher, 1)) {
            List<RgbImage> one = List.of(image);
            int report = Math.max(1, soak / 10);
            StringBuilder line = new StringBuilder("resident memory over " + soak + " inference calls (MiB):");
            for (int call = 1; call <= soak; call++) {
                inspector.inspect(one);
                if (call % report == 0) {
                    OptionalLong rss = PeakMemory.residentBytes();
                    line.append(' ').append(rss.isPresent() ? String.valueOf(rss.getAsLong() >> 20) : "?");
                }
            }
            out.println(line);
            out.flush();
        }
    }

    /**
     * Anomaly synthesis alone, on one thread, at the model's input size: the pairs per second one prefetch
     * thread makes, set against what training consumes (a GPU trainer that consumes more than the
     * prefetch threads make waits for the CPU).
     */
    private void timeSynthesis(DmddSettings settings, PrintWriter out) throws IOException {
        if (!settings.method().synthesisesAnomalies()) {
            return;
        }
        var synthesizer = Synthesis.forSettings(settings);
        RgbImage normal = SampleDataset.normalSurface(settings.imageSize(), 7);
        java.util.Random rng = new java.util.Random(1);
        synthesizer.synthesize(normal, rng); // warm-up
        long t0 = System.nanoTime();
        int pairs = 0;
        while (System.nanoTime() - t0 < Math.min(seconds, 3) * 1e9) {
            synthesizer.synthesize(normal, rng);
            pairs++;
        }
        double perSecond = pairs / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "anomaly synthesis: %.1f pairs/s on one thread, about %.1f with %d prefetch threads%n",
                perSecond, perSecond * Math.max(1, prefetch), prefetch);
        out.flush();
    }

    /** Trains a throw-away copy with the model's settings for a few steps per stage, in a temporary folder. */
    private void timeTraining(DmddSettings settings, Backbone teacher, List<RgbImage> inputs, NetworkFlops flops,
                              double ceiling, PrintWriter out, PrintWriter err) throws IOException {
        int steps = trainSteps + 1;
        Map<String, Object> perStage = new java.util.HashMap<>();
        settings.stages().forEach(stage -> perStage.put(stage.stepsSetting(), steps));
        perStage.put("checkpointInterval", 1_000_000);
        DmddSettings s = settings.with(perStage);
        long[] stageStart = new long[3];
        long[] stageEnd = new long[3];
        // the timed student steps by whether their batch norms ran with frozen statistics: count and nanoseconds
        long[][] studentSteps = new long[2][2];
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                long now = System.nanoTime();
                if (p.stageStep() > 1 && p.kind() == TrainingStage.STUDENT) {
                    int frozen = s.studentNormsFrozenAt(p.completedSteps() - 1) ? 1 : 0;
                    studentSteps[frozen][0]++;
                    studentSteps[frozen][1] += now - stageEnd[p.stage()];
                }
                if (p.stageStep() == 1) {
                    stageStart[p.stage()] = now; // after the warm-up step
                }
                stageEnd[p.stage()] = now;
            }
        };
        Path tmp = Files.createTempDirectory("dmdd-bench");
        // Ctrl-C ends the JVM without the finally below: the hook removes the folder (and a checkpoint in it) then.
        Thread removeOnExit = new Thread(() -> deleteTree(tmp), "dmdd-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(removeOnExit);
        try {
            err.println("timing " + trainSteps + " training steps per stage (batch " + s.batchSize() + ", " + prefetch
                    + " prefetch threads)");
            err.flush();
            new DmddTrainer(s, teacher, s.method().synthesisesAnomalies() ? Synthesis.byStage(s)
                    : (img, rng) -> {
                        throw new IllegalStateException("no synthesis");
                    }).withPrefetchWorkers(prefetch)
                    .train(inputs, tmp, timer, () -> false, false, null);
        } finally {
            deleteTree(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(removeOnExit);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping: the hook runs (and finds nothing left)
            }
        }
        for (int stage = 1; stage <= s.stages().size(); stage++) {
            TrainingStage kind = s.stages().get(stage - 1);
            double sec = (stageEnd[stage] - stageStart[stage]) / 1e9;
            // operation counts follow DMDD's and the baseline's stages; AAND's and DCAM's are not modelled
            boolean counted = s.isDmdd() || s.method() == Method.BASELINE;
            double perImage = kind == TrainingStage.STUDENT ? flops.studentTrainingPerImage(s)
                    : flops.segmenterTrainingPerImage(s);
            double gflops = perImage * trainSteps * s.batchSize() / sec / 1e9;
            out.printf(Locale.ROOT, "training stage %d (%s): %.3f steps/s, %.0f ms/step, %.2f images/s, %s"
                    + "(prefetch threads %d, intra-op threads %d)%n", stage, kind.displayName(), trainSteps / sec,
                    1000 * sec / trainSteps, trainSteps * s.batchSize() / sec, counted ? String.format(Locale.ROOT,
                            "%.1f GFLOP/s (%.0f %% of the ceiling) ", gflops, 100 * gflops / ceiling) : "", prefetch,
                    IntraOpThreads.current());
            if (kind == TrainingStage.STUDENT && studentSteps[1][0] > 0) {
                // the stage's figure mixes both kinds of step, about in the share a training has them; the steps
                // with batch statistics are the first ones, slower in every run, so compare with a model saved with
                // studentNormsFrozenFrom=1 rather than with this line alone
                double frozenMs = studentSteps[1][1] / 1e6 / studentSteps[1][0];
                if (studentSteps[0][0] == 0) {
                    out.printf(Locale.ROOT, "  all %d with the batch norms' statistics frozen (studentNormsFrozenFrom), "
                            + "%.0f ms/step%n", studentSteps[1][0], frozenMs);
                } else {
                    out.printf(Locale.ROOT, "  of which %d with batch statistics, %.0f ms/step, and %d with the batch "
                            + "norms' statistics frozen (studentNormsFrozenFrom), %.0f ms/step%n", studentSteps[0][0],
                            studentSteps[0][1] / 1e6 / studentSteps[0][0], studentSteps[1][0], frozenMs);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // already gone, or the system's temporary folder keeps a leftover it cleans itself
        }
    }
}
