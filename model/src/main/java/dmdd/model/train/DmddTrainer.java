package dmdd.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dmdd.datasets.image.Preprocessing;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.Discrepancy;
import dmdd.model.dmdd.DmddLoss;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.IntraOpThreads;
import dmdd.model.infer.ModelFolder;
import dmdd.model.teacher.Backbone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * DMDD's training loop (our own, not DJL's EasyTrain): stage 1 trains the decoupled student with
 * NGM + AIM on (normal, synthetic-anomaly) pairs; stage 2 freezes it and trains the multi-perception
 * segmenter with focal + L1 against the synthetic masks. The baseline runs stage 1 only, with plain
 * distillation on normal images.
 *
 * <p>The loop is cancellable between steps, reports every step to a {@link TrainingListener},
 * writes a {@link Checkpoint} atomically every {@code checkpointInterval} steps, on cancel and at
 * the end, and resumes from it with the same result as an uninterrupted run (each step's batch and
 * anomalies come from {@link StepRandom}). Each step runs in its own NDManager, closed at the end
 * of the step, so memory stays flat however long the run. The teacher runs once per step on
 * normal and augmented images together, outside autograd.
 */
public final class DmddTrainer {
    /** Training seconds of the runs before a resume (from the checkpoint). */
    private double earlierSeconds;
    private final DmddSettings settings;
    private final Backbone teacher;
    private final PairSynthesizer synthesizer;
    private final int prefetchWorkers;
    /** The model whose weights a fresh run starts from (improvement), or null for random initial weights. */
    private final ModelFolder startFrom;

    /**
     * @param settings    model settings
     * @param teacher     the frozen teacher (its kind must match {@code settings.backbone()})
     * @param synthesizer makes anomaly pairs, clean ones included (ignored by the baseline);
     *                    {@link Synthesis#forSettings(DmddSettings)} builds the production one
     */
    public DmddTrainer(DmddSettings settings, Backbone teacher, PairSynthesizer synthesizer) {
        this(settings, teacher, synthesizer, BatchPrefetcher.automaticWorkers(), null);
    }

    private DmddTrainer(DmddSettings settings, Backbone teacher, PairSynthesizer synthesizer, int prefetchWorkers,
            ModelFolder startFrom) {
        if (!Arrays.equals(teacher.levelChannels(), settings.backboneKind().levelChannels())) {
            throw new IllegalArgumentException("the teacher is " + teacher.kind().cliName() + " but the settings ask for "
                    + settings.backbone());
        }
        this.settings = settings;
        this.teacher = teacher;
        this.synthesizer = synthesizer;
        this.prefetchWorkers = prefetchWorkers;
        this.startFrom = startFrom;
    }

    /**
     * @return the threads that prepare batches unless {@link #withPrefetchWorkers} says otherwise: the
     *         processors beyond the two the network's own threads use, at least one, at most eight
     */
    public static int automaticPrefetchWorkers() {
        return BatchPrefetcher.automaticWorkers();
    }

