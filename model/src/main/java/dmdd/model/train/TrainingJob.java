package dmdd.model.train;

import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.Split;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.MapFusion;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelLock;
import dmdd.model.infer.ModelVersions;
import dmdd.model.infer.Thresholds;
import dmdd.model.pipeline.Verdict;
import dmdd.model.teacher.Backbone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The one training service the command line and the GUI call: holds out a validation split of the
 * normal images ({@code validationFraction}, seeded), trains with {@link DmddTrainer} (from random weights,
 * or, for {@link #improve}, from the folder's model), then inspects the held-out normal images, fits
 * {@link Thresholds} on them, records their false-alarm rate and writes the {@link ModelFolder}.
 * Free of any UI type; progress goes to a {@link TrainingListener}, cancellation comes from a
 * {@link BooleanSupplier} polled between steps.
 */
public final class TrainingJob {
    /** Fewer held-out normal images than this give thresholds set by one or two scores, which is said. */
    static final int FEW_HELD_OUT = 5;

    private TrainingJob() {
    }

    /**
     * Whether a model folder holds a run to resume: a checkpoint written after the folder's saved model (or with no
     * model saved), which only a run that stopped before its save leaves (a finished run saves its model after its
     * last checkpoint).
     *
     * @param modelDir a model folder
     * @return whether {@code --resume} (or the workstation's Resume) would continue a run there
     */
    public static boolean hasRunToResume(Path modelDir) {
        Path checkpoint = modelDir.resolve(Checkpoint.FILE_NAME);
        Path model = modelDir.resolve(ModelFolder.DESCRIPTION);
        try {
            return java.nio.file.Files.isRegularFile(checkpoint) && (!java.nio.file.Files.isRegularFile(model)
                    || java.nio.file.Files.getLastModifiedTime(checkpoint)
                            .compareTo(java.nio.file.Files.getLastModifiedTime(model)) > 0);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Trains a model with the production anomaly synthesis ({@link Synthesis#byStage}).
     *
     * @param settings model settings
     * @param normals  normal images (any size)
     * @param teacher  the frozen teacher named by {@code settings.backbone()}
     * @param modelDir the model folder to write (the checkpoint lives there too)
     * @param listener progress receiver (may be null)
     * @param cancel   polled between steps (may be null)
     * @param resume   continue from the folder's checkpoint when there is one
     * @return how it ended; when completed, {@code modelDir} holds a readable model
     * @throws IOException when the texture folder, a checkpoint or the model folder fails
     */
    public static TrainingResult run(DmddSettings settings, List<RgbImage> normals, Backbone teacher, Path modelDir,
            TrainingListener listener, BooleanSupplier cancel, boolean resume) throws IOException {
        return runOnSets(settings, List.of(normals), teacher, modelDir, listener, cancel, resume);
    }

    /**
     * Trains a model on several sets of normal images (part types, categories) with the production anomaly
     * synthesis; each set is held out for the thresholds in its share ({@link Split#byGroup}).
     *
     * @param settings   model settings
     * @param normalSets normal images by set (any size)
     * @param teacher    the frozen teacher named by {@code settings.backbone()}
     * @param modelDir   the model folder to write (the checkpoint lives there too)
     * @param listener   progress receiver (may be null)
     * @param cancel     polled between steps (may be null)
     * @param resume     continue from the folder's checkpoint when there is one
     * @return how it ended; when completed, {@code modelDir} holds a readable model
     * @throws IOException when the texture folder, a checkpoint or the model folder fails
     */
    public static TrainingResult runOnSets(DmddSettings settings, List<List<RgbImage>> normalSets, Backbone teacher,
            Path modelDir, TrainingListener listener, BooleanSupplier cancel, boolean resume) throws IOException {
        return train(settings, normalSets, teacher, productionSynthesis(settings), modelDir, listener, cancel, resume);
    }

    /**
     * {@link #runOnSets(DmddSettings, List, Backbone, Path, TrainingListener, BooleanSupplier, boolean)} with a
     * synthesis built beforehand by {@link #productionSynthesis}, so that a command can refuse a bad texture folder
     * before it says it is training.
     *
     * @param settings    model settings
     * @param normalSets  normal images by set (any size)
     * @param teacher     the frozen teacher named by {@code settings.backbone()}
     * @param synthesizer the settings' production synthesis
     * @param modelDir    the model folder to write (the checkpoint lives there too)
     * @param listener    progress receiver (may be null)
     * @param cancel      polled between steps (may be null)
     * @param resume      continue from the folder's checkpoint when there is one
     * @return how it ended; when completed, {@code modelDir} holds a readable model
     * @throws IOException when a checkpoint or the model folder fails
     */
    public static TrainingResult runOnSets(DmddSettings settings, List<List<RgbImage>> normalSets, Backbone teacher,
            PairSynthesizer synthesizer, Path modelDir, TrainingListener listener, BooleanSupplier cancel,
            boolean resume) throws IOException {
        return train(settings, normalSets, teacher, synthesizer, modelDir, listener, cancel, resume);
    }

    /**
     * The production anomaly synthesis ({@link Synthesis#byStage}) for the methods that use one; the others get one
     * that must never be asked for a pair.
     *
     * @param settings model settings
     * @return the synthesis training uses
     * @throws IOException naming the texture folder when it is missing or holds no usable texture
     */
    public static PairSynthesizer productionSynthesis(DmddSettings settings) throws IOException {
        if (settings.method().synthesisesAnomalies()) {
            return Synthesis.byStage(settings);
        }
        String method = settings.method().displayName();
        return (img, rng) -> {
            throw new IllegalStateException(method + " uses no synthetic anomalies");
        };
    }

    /**
     * Trains a model with a given anomaly synthesis (tests use simple ones).
     *
     * @param settings    model settings
     * @param normals     normal images
     * @param teacher     the frozen teacher
     * @param synthesizer makes training pairs
     * @param modelDir    the model folder
     * @param listener    progress receiver (may be null)
     * @param cancel      polled between steps (may be null)
     * @param resume      continue from a checkpoint
     * @return how it ended
     * @throws IOException when a checkpoint or the model folder fails
     */
    public static TrainingResult run(DmddSettings settings, List<RgbImage> normals, Backbone teacher,
            PairSynthesizer synthesizer, Path modelDir, TrainingListener listener, BooleanSupplier cancel,
            boolean resume) throws IOException {
        return train(settings, List.of(normals), teacher, synthesizer, modelDir, listener, cancel, resume);
    }

    private static TrainingResult train(DmddSettings settings, List<List<RgbImage>> normalSets, Backbone teacher,
            PairSynthesizer synthesizer, Path modelDir, TrainingListener listener, BooleanSupplier cancel,
            boolean resume) throws IOException {
        if (normalSets.stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("no normal image to train on");
        }
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        Split<RgbImage> split = Split.byGroup(normalSets, settings.validationFraction(), settings.seed());
        refuseForeignFolder(modelDir);
        refuseUnreadableModel(modelDir);
        dmdd.model.project.Project.requireSlotFor(modelDir, settings.method());
        // One writer per model folder: a second train or import into it is refused, naming this one.
        try (ModelLock lock = ModelLock.acquire(modelDir, "train")) {
            AtomicFiles.removeLeftovers(modelDir);
            return trainAndSave(settings, split, teacher, synthesizer, modelDir, modelDir, null, 0, out, cancel,
                    resume);
        }
    }

    /**
     * "Improve model": continues training from the folder's current model for a short, bounded number of steps
     * on the normal images (people's OK decisions included), re-fits the thresholds on the held-out ones and
     * saves the result as the folder's model; the model it replaces is kept as a version first
     * ({@link ModelVersions}), so the user can go back. Checkpoints go to a working folder inside the model
     * folder, removed at the end; a cancelled improvement leaves the model as it was.
     *
     * @param modelDir a model folder holding a model
     * @param normals  the normal images (the original ones and those marked OK)
     * @param teacher  the frozen teacher the model needs
     * @param steps    optimisation steps, 1 to {@link DmddSettings#MAX_IMPROVE_STEPS}, split between the stages by
     *                 {@link DmddSettings#withTotalSteps}
     * @param listener progress receiver (may be null)
     * @param cancel   polled between steps (may be null)
     * @return how it ended; when completed, the folder holds the improved model
     * @throws IOException when the model cannot be read or the folder written
     */
    public static TrainingResult improve(Path modelDir, List<RgbImage> normals, Backbone teacher, int steps,
            TrainingListener listener, BooleanSupplier cancel) throws IOException {
        return improveOnSets(modelDir, List.of(normals), teacher, steps, listener, cancel);
    }

    /**
     * Improves a model trained on several sets of normal images (part types): each set is held out for the
     * thresholds in its share, as in training ({@link Split#byGroup}), so a small set keeps its say in them.
     *
     * @param modelDir   the model folder (it must hold a model)
     * @param normalSets normal images by set
     * @param teacher    the frozen teacher the model was trained with
     * @param steps      steps of this improvement (1 to {@link DmddSettings#MAX_IMPROVE_STEPS})
     * @param listener   progress receiver (may be null)
     * @param cancel     polled between steps (may be null)
     * @return how it ended; when completed, the folder holds the improved model
     * @throws IOException when the model cannot be read or the folder written
     */
    public static TrainingResult improveOnSets(Path modelDir, List<List<RgbImage>> normalSets, Backbone teacher,
            int steps, TrainingListener listener, BooleanSupplier cancel) throws IOException {
        if (normalSets.stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("no normal image to train on");
        }
        if (steps < 1 || steps > DmddSettings.MAX_IMPROVE_STEPS) {
            throw new IllegalArgumentException("an improvement takes 1 to " + DmddSettings.MAX_IMPROVE_STEPS
                    + " steps, not " + steps);
        }
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        try (ModelLock lock = ModelLock.acquire(modelDir, "improve")) {
            AtomicFiles.removeLeftovers(modelDir);
            ModelFolder current = ModelFolder.read(modelDir);
            DmddSettings settings = current.settings().withTotalSteps(steps);
            Split<RgbImage> split = Split.byGroup(normalSets, settings.validationFraction(), settings.seed());
            PairSynthesizer synthesis = productionSynthesis(settings);
            Path work = modelDir.resolve(IMPROVING);
            dmdd.datasets.image.Folders.deleteTree(work);
            try {
                return trainAndSave(settings, split, teacher, synthesis, modelDir, work, current,
                        current.training().steps(), out, cancel, false);
            } finally {
                dmdd.datasets.image.Folders.deleteTree(work);
            }
        }
    }

    /** The working folder of an improvement (its checkpoints) inside the model folder. */
    static final String IMPROVING = "improving";

    /**
     * Trains (from random weights, or from {@code startFrom}), fits the thresholds on the held-out normal
     * images, records their false-alarm rate and saves the model. The caller holds the folder's lock.
     */
    private static TrainingResult trainAndSave(DmddSettings settings, Split<RgbImage> split, Backbone teacher,
            PairSynthesizer synthesizer, Path modelDir, Path checkpointDir, ModelFolder startFrom, int earlierSteps,
            TrainingListener out, BooleanSupplier cancel, boolean resume) throws IOException {
        if (settings.batchSize() > split.train().size()) {
            // A batch larger than the training set only repeats images at a higher cost.
            out.onMessage("batch " + settings.batchSize() + " is larger than the " + split.train().size()
                    + " training images: using batches of " + split.train().size());
            settings = settings.with("batchSize", split.train().size());
        }
        DmddSettings used = settings;
        boolean heldOut = !split.validation().isEmpty();
        List<RgbImage> calibration = heldOut ? split.validation() : split.train();
        DmddTrainer fresh = new DmddTrainer(used, teacher, synthesizer);
        DmddTrainer trainer = startFrom == null ? fresh : fresh.startingFrom(startFrom);
        return trainer.train(split.train(), checkpointDir, out, cancel, resume, (networks, seconds, trainedOn, stop) -> {
            out.onMessage("fitting thresholds on " + calibration.size() + (heldOut ? " held-out" : " training")
                    + (calibration.size() == 1 ? " normal image" : " normal images"));
            if (!heldOut || calibration.size() < FEW_HELD_OUT) {
                out.onMessage(fewHeldOutWarning(heldOut ? calibration.size() : 0, used.validationFraction()));
            }
            String fittedOn = heldOut ? "validation" : "training";
            int slice = used.isTiled() || used.isZoomed() ? 1 : STOPPABLE_SLICE;
            List<AnomalyMaps> first = inspectUnlessStopped(Inspector.of(networks, teacher, null), calibration, slice,
                    stop);
            if (first == null) {
                return false;
            }
            Thresholds ranges = Thresholds.fit(first, used, fittedOn);
            // A fused map made with the branch ranges just fitted needs its thresholds fitted again on it.
            List<AnomalyMaps> maps = MapFusion.usesBranchRanges(used)
                    ? inspectUnlessStopped(Inspector.of(networks, teacher, ranges), calibration, slice, stop) : first;
            if (maps == null || stop.getAsBoolean()) {
                return false; // the last moment a stop leaves the folder as it was; the save below is not cut
            }
            Thresholds thresholds = MapFusion.usesBranchRanges(used) ? Thresholds.fit(maps, used, fittedOn) : ranges;
            long falseAlarms = maps.stream().filter(m -> Verdict.of(m.score(), thresholds) != Verdict.OK).count();
            out.onMessage(thresholds.imageNg() > thresholds.image()
                    ? String.format(java.util.Locale.ROOT, "image thresholds: OK at or below %.4g, NG above %.4g, "
                            + "unsure (a person decides) in between", thresholds.image(), thresholds.imageNg())
                    : String.format(java.util.Locale.ROOT, "image threshold: OK at or below %.4g, NG above it "
                            + "(no unsure band)", thresholds.image()));
            // Whatever model the folder held (trained, improved or imported) stays as a version to go back to.
            ModelVersions.Kept kept = null;
            if (startFrom != null || java.nio.file.Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
                kept = ModelVersions.keep(modelDir);
                out.onMessage("the previous model is kept as version " + kept.id());
            }
            out.onMessage("saving the model to " + modelDir);
            // an improved model keeps the schedule it was trained with, so the next improvement splits like it
            DmddSettings recorded = startFrom == null ? networks.settings()
                    : networks.settings().withStepsOf(startFrom.settings());
            Long calibrationPixels = null;
            if (used.preprocessing().scale() > 0) {
                long[] pixels = calibration.stream().mapToLong(i -> (long) i.width() * i.height()).sorted().toArray();
                calibrationPixels = pixels[pixels.length / 2];
            }
            try {
                ModelFolder.save(modelDir, networks, recorded, thresholds, ModelFolder.TrainingSummary.now(
                        earlierSteps + used.totalSteps(), seconds, split.train().size(), split.validation().size(),
                        (double) falseAlarms / maps.size(), trainedOn, calibrationPixels));
            } catch (IOException | RuntimeException e) {
                if (kept != null) {
                    // the folder's model is still the one just kept: no second copy of it per failed save
                    ModelVersions.forget(modelDir, kept, e);
                }
                throw e;
            }
            return true;
        });
    }

    /**
     * Images inspected a slice at a time, so that a stop is obeyed within seconds even on a large validation set: a
     * whole-image model's slices of {@value #STOPPABLE_SLICE} images batch the networks' passes as one call would
     * (the images of every pass batch, {@code Inspector.DEFAULT_BATCH} over the passes per image, divide it), so the
     * maps are the same; a tiled or zoomed picture is many passes by itself, and its tiles are batched picture by
     * picture anyway.
     *
     * @return the maps, or {@code null} when a stop came first
     */
    private static List<AnomalyMaps> inspectUnlessStopped(Inspector inspector, List<RgbImage> images, int slice,
            BooleanSupplier stop) {
        List<AnomalyMaps> maps = new java.util.ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i += slice) {
            if (stop.getAsBoolean()) {
                return null;
            }
            maps.addAll(inspector.inspect(images.subList(i, Math.min(images.size(), i + slice))));
        }
        return maps;
    }

    /** Twice the inspection batch, which every whole-image pass batch divides. */
    private static final int STOPPABLE_SLICE = 2 * Inspector.DEFAULT_BATCH;

    /**
     * Says that thresholds fitted on a few held-out images are a guess: the OK-below threshold is a high quantile of
     * their scores, of one or two images their maximum.
     *
     * @param heldOut            the normal images held out for the thresholds (0: fitted on training images)
     * @param validationFraction the share of the normal images held out
     * @return the warning
     */
    private static String fewHeldOutWarning(int heldOut, double validationFraction) {
        String why = heldOut == 0 ? "no normal image could be held out, so the thresholds are fitted on images the "
                + "model trained on, which score lower than new ones"
                : "only " + heldOut + " normal " + (heldOut == 1 ? "image was" : "images were")
                + " held out for the thresholds";
        String remedy = validationFraction <= 0 ? "set validationFraction above 0 (0 holds no image out)"
                : "add normal images (about " + (int) Math.ceil(FEW_HELD_OUT / validationFraction) + " or more)";
        return "warning: " + why + ": the verdicts' thresholds are a guess; " + remedy + " for thresholds to trust";
    }

    /**
     * A model goes into an empty or new folder, or one that holds a model or a checkpoint; never among a user's
     * other files, which a later import or clean-up of the model folder could remove.
     */
    private static void refuseForeignFolder(Path modelDir) throws IOException {
        if (!java.nio.file.Files.isDirectory(modelDir)
                || java.nio.file.Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))
                || java.nio.file.Files.isRegularFile(modelDir.resolve(Checkpoint.FILE_NAME))) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(modelDir)) {
            List<String> foreign = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".lock") && !n.startsWith(".tmp")).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException(modelDir + " is not a model folder (it holds " + foreign.get(0)
                        + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more" : "")
                        + "): train into an empty folder or an existing model's folder");
            }
        }
    }

    /**
     * The model a folder holds is kept as a version when a training run replaces it, which needs it readable: a
     * damaged description is found before the run, not after its last step.
     */
    private static void refuseUnreadableModel(Path modelDir) {
        if (!java.nio.file.Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
            return;
        }
        try {
            ModelFolder.read(modelDir);
        } catch (dmdd.model.infer.ModelFolderException e) {
            throw new IllegalArgumentException(e.getMessage() + ". A new run keeps the model it replaces as a version "
                    + "and cannot keep this one: move " + modelDir.resolve(ModelFolder.DESCRIPTION)
                    + " out of the folder, or train into a new folder", e);
        }
    }
}
