package dmdd.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dmdd.datasets.image.Orientation;
import dmdd.datasets.image.Preprocessing;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.AandLoss;
import dmdd.model.dmdd.DcamLoss;
import dmdd.model.dmdd.Discrepancy;
import dmdd.model.dmdd.DmddLoss;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.FoldedBatchNorms;
import dmdd.model.dmdd.TrainingStage;
import dmdd.model.engine.ConvolutionKernels;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.IntraOpThreads;
import dmdd.model.infer.ModelFolder;
import dmdd.model.teacher.Backbone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The training loop of every method (our own, not DJL's EasyTrain), stage by stage as
 * {@link DmddSettings#stages()} lists them, one optimiser per stage. DMDD: the decoupled student with NGM + AIM on
 * (normal, synthetic-anomaly) pairs, then, the student frozen, the multi-perception segmenter with focal + L1
 * against the synthetic masks. AAND: the anomaly amplifier on pairs, then, the amplifier frozen, the
 * reverse-distillation student on normal images. The baseline: plain distillation on normal images; DCAM: the same
 * student with its training-only attention and losses.
 *
 * <p>The loop is cancellable between steps, reports every step to a {@link TrainingListener},
 * writes a {@link Checkpoint} atomically every {@code checkpointInterval} steps, on cancel and at
 * the end, and resumes from it with the same result as an uninterrupted run (each step's batch and
 * anomalies come from {@link StepRandom}). Each step runs in its own NDManager, closed at the end
 * of the step, so memory stays flat however long the run. The teacher runs once per step on
 * normal and augmented images together, outside autograd.
 */
public final class DmddTrainer {
    /**
     * Non-finite steps in a row after which a run counts as diverged. A single one (a batch whose loss or gradient
     * overflows) is skipped without touching the weights; this many mean the weights themselves no longer give a
     * finite step.
     */
    private static final int MAX_SKIPPED_STEPS_IN_A_ROW = 10;

    /** Training seconds of the runs before a resume (from the checkpoint). */
    private double earlierSeconds;
    /** What this run trains on ({@link Checkpoint#describe}), recorded in every checkpoint. */
    /** How a person starts a run over, in either front end. */
    static final String START_AFRESH = "--restart on the command line, Train in the workstation";
    /** How a person resumes a run, in messages. */
    static final String RESUME = "--resume on the command line, Resume in the workstation";
    private String trainingData;
    /** The step of the last checkpoint this run resumed from or wrote, -1 for none. */
    private int lastCheckpointStep = -1;
    /** The run's averages of each stage's weights ({@code weightAverageDecay}; none when it is 0). */
    private Map<TrainingStage, WeightAverage> averages = Map.of();
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
     *                    {@link Synthesis#byStage(DmddSettings)} builds the production one
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

    /**
     * Whether a step trains the student with its batch norms' statistics frozen: from the settings' share of the
     * student stage on, and from the first student step when continuing a model whose settings froze them (its
     * weights were trained to its frozen statistics; batch statistics would move them, and the student with them).
     */
    private boolean studentNormsFrozenAt(int step) {
        return settings.studentNormsFrozenAt(step) || startFrom != null && settings.studentNormsFrozenFrom() < 1
                && settings.stageAt(step) == TrainingStage.STUDENT;
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
        int threads = IntraOpThreads.apply(settings.threads());
        // Said because it matters for reproducing a model: runs with different thread counts differ slightly.
        out.onMessage("intra-op threads: " + threads + (settings.threads() > threads
                ? " (the setting asks for " + settings.threads() + "; this computer has " + threads + " processors)"
                : settings.threads() > 0 ? ""
                : " (automatic: the processors other programs leave free, " + IntraOpThreads.lastAutomaticReason()
                        + "; set threads to fix it)"));
        ConvolutionKernels.limitation().ifPresent(d -> out.onMessage("convolutions: " + d));
        try (NDManager check = engine.newBaseManager()) {
            // Wrong kernels make a model that looks trained and is not: refuse before the first step.
            ConvolutionKernels.Verdict kernels = ConvolutionKernels.check(check);
            if (!kernels.correct()) {
                throw new IllegalStateException("cannot train: this CPU's " + kernels.describe() + " ("
                        + ConvolutionKernels.decision() + "). " + ConvolutionKernels.advice());
            }
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // autograd only inside the gradient collector
        Files.createDirectories(modelDir);
        Path checkpointFile = modelDir.resolve(Checkpoint.FILE_NAME);
        out.onMessage("preparing " + trainImages.size() + " training images");
        List<RgbImage> images = resized(trainImages);
        trainingData = Checkpoint.describe(images);
        int total = settings.totalSteps();
        Map<String, Double> lastLosses = Map.of();
        int skippedInARow = 0;
        try (NDManager root = engine.newBaseManager(DmddNetworks.deviceOf(teacher))) {
            DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), root);
            Map<TrainingStage, ParameterOptimizer> optimizers = new EnumMap<>(TrainingStage.class);
            for (TrainingStage stage : settings.stages()) {
                optimizers.put(stage, optimizer("optim/" + stage.displayName(), nets.trainedIn(stage),
                        stage == TrainingStage.SEGMENTER ? settings.segmenterLearningRate()
                                : settings.studentLearningRate(), root));
            }
            averages = new EnumMap<>(TrainingStage.class);
            if (settings.weightAverageDecay() > 0) {
                for (TrainingStage stage : settings.stages()) {
                    averages.put(stage, new WeightAverage("average/" + stage.displayName(),
                            settings.weightAverageDecay(), nets.trainedIn(stage), root));
                }
            }
            int step = 0;
            if (resume && Files.exists(checkpointFile)) {
                step = restore(checkpointFile, nets, optimizers);
                if (step >= total && holdsThisRunsModel(modelDir, total)) {
                    // Saving again would only keep the same model once more as a version to go back to.
                    out.onMessage("the run in " + modelDir + " had already finished its " + total
                            + " steps and its model is saved: nothing to resume (to train it again: "
                            + START_AFRESH + ")");
                    return new TrainingResult(true, step, modelDir, Map.of(), earlierSeconds, true);
                }
                out.onMessage("resuming at step " + step + " of " + total);
            } else if (resume) {
                // Said, not silent: a resume that finds nothing to resume from trains from the start.
                out.onMessage("no checkpoint in " + modelDir + " to resume from: training from the start");
            }
            ParameterStore ps = new ParameterStore(root, false);
            int firstStep = step;
            // where a resume would start: the checkpoint this run resumed from, then each one it writes
            lastCheckpointStep = step > 0 ? step : -1;
            if (step == 0 && startFrom != null) {
                out.onMessage("continuing from the model in " + startFrom.folder());
                startFrom.loadWeightsInto(nets, root);
            } else if (step == 0 && nets.amplifier() != null) {
                choosePrototypes(nets, images, root, ps);
            }
            TrainingStage firstStage = settings.stageAt(step);
            NormalFeatureCache cache = firstStage != TrainingStage.SEGMENTER && settings.cachesNormalFeatures()
                    ? NormalFeatureCache.build("the teacher's features", oriented(images, firstStage),
                            x -> new NDList(teacher.forward(ps, new NDList(teacher.normalize(x)), false).subList(0, 3)),
                            settings.batchSize(), root, out, cancel) : null;
            DmddLoss loss = DmddLoss.of(settings);
            RateMeter meter = new RateMeter();
            BatchPrefetcher<Batch> batches = new BatchPrefetcher<>(
                    s -> batch(images, StepRandom.forStep(settings.seed(), s), pairsAt(s), settings.stageAt(s)), step,
                    total, prefetchWorkers);
            FoldedBatchNorms frozenStudent = null; // the segmentation stage's student never changes: folded once
            // the student's forwards with frozen batch-norm statistics (studentNormsFrozenFrom); nothing is folded
            // ahead, so it holds no arrays and needs no closing
            FoldedBatchNorms frozenNorms = FoldedBatchNorms.trainable(nets.student());
            try (batches) {
                while (step < total) {
                    if (cancel != null && cancel.getAsBoolean()) {
                        // Stopped before this call trained a step: nothing to keep, and the folder may hold the
                        // checkpoint of an earlier stopped run (Train pressed instead of Resume, then Cancel), which
                        // a checkpoint of step 0 would replace.
                        if (step > firstStep) {
                            try {
                                saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets,
                                        optimizers, root, out);
                            } catch (IOException e) {
                                throw notSaved("training stopped at step " + step + " of " + total + ", but its "
                                        + "checkpoint could not be written: " + e.getMessage(), e);
                            }
                        }
                        return new TrainingResult(false, step, modelDir, lastLosses, earlierSeconds + seconds(started), false);
                    }
                    TrainingStage stage = settings.stageAt(step);
                    if (frozenStudent == null && stage == TrainingStage.SEGMENTER) {
                        frozenStudent = FoldedBatchNorms.of(root, nets.student());
                        if (cache != null) {
                            cache.close(); // the teacher's features alone are of no use in stage 2
                            cache = null;
                        }
                        FoldedBatchNorms folded = frozenStudent;
                        cache = settings.cachesNormalFeatures() ? NormalFeatureCache.build("the segmentation network's inputs",
                                oriented(images, stage),
                                x -> segmenterInputs(x, folded.parameterStore(x.getManager()), nets),
                                settings.batchSize(), root, out, cancel) : null;
                        continue; // a cancel during the build stops before the step, as it would before the stage
                    }
                    long t0 = System.nanoTime();
                    Map<String, Double> stepLosses;
                    try (NDManager sm = root.newSubManager()) {
                        Batch b = batches.take(step);
                        ParameterOptimizer opt = optimizers.get(stage);
                        ParameterStore studentPs = studentNormsFrozenAt(step) ? frozenNorms.parameterStore(sm) : ps;
                        stepLosses = switch (stage) {
                            case SEGMENTER -> segmenterStep(sm, frozenStudent.parameterStore(sm), nets, loss, b, cache,
                                    opt);
                            case AMPLIFIER -> amplifierStep(sm, ps, nets, b, cache, opt);
                            case STUDENT -> switch (settings.method()) {
                                case DMDD -> studentStep(sm, studentPs, nets, loss, b, cache, opt);
                                case BASELINE -> baselineStep(sm, studentPs, nets, loss, b, cache, opt);
                                case AAND -> reverseDistillationStep(sm, studentPs, nets, b, cache, opt);
                                case DCAM -> dcamStep(sm, studentPs, nets, b, cache, opt);
                            };
                        };
                    }
                    Double totalLoss = stepLosses.get("total");
                    skippedInARow = totalLoss == null || !Double.isFinite(totalLoss) ? skippedInARow + 1 : 0;
                    if (skippedInARow == 0) {
                        lastLosses = stepLosses;
                        if (averages.containsKey(stage)) {
                            averages.get(stage).update();
                        }
                    } else if (skippedInARow < MAX_SKIPPED_STEPS_IN_A_ROW) {
                        // Said, so that a run that skips now and then can be told from one that never does.
                        out.onMessage("step " + (step + 1) + " of " + total + " skipped: its " + stage.displayName()
                                + " loss or a gradient was not finite (the weights are unchanged)");
                    } else {
                        // Diverged: the weights give no finite step any more, and the thresholds could not be fitted.
                        throw new TrainingDivergedException("training diverged at step " + (step + 1) + " of " + total
                                + " (" + stage.displayName() + " loss " + totalLoss + " for " + skippedInARow
                                + " steps in a row, each skipped); the last checkpoint in "
                                + modelDir + " is from before it. Lower the learning rate (--set studentLearningRate=, "
                                + "segmenterLearningRate=) or the loss weights, or train with another seed");
                    }
                    step++;
                    if (averages.containsKey(stage) && step == settings.stageStart(stage) + settings.stepsOf(stage)) {
                        // the stage's last step: its model is the average (the next stage trains on it)
                        averages.get(stage).apply();
                    }
                    meter.add(System.nanoTime() - t0);
                    double perStep = meter.secondsPerStep();
                    out.onProgress(new TrainingProgress(step, total, settings.stages().indexOf(stage) + 1, stage,
                            step - settings.stageStart(stage), settings.stepsOf(stage), lastLosses,
                            perStep > 0 ? settings.batchSize() / perStep : 0, perStep * (total - step)));
                    if (step % settings.checkpointInterval() == 0 && step < total) {
                        try {
                            saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets, optimizers,
                                    root, out);
                        } catch (IOException e) {
                            // A full disk mid-run stops nothing: the steps go on in memory and the next checkpoint
                            // tries again; a stop before then resumes from the last checkpoint written.
                            out.onMessage("checkpoint at step " + step + " of " + total + " not written, training "
                                    + "goes on (" + resumesFrom() + "): " + e.getMessage());
                        }
                    }
                }
            } finally {
                if (frozenStudent != null) {
                    frozenStudent.close();
                }
                if (cache != null) {
                    cache.close(); // not held through the thresholds' fit and the save
                }
            }
            IOException lastCheckpointFailed = null;
            if (step > firstStep) {
                // (a resumed run that only has its model to save: the checkpoint on disk is this state already, and
                // writing it again needs the space the save needs)
                try {
                    saveCheckpoint(checkpointFile, step, earlierSeconds + seconds(started), nets, optimizers, root,
                            out);
                } catch (IOException e) {
                    lastCheckpointFailed = e;
                }
            }
            if (lastCheckpointFailed != null && finisher == null) {
                throw notSaved("training stopped after its " + step + " steps, but their checkpoint could not be "
                        + "written: " + lastCheckpointFailed.getMessage(), lastCheckpointFailed);
            }
            if (lastCheckpointFailed != null) {
                // every step is done: the model is what the person waits for, and it may fit where the checkpoint
                // (weights and optimizer state) did not; a stop waits for it, as nothing else would keep the steps
                out.onMessage("the last checkpoint could not be written (" + lastCheckpointFailed.getMessage()
                        + "); saving the model anyway");
            }
            if (finisher != null) {
                // Stopped after the last step, or while the thresholds are fitted: nothing replaces the folder's model
                // (a cancelled improvement leaves it as it was), and a resume fits and saves.
                BooleanSupplier stopBeforeSave = lastCheckpointFailed != null || cancel == null ? () -> false : cancel;
                boolean saved;
                try {
                    saved = !stopBeforeSave.getAsBoolean()
                            && finisher.finish(nets, earlierSeconds + seconds(started), trainingData, stopBeforeSave);
                } catch (IOException e) {
                    if (startFrom != null) {
                        throw e; // an improvement leaves the model as it was and says so itself
                    }
                    if (lastCheckpointFailed != null) {
                        throw notSaved("training finished its " + step + " steps, but neither their checkpoint nor "
                                + "the model could be saved (" + lastCheckpointFailed.getMessage() + "; "
                                + e.getMessage() + ")", e);
                    }
                    // the training is not lost: said, or a person facing a full disk starts an hour's run again
                    throw new IOException("training finished its " + step + " steps (the checkpoint " + checkpointFile
                            + " holds them), but the model could not be saved: " + e.getMessage() + ". Make room and "
                            + "resume (" + RESUME + ") to save it", e);
                }
                if (!saved) {
                    out.onMessage(startFrom != null ? "stopped before saving: the model is as it was"
                            : "stopped before saving; resuming saves the model");
                    return new TrainingResult(false, step, modelDir, lastLosses, earlierSeconds + seconds(started),
                            false);
                }
            }
            return new TrainingResult(true, step, modelDir, lastLosses, earlierSeconds + seconds(started), false);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Whether the folder's saved model is the one this finished run saved: the same settings, steps and training
     * images. An earlier model of the folder with the same settings (a run on other images stopped between its
     * last checkpoint and its save) is not, and neither is one saved before the images were recorded.
     */
    private boolean holdsThisRunsModel(Path modelDir, int total) {
        if (!Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
            return false; // stopped between its last checkpoint and the save: the save still has to happen
        }
        try {
            if (isThisRunsModel(ModelFolder.read(modelDir), total)) {
                return true;
            }
            // Saved, then improved (or replaced by an import): the run's model is a kept version now, and
            // "finishing" the run again would put the old model back over the newer one.
            for (dmdd.model.infer.ModelVersions.Version v : dmdd.model.infer.ModelVersions.list(modelDir)) {
                if (!v.id().equals(dmdd.model.infer.ModelVersions.Version.CURRENT)
                        && isThisRunsModel(ModelFolder.read(v.folder()), total)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isThisRunsModel(ModelFolder saved, int total) {
        return saved.settings().equals(settings) && saved.training().steps() == total
                && trainingData.equals(saved.training().trainingData());
    }

    /** Receives the trained networks at the end of a completed run. */
    @FunctionalInterface
    public interface Finisher {
        /**
         * @param networks        the trained networks (valid only during this call)
         * @param trainingSeconds wall-clock seconds of this training call so far
         * @param trainingData    what the run trained on ({@link Checkpoint#describe}), to be saved with the model
         * @param stop            polled before the save begins (the fit of the thresholds takes minutes on a large
         *                        validation set, longer than a stop may wait); never true once the save has begun
         * @return whether it saved; {@code false} when {@code stop} came before the save began
         * @throws IOException when saving fails
         */
        boolean finish(DmddNetworks networks, double trainingSeconds, String trainingData, BooleanSupplier stop)
                throws IOException;
    }

    /**
     * Stage 1 of DMDD: NGM + AIM on the student. The teacher runs once, outside autograd, on the augmented images
     * (with the cache: only those with an anomaly), and on the normal ones too unless their features are cached.
     */
    private Map<String, Double> studentStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, NormalFeatureCache cache, ParameterOptimizer opt) {
        int n = b.count;
        long side = settings.imageSize();
        TeacherPair tp = teacherPair(sm, ps, b, cache);
        List<NDArray> tClean = tp.clean();
        List<NDArray> tAug = tp.augmentedFeatures();
        NDArray augmented = tp.augmented();
        NDArray mask = sm.create(b.masks, new Shape(n, 1, side, side));
        return descend(sm, opt, () -> {
            NDList s = nets.student().forward(ps, new NDList(augmented), true);
            NDArray ngm = loss.ngm(s.subList(0, 3), tClean);
            NDArray aim = loss.aim(s.subList(3, 6), tAug, mask);
            return new NDArray[] {ngm.add(aim), ngm, aim};
        }, "ngm", "aim");
    }

    /** The teacher's features of a pair batch's normal images (cached when possible) and of its augmented ones. */
    private record TeacherPair(List<NDArray> clean, List<NDArray> augmentedFeatures, NDArray augmented) {
    }

    private TeacherPair teacherPair(NDManager sm, ParameterStore ps, Batch b, NormalFeatureCache cache) {
        int n = b.count;
        long side = settings.imageSize();
        List<NDArray> tClean = new ArrayList<>(3);
        List<NDArray> tAug = new ArrayList<>(3);
        NDArray augmented;
        if (cache != null) {
            float[] augmentedOnly = Arrays.copyOfRange(b.images, b.images.length / 2, b.images.length);
            augmented = teacher.normalize(sm.create(augmentedOnly, new Shape(n, 3, side, side)));
            tClean.addAll(cache.features(b.indices, sm));
            // a clean pair's augmented image is its normal image: its features are the cached ones
            int k = b.synthetic;
            NDList t = k > 0 ? teacher.forward(ps, new NDList(k == n ? augmented : augmented.get("0:" + k)), false)
                    : null;
            for (int l = 0; l < 3; l++) {
                tAug.add(k == n ? t.get(l) : k == 0 ? tClean.get(l)
                        : t.get(l).concat(tClean.get(l).get(k + ":"), 0));
            }
        } else {
            NDArray both = teacher.normalize(sm.create(b.images, new Shape(2L * n, 3, side, side)));
            NDList t = teacher.forward(ps, new NDList(both), false);
            for (int l = 0; l < 3; l++) {
                tClean.add(t.get(l).get("0:" + n));
                tAug.add(t.get(l).get(n + ":"));
            }
            augmented = both.get(n + ":");
        }
        return new TeacherPair(tClean, tAug, augmented);
    }

    /** A batch of normal images only (no pairs) as the teacher's normalised input. */
    private NDArray normalImages(NDManager sm, Batch b) {
        long side = settings.imageSize();
        return teacher.normalize(sm.create(b.images, new Shape(b.count, 3, side, side)));
    }

    /** The teacher's features of a batch of normal images (cached when possible). */
    private List<NDArray> teacherOfNormals(NDManager sm, ParameterStore ps, NDArray x, Batch b, NormalFeatureCache cache) {
        return cache != null ? cache.features(b.indices, sm) : teacher.forward(ps, new NDList(x), false).subList(0, 3);
    }

    /**
     * AAND's stage 1: the amplifier learns to push synthetic anomalies away from the clean image's teacher features
     * and to leave the rest of the teacher's features as they are.
     */
    private Map<String, Double> amplifierStep(NDManager sm, ParameterStore ps, DmddNetworks nets, Batch b,
            NormalFeatureCache cache, ParameterOptimizer opt) {
        long side = settings.imageSize();
        TeacherPair tp = teacherPair(sm, ps, b, cache);
        NDArray mask = sm.create(b.masks, new Shape(b.count, 1, side, side));
        return descend(sm, opt, () -> {
            NDList amplified = nets.amplifier().forward(ps, new NDList(tp.augmentedFeatures()), true);
            NDArray amplification = AandLoss.of(settings).amplification(amplified, tp.augmentedFeatures(),
                    tp.clean(), mask);
            return new NDArray[] {amplification, amplification};
        }, "amplification");
    }

    /**
     * AAND's stage 2: the reverse-distillation student rebuilds the frozen amplified teacher's features of normal
     * images from its bottleneck, with the hard knowledge distillation loss.
     */
    private Map<String, Double> reverseDistillationStep(NDManager sm, ParameterStore ps, DmddNetworks nets, Batch b,
            NormalFeatureCache cache, ParameterOptimizer opt) {
        NDArray x = normalImages(sm, b);
        NDList amplified = nets.amplifier().forward(ps, new NDList(teacherOfNormals(sm, ps, x, b, cache)), false);
        return descend(sm, opt, () -> {
            NDArray d = AandLoss.of(settings).hardDistillation(nets.student().forward(ps, amplified, true), amplified);
            return new NDArray[] {d, d};
        }, "hard_distillation");
    }

    /**
     * DCAM: the student and its training-only attention module learn together; the loss compares teacher and
     * student per position, and on the attention-weighted features by spatial KL and channel cosine.
     */
    private Map<String, Double> dcamStep(NDManager sm, ParameterStore ps, DmddNetworks nets, Batch b,
            NormalFeatureCache cache, ParameterOptimizer opt) {
        NDArray x = normalImages(sm, b);
        List<NDArray> t = teacherOfNormals(sm, ps, x, b, cache);
        return descend(sm, opt, () -> {
            NDList s = nets.student().forward(ps, new NDList(x), true);
            return DcamLoss.of(settings).terms(s, t, nets.attention().forward(ps, s, true));
        }, "distillation", "spatial_kl", "channel_cosine");
    }

    /**
     * AAND's prototypes: normal teacher features at random positions of up to 16 training images (seeded), chosen
     * once before the first step and saved with the weights.
     */
    private void choosePrototypes(DmddNetworks nets, List<RgbImage> images, NDManager root, ParameterStore ps) {
        Random rng = new Random(settings.seed() ^ 0x5eed_7071L);
        int side = settings.imageSize();
        int count = Math.min(16, images.size());
        float[] data = new float[count * 3 * side * side];
        for (int i = 0; i < count; i++) {
            view(images.get(i * images.size() / count), rng).copyTo(data, i * 3 * side * side);
        }
        try (NDManager m = root.newSubManager()) {
            NDArray x = teacher.normalize(m.create(data, new Shape(count, 3, side, side)));
            nets.amplifier().choosePrototypes(teacher.forward(ps, new NDList(x), false).subList(0, 3), rng);
        }
    }

    /** The baseline: plain distillation of the teacher into the single-branch student, normal images only. */
    private Map<String, Double> baselineStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, NormalFeatureCache cache, ParameterOptimizer opt) {
        NDArray x = normalImages(sm, b);
        List<NDArray> t = teacherOfNormals(sm, ps, x, b, cache);
        return descend(sm, opt, () -> {
            NDArray d = loss.distillation(nets.student().forward(ps, new NDList(x), true), t);
            return new NDArray[] {d, d};
        }, "distillation");
    }

    /**
     * Stage 2 of DMDD: the frozen student and the teacher give the segmenter's inputs. {@code ps} carries the
     * student's folded batch norms (the same form inspection uses).
     */
    private Map<String, Double> segmenterStep(NDManager sm, ParameterStore ps, DmddNetworks nets, DmddLoss loss,
            Batch b, NormalFeatureCache cache, ParameterOptimizer opt) {
        int n = b.count;
        long side = settings.imageSize();
        // only the augmented half is needed in stage 2, and of it only the pairs with an anomaly when the clean
        // pairs' inputs are cached
        int k = cache != null ? b.synthetic : n;
        NDList inputs = null;
        if (k > 0) {
            float[] augmented = Arrays.copyOfRange(b.images, b.images.length / 2,
                    b.images.length / 2 + k * 3 * (int) (side * side));
            inputs = segmenterInputs(sm.create(augmented, new Shape(k, 3, side, side)), ps, nets);
        }
        if (k < n) {
            List<NDArray> cached = cache.features(Arrays.copyOfRange(b.indices, k, n), sm);
            NDList joined = new NDList(cached.size());
            for (int i = 0; i < cached.size(); i++) {
                joined.add(inputs == null ? cached.get(i) : inputs.get(i).concat(cached.get(i), 0));
            }
            inputs = joined;
        }
        NDList segmenterInputs = inputs;
        NDArray mask = sm.create(b.masks, new Shape(n, 1, side, side));
        return descend(sm, opt, () -> {
            NDArray seg = loss.segmentation(nets.segmenter().forward(ps, segmenterInputs, true).singletonOrThrow(),
                    mask);
            return new NDArray[] {seg, seg};
        }, "segmentation");
    }

    /**
     * The segmentation network's inputs for a batch of images: the teacher's and the frozen student's features,
     * compared as inspection compares them.
     *
     * @param images N x 3 x H x W, values in [0, 1]
     * @param ps     carries the student's folded batch norms
     */
    private NDList segmenterInputs(NDArray images, ParameterStore ps, DmddNetworks nets) {
        NDArray x = teacher.normalize(images);
        NDList t = teacher.forward(ps, new NDList(x), false);
        NDList s = nets.student().forward(ps, new NDList(x), false);
        return Discrepancy.segmenterInputs(Discrepancy.unitProducts(t.subList(0, 3), s),
                "product".equals(settings.segmenterInput()));
    }

    /**
     * One optimisation step: runs {@code forward} under autograd, back-propagates its first array (the total loss),
     * updates the stage's weights and reports the losses: {@code total}, then one per further array, by name. When
     * the loss or any gradient is not finite the update is skipped and only {@code total} (NaN) is reported.
     */
    private static Map<String, Double> descend(NDManager sm, ParameterOptimizer opt,
            java.util.function.Supplier<NDArray[]> forward, String... names) {
        NDArray[] terms;
        List<NDArray> runningStatistics = opt.copyRunningStatistics(sm);
        try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
            terms = forward.get();
            gc.backward(terms[0]);
        }
        float total = terms[0].getFloat();
        Map<String, Double> l = new LinkedHashMap<>();
        if (!Float.isFinite(total) || !opt.gradientsFinite(sm)) {
            // A non-finite step is skipped, not applied: one bad batch must not turn the weights into NaN.
            opt.discardGradients();
            opt.restoreRunningStatistics(runningStatistics);
            l.put("total", Double.NaN);
            return l;
        }
        opt.step();
        l.put("total", (double) total);
        for (int i = 0; i < names.length; i++) {
            l.put(names[i], (double) terms[i + 1].getFloat());
        }
        return l;
    }

    /**
     * One step's images: normals then augmented (CHW, concatenated), and masks. Of a pair batch, the first {@code
     * synthetic} rows carry a synthetic anomaly and the rest are clean pairs, whose augmented image is the normal
     * image at {@code indices} (of a batch without pairs every row counts as synthetic).
     */
    private static final class Batch {
        final float[] images;
        final float[] masks;
        final int[] indices;
        final int count;
        final int synthetic;

        Batch(float[] images, float[] masks, int[] indices, int synthetic) {
            this.images = images;
            this.masks = masks;
            this.indices = indices;
            this.count = indices.length;
            this.synthetic = synthetic;
        }
    }

    /**
     * Whether a step trains on (normal, synthetic-anomaly) pairs: every DMDD step, AAND's amplifier steps; the
     * students of the baseline, DCAM and AAND never.
     */
    private boolean pairsAt(int step) {
        TrainingStage stage = settings.stageAt(step);
        return stage != TrainingStage.STUDENT || settings.isDmdd();
    }

    /**
     * Draws a batch with the step's generator (called from the prefetch workers: reads only final
     * state). With {@code pairs}, the first half of
     * {@code images} holds the normal images and the second half their anomalous versions.
     */
    private Batch batch(List<RgbImage> images, Random rng, boolean pairs, TrainingStage stage) {
        PairSynthesizer stageSynthesis = pairs ? synthesizer.forStage(stage) : null;
        int n = settings.batchSize();
        int side = settings.imageSize();
        int plane = side * side;
        float[] data = new float[(pairs ? 2 : 1) * n * 3 * plane];
        float[] masks = new float[pairs ? n * plane : 0];
        int[] indices = new int[n];
        // Pairs with a synthetic anomaly fill the rows from the first on, clean pairs (whose augmented image is the
        // normal image itself) the rows from the last back: a step can take the clean pairs' features from a cache.
        int synthetic = 0;
        int clean = 0;
        for (int i = 0; i < n; i++) {
            int index = rng.nextInt(images.size());
            RgbImage normal = view(images.get(index), rng);
            // The orientation is drawn only when asked for, so models without it get exactly the batches as before.
            int orientation = turns(stage) ? rng.nextInt(Orientation.COUNT) : 0;
            normal = Orientation.apply(normal, orientation);
            TrainingPair pair = pairs ? stageSynthesis.synthesize(normal, rng) : null; // the stage's share left clean
            int row = pair == null || pair.augmented() != normal ? synthetic++ : n - 1 - clean++;
            // into oriented(images, stage)
            indices[row] = orientations(stage) > 1 ? index * orientations(stage) + orientation : index;
            normal.copyTo(data, row * 3 * plane);
            if (pair == null) {
                continue;
            }
            RgbImage aug = pair.augmented().resize(side, side);
            aug.copyTo(data, (n + row) * 3 * plane);
            float[] m = pair.mask().resize(side, side).toFloats();
            System.arraycopy(m, 0, masks, row * plane, plane);
        }
        return new Batch(data, masks, indices, synthetic);
    }

    private ParameterOptimizer optimizer(String name, List<ai.djl.util.Pair<String, ai.djl.nn.Parameter>> params,
            double lr, NDManager manager) {
        return new ParameterOptimizer(name, "adam".equals(settings.optimizer()), lr, settings.momentum(),
                settings.weightDecay(), params, manager);
    }

    /**
     * Settings a resumed run may change (see {@link #restore}): how often checkpoints are written, how many threads
     * compute, how long an improvement runs, and the inspection views and shifts (a checkpoint from before they
     * existed reads as one view and no shift). Not the settings that score or calibrate: the resumed model would
     * carry the same weights, and so the same identity ({@link dmdd.model.infer.ModelFolder#identity()}), as the
     * one the thresholds a person set were for, while scoring on another scale. Nor the teacher cache, which
     * changes the weights' rounding.
     */
    private static final List<String> NOT_TRAINING = List.of("inspectionViews", "inspectionShifts",
            "checkpointInterval", "threads", "improveSteps");

    private int restore(Path file, DmddNetworks nets, Map<TrainingStage, ParameterOptimizer> optimizers)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c;
            try {
                c = Checkpoint.read(file, m);
            } catch (IOException e) {
                // a truncated or damaged checkpoint cannot be resumed: the way on is named
                throw new IOException(e.getMessage() + "; it cannot be resumed: start afresh (" + START_AFRESH + ")",
                        e);
            }
            DmddSettings saved = c.settings().withValuesOf(settings, NOT_TRAINING);
            if (!saved.equals(settings)) {
                List<String> differ = settings.differencesFrom(saved);
                StringBuilder which = new StringBuilder();
                for (String name : differ.subList(0, Math.min(3, differ.size()))) {
                    which.append(which.length() == 0 ? "" : ", ").append(name).append(" ")
                            .append(saved.toJsonValue(name)).append(" there, ")
                            .append(settings.toJsonValue(name)).append(" now");
                }
                throw new IllegalArgumentException("the checkpoint " + file + " was made with other settings ("
                        + which + (differ.size() > 3 ? " and " + (differ.size() - 3) + " more" : "")
                        + "); train with the same settings to resume, or start afresh (" + START_AFRESH + ")");
            }
            try {
                nets.load(c.arrays());
                for (ParameterOptimizer opt : optimizers.values()) {
                    opt.restore(c.arrays());
                }
                for (WeightAverage average : averages.values()) {
                    average.restore(c.arrays());
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + " does not fit these networks: " + e.getMessage(), e);
            }
            if (c.trainingData() != null && !c.trainingData().equals(trainingData)) {
                throw new IllegalArgumentException("the checkpoint " + file + " was made on other training images ("
                        + c.trainingData() + " then, " + trainingData + " now); resume with the same images and "
                        + "categories, or start afresh (" + START_AFRESH + ")");
            }
            // A resumed run reports the time of every run that led to the model, not only its own.
            earlierSeconds = c.trainingSeconds();
            return c.completedSteps();
        }
    }

    /** What a resume of this run would start from, said when a checkpoint could not be written. */
    private String resumesFrom() {
        return lastCheckpointStep > 0 ? "a resume starts from the checkpoint of step " + lastCheckpointStep
                : "no checkpoint was written yet, so a resume trains from the start";
    }

    /** The failure of a run whose latest steps could not be saved, with what to do about it. */
    private IOException notSaved(String what, IOException cause) {
        return new IOException(what + ". Make room; " + resumesFrom() + " (" + RESUME + ")", cause);
    }

    private void saveCheckpoint(Path file, int step, double trainingSeconds, DmddNetworks nets,
            Map<TrainingStage, ParameterOptimizer> optimizers, NDManager root, TrainingListener out)
            throws IOException {
        try (NDManager m = root.newSubManager()) {
            NDList arrays = new NDList();
            arrays.addAll(nets.weights());
            for (ParameterOptimizer opt : optimizers.values()) {
                arrays.addAll(opt.state(m));
            }
            for (WeightAverage average : averages.values()) {
                average.addState(arrays, m);
            }
            Checkpoint.write(file, step, trainingSeconds, settings, trainingData, arrays, m);
        }
        lastCheckpointStep = step;
        out.onCheckpoint(file, step);
    }

    /**
     * The training images as the network sees them: whole-image models keep each image's inspection input (at the
     * inspection zoom); tiled models keep each image at the inspection scale. Every step cuts {@code imageSize}
     * crops from them when they are larger.
     */
    private List<RgbImage> resized(List<RgbImage> images) {
        Preprocessing preprocessing = settings.preprocessing();
        List<RgbImage> out = new ArrayList<>(images.size());
        for (RgbImage img : images) {
            out.add(preprocessing.atScale(preprocessing.picture(img)));
        }
        return out;
    }

    /** Whether the steps of a stage turn their normal images ({@code orientationAugmentation}). */
    private boolean turns(TrainingStage stage) {
        return switch (settings.orientationAugmentation()) {
            case "all" -> true;
            case "segmenter" -> stage == TrainingStage.SEGMENTER;
            default -> false;
        };
    }

    /**
     * How many orientations of each training image a stage's steps draw from, and so its cache holds: eight when
     * the stage turns its images, else one.
     */
    private int orientations(TrainingStage stage) {
        return turns(stage) ? Orientation.COUNT : 1;
    }

    /**
     * The training images in every orientation a stage's steps draw from, image by image (orientation {@code k} of
     * image {@code i} at {@code i * orientations(stage) + k}), turned when read: the stage's cache holds what the
     * frozen networks make of each, without keeping eight copies of the images.
     */
    private List<RgbImage> oriented(List<RgbImage> images, TrainingStage stage) {
        int n = orientations(stage);
        if (n == 1) {
            return images;
        }
        return new java.util.AbstractList<>() {
            @Override
            public RgbImage get(int i) {
                return Orientation.apply(images.get(i / n), i % n);
            }

            @Override
            public int size() {
                return images.size() * n;
            }
        };
    }

    /** The step's view of a training image: itself, or a random {@code imageSize} crop (a tile) of it. */
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