    /**
     * The same trainer with another number of threads preparing batches (images, tiles and synthetic
     * anomalies) ahead of the network. The trained model does not depend on it.
     *
     * @param workers worker threads; 0 prepares each batch on the training thread when it is needed
     * @return the trainer
     */
    public DmddTrainer withPrefetchWorkers(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("prefetch workers must not be negative: " + workers);
        }
        return new DmddTrainer(settings, teacher, synthesizer, workers, startFrom);
    }

    /**
     * Continues from a saved model instead of random weights (an improvement: a short run on more normal
     * images). The model's architecture must be the one of these settings; a resumed checkpoint wins.
     *
     * @param model the model to start from
     * @return the same trainer, starting from that model
     */
    public DmddTrainer startingFrom(ModelFolder model) {
        return new DmddTrainer(settings, teacher, synthesizer, prefetchWorkers, model);
    }

    /** @return the settings this trainer uses */
    public DmddSettings settings() {
        return settings;
    }

    /**
     * Trains (or continues training) in {@code modelDir}: the checkpoint lives there while
     * training runs; when all steps are done, {@code finisher} receives the trained networks (the
     * inference package uses it to fit thresholds and write the model folder).
     *
     * @param trainImages normal images to train on (any size; resized to the network input)
     * @param modelDir    folder of the checkpoint (created if needed)
     * @param listener    progress receiver
     * @param cancel      polled between steps; {@code true} stops after writing a checkpoint
     * @param resume      continue from {@code modelDir}'s checkpoint when there is one
     * @param finisher    called once with the trained networks when every step is done (may be null)
     * @return how the run ended
     * @throws IOException              when a checkpoint cannot be read or written
     * @throws IllegalArgumentException when there is no image, or the checkpoint's settings differ
     */
    public TrainingResult train(List<RgbImage> trainImages, Path modelDir, TrainingListener listener,
            BooleanSupplier cancel, boolean resume, Finisher finisher) throws IOException {
        if (trainImages.isEmpty()) {
            throw new IllegalArgumentException("no normal image to train on");
        }
        long started = System.nanoTime();
        earlierSeconds = 0;
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        Engine engine = DjlRuntime.engine();
        IntraOpThreads.apply(settings.threads());
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // autograd only inside the gradient collector
        Files.createDirectories(modelDir);
        Path checkpointFile = modelDir.resolve(Checkpoint.FILE_NAME);
        out.onMessage("preparing " + trainImages.size() + " training images");
        List<RgbImage> images = resized(trainImages);
        int total = settings.totalSteps();
        Map<String, Double> lastLosses = Map.of();
        try (NDManager root = engine.newBaseManager(DmddNetworks.deviceOf(teacher))) {
            DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), root);
            ParameterOptimizer studentOpt = optimizer("optim/student", nets.studentParameters(),
                    settings.studentLearningRate(), root);
            ParameterOptimizer segmenterOpt = nets.segmenter() == null ? null
                    : optimizer("optim/segmenter", nets.segmenterParameters(), settings.segmenterLearningRate(), root);
            int step = 0;
            if (resume && Files.exists(checkpointFile)) {
                step = restore(checkpointFile, nets, studentOpt, segmenterOpt);
                out.onMessage("resuming at step " + step + " of " + total);
            } else if (resume) {
                // Said, not silent: a resume that finds nothing to resume from trains from the start.
                out.onMessage("no checkpoint in " + modelDir + " to resume from: training from the start");
            }
            if (step == 0 && startFrom != null) {
                out.onMessage("continuing from the model in " + startFrom.folder());
                startFrom.loadWeightsInto(nets, root);
            }
            ParameterStore ps = new ParameterStore(root, false);
            // Tiles differ every step, so tiled training has no fixed images whose features could be cached.
            TeacherCache cache = step < settings.studentSteps() && !settings.isTiled()
                    ? TeacherCache.build(settings, teacher, images, root, ps, out, cancel) : null;
            DmddLoss loss = DmddLoss.of(settings);
            RateMeter meter = new RateMeter();
            BatchPrefetcher<Batch> batches = new BatchPrefetcher<>(
                    s -> batch(images, StepRandom.forStep(settings.seed(), s), pairsAt(s)), step, total, prefetchWorkers);
            try (batches) {
                while (step < total) {
                    if (cancel != null && cancel.getAsBoolean()) {
                        saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets, studentOpt, segmenterOpt, root,
                                out);
                        return new TrainingResult(false, step, modelDir, lastLosses, earlierSeconds + seconds(started));
                    }
                    if (cache != null && step >= settings.studentSteps()) {
                        cache.close(); // stage 2 needs only the augmented images' features
                        cache = null;
                    }
                    long t0 = System.nanoTime();
                    try (NDManager sm = root.newSubManager()) {
                        Batch b = batches.take(step);
                        if (step < settings.studentSteps()) {
                            lastLosses = settings.isDmdd()
                                    ? studentStep(sm, ps, nets, loss, b, cache, studentOpt)
                                    : baselineStep(sm, ps, nets, loss, b, cache, studentOpt);
                        } else {
                            lastLosses = segmenterStep(sm, ps, nets, loss, b, segmenterOpt);
                        }
                    }
                    step++;
                    meter.add(System.nanoTime() - t0);
                    boolean stage1 = step <= settings.studentSteps();
                    double perStep = meter.secondsPerStep();
                    out.onProgress(new TrainingProgress(step, total, stage1 ? 1 : 2,
                            stage1 ? step : step - settings.studentSteps(),
                            stage1 ? settings.studentSteps() : settings.segmenterSteps(), lastLosses,
                            perStep > 0 ? settings.batchSize() / perStep : 0, perStep * (total - step)));
                    if (step % settings.checkpointInterval() == 0 && step < total) {
                        saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets, studentOpt, segmenterOpt, root,
                                out);
                    }
                }
            }
            saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets, studentOpt, segmenterOpt, root,
                            out);
            if (finisher != null) {
                finisher.finish(nets, earlierSeconds + seconds(started));
            }
            return new TrainingResult(true, step, modelDir, lastLosses, earlierSeconds + seconds(started));
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Receives the trained networks at the end of a completed run. */
    @FunctionalInterface
    public interface Finisher {
        /**
         * @param networks        the trained networks (valid only during this call)
         * @param trainingSeconds wall-clock seconds of this training call so far
         * @throws IOException when saving fails
         */
        void finish(DmddNetworks networks, double trainingSeconds) throws IOException;
    }

    /**
     * Stage 1 of DMDD: NGM + AIM on the student. The teacher runs once, outside autograd, on the
     * augmented images, and on the normal ones too unless their features are cached.
     */
    private Map<String, Double> studentStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, TeacherCache cache, ParameterOptimizer opt) {
        int n = b.count;
        long side = settings.imageSize();
        List<NDArray> tClean = new ArrayList<>(3);
        List<NDArray> tAug = new ArrayList<>(3);
        NDArray augmented;
        if (cache != null) {
            float[] augmentedOnly = Arrays.copyOfRange(b.images, b.images.length / 2, b.images.length);
            augmented = teacher.normalize(sm.create(augmentedOnly, new Shape(n, 3, side, side)));
            NDList t = teacher.forward(ps, new NDList(augmented), false);
            tClean.addAll(cache.features(b.indices, sm));
            tAug.addAll(t.subList(0, 3));
        } else {
            NDArray both = teacher.normalize(sm.create(b.images, new Shape(2L * n, 3, side, side)));
            NDList t = teacher.forward(ps, new NDList(both), false);
            for (int l = 0; l < 3; l++) {
                tClean.add(t.get(l).get("0:" + n));
                tAug.add(t.get(l).get(n + ":"));
            }
            augmented = both.get(n + ":");
        }
        NDArray mask = sm.create(b.masks, new Shape(n, 1, side, side));
        NDArray ngm;
        NDArray aim;
        NDArray totalLoss;
        try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
            NDList s = nets.student().forward(ps, new NDList(augmented), true);
            ngm = loss.ngm(s.subList(0, 3), tClean);
            aim = loss.aim(s.subList(3, 6), tAug, mask);
            totalLoss = ngm.add(aim);
            gc.backward(totalLoss);
        }
        opt.step();
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("total", (double) totalLoss.getFloat());
        l.put("ngm", (double) ngm.getFloat());
        l.put("aim", (double) aim.getFloat());
        return l;
    }

    /** The baseline: plain distillation of the teacher into the single-branch student, normal images only. */
    private Map<String, Double> baselineStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, TeacherCache cache, ParameterOptimizer opt) {
        long side = settings.imageSize();
        NDArray x = teacher.normalize(sm.create(b.images, new Shape(b.count, 3, side, side)));
        List<NDArray> t = cache != null ? cache.features(b.indices, sm)
                : teacher.forward(ps, new NDList(x), false).subList(0, 3);
        NDArray d;
        try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
            NDList s = nets.student().forward(ps, new NDList(x), true);
            d = loss.distillation(s, t);
            gc.backward(d);
        }
        opt.step();
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("total", (double) d.getFloat());
        l.put("distillation", (double) d.getFloat());
        return l;
    }

    /** Stage 2 of DMDD: the frozen student and the teacher give the segmenter's inputs. */
    private Map<String, Double> segmenterStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, ParameterOptimizer opt) {
        int n = b.count;
        long side = settings.imageSize();
        // only the augmented half is needed in stage 2
        float[] augmentedOnly = Arrays.copyOfRange(b.images, b.images.length / 2, b.images.length);
        NDArray x = teacher.normalize(sm.create(augmentedOnly, new Shape(n, 3, side, side)));
        NDList t = teacher.forward(ps, new NDList(x), false);
        NDList s = nets.student().forward(ps, new NDList(x), false);
        NDList inputs = Discrepancy.segmenterInputs(Discrepancy.unitProducts(t.subList(0, 3), s),
                "product".equals(settings.segmenterInput()));
        NDArray mask = sm.create(b.masks, new Shape(n, 1, side, side));
        NDArray seg;
        try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
            NDArray logits = nets.segmenter().forward(ps, inputs, true).singletonOrThrow();
            seg = loss.segmentation(logits, mask);
            gc.backward(seg);
        }
        opt.step();
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("total", (double) seg.getFloat());
        l.put("segmentation", (double) seg.getFloat());
        return l;
    }

    /** One step's images: normals then augmented (CHW, concatenated), and masks. */

    private static final class Batch {
        final float[] images;
        final float[] masks;
        final int[] indices;
        final int count;

        Batch(float[] images, float[] masks, int[] indices) {
            this.images = images;
            this.masks = masks;
            this.indices = indices;
            this.count = indices.length;
        }
    }

    /** Whether a step trains on (normal, synthetic-anomaly) pairs: every DMDD step; the baseline never. */
    private boolean pairsAt(int step) {
        return step >= settings.studentSteps() || settings.isDmdd();
    }

    /**
     * Draws a batch with the step's generator (called from the prefetch workers: reads only final
     * state). With {@code pairs}, the first half of
     * {@code images} holds the normal images and the second half their anomalous versions.
     */
    private Batch batch(List<RgbImage> images, Random rng, boolean pairs) {
        int n = settings.batchSize();
        int side = settings.imageSize();
        int plane = side * side;
        float[] data = new float[(pairs ? 2 : 1) * n * 3 * plane];
        float[] masks = new float[pairs ? n * plane : 0];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = rng.nextInt(images.size());
            RgbImage normal = view(images.get(indices[i]), rng);
            normal.copyTo(data, i * 3 * plane);
            if (!pairs) {
                continue;
            }
            TrainingPair pair = synthesizer.synthesize(normal, rng); // leaves cleanPairFraction of pairs clean
            RgbImage aug = pair.augmented().resize(side, side);
            aug.copyTo(data, (n + i) * 3 * plane);
            float[] m = pair.mask().resize(side, side).toFloats();
            System.arraycopy(m, 0, masks, i * plane, plane);
        }
        return new Batch(data, masks, indices);
    }

    private ParameterOptimizer optimizer(String name, List<ai.djl.util.Pair<String, ai.djl.nn.Parameter>> params,
            double lr, NDManager manager) {
        return new ParameterOptimizer(name, "adam".equals(settings.optimizer()), lr, settings.momentum(),
                settings.weightDecay(), params, manager);
    }

    private int restore(Path file, DmddNetworks nets, ParameterOptimizer studentOpt, ParameterOptimizer segmenterOpt)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = Checkpoint.read(file, m);
            if (!c.settings().equals(settings)) {
                throw new IllegalArgumentException("the checkpoint " + file + " was made with other settings; "
                        + "train with the same settings to resume, or start afresh");
            }
            try {
                nets.load(c.arrays());
                studentOpt.restore(c.arrays());
                if (segmenterOpt != null) {
                    segmenterOpt.restore(c.arrays());
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + " does not fit these networks: " + e.getMessage(), e);
            }
            // A resumed run reports the time of every run that led to the model, not only its own.
            earlierSeconds = c.trainingSeconds();
            return c.completedSteps();
        }
    }

    private void saveCheckpoint(Path file, int step, double trainingSeconds, DmddNetworks nets,
            ParameterOptimizer studentOpt, ParameterOptimizer segmenterOpt, NDManager root, TrainingListener out)
            throws IOException {
        try (NDManager m = root.newSubManager()) {
            NDList arrays = new NDList();
            arrays.addAll(nets.weights());
            arrays.addAll(studentOpt.state(m));
            if (segmenterOpt != null) {
                arrays.addAll(segmenterOpt.state(m));
            }
            Checkpoint.write(file, step, trainingSeconds, settings, arrays, m);
        }
        out.onCheckpoint(file, step);
    }

    /**
     * The training images as the network sees them: whole-image models keep each image's input; tiled
     * models keep each image at the inspection scale, and every step cuts tiles from it.
     */
    private List<RgbImage> resized(List<RgbImage> images) {
        Preprocessing preprocessing = new Preprocessing(settings.imageSize(), settings.inspectionScale());
        List<RgbImage> out = new ArrayList<>(images.size());
        for (RgbImage img : images) {
            out.add(preprocessing.atScale(preprocessing.picture(img)));
        }
        return out;
    }

    /** The step's view of a training image: itself, or a random tile of it when tiling. */
    private RgbImage view(RgbImage image, Random rng) {
        int side = settings.imageSize();
        if (image.width() == side && image.height() == side) {
            return image;
        }
        return image.crop(rng.nextInt(image.width() - side + 1), rng.nextInt(image.height() - side + 1), side, side);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Exponential moving average of the step time, for images/s and the ETA. */
    private static final class RateMeter {
        private double average = -1;

        void add(long nanos) {
            double s = nanos / 1e9;
            average = average < 0 ? s : 0.9 * average + 0.1 * s;
        }

        double secondsPerStep() {
            return Math.max(average, 0);
        }
    }
}
