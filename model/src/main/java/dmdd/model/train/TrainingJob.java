package dmdd.model.train;

import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.Split;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelLock;
import dmdd.model.infer.Thresholds;
import dmdd.model.teacher.Backbone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The one training service the command line and the GUI call: holds out a validation split of the
 * normal images ({@code validationFraction}, seeded), trains with {@link DmddTrainer}, then inspects
 * the held-out normal images, fits {@link Thresholds} on them and writes the {@link ModelFolder}.
 * Free of any UI type; progress goes to a {@link TrainingListener}, cancellation comes from a
 * {@link BooleanSupplier} polled between steps.
 */
public final class TrainingJob {
    private TrainingJob() {
    }

    /**
     * Trains a model with the production anomaly synthesis ({@link Synthesis#forSettings}).
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
        PairSynthesizer synthesis = settings.isDmdd() ? Synthesis.forSettings(settings)::synthesize : (img, rng) -> {
            throw new IllegalStateException("the baseline uses no synthetic anomalies");
        };
        return run(settings, normals, teacher, synthesis, modelDir, listener, cancel, resume);
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
        if (normals.isEmpty()) {
            throw new IllegalArgumentException("no normal image to train on");
        }
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        Split<RgbImage> split = Split.of(normals, settings.validationFraction(), settings.seed());
        if (settings.batchSize() > split.train().size()) {
            // A batch larger than the training set only repeats images at a higher cost.
            out.onMessage("batch " + settings.batchSize() + " is larger than the " + split.train().size()
                    + " training images: using batches of " + split.train().size());
            settings = settings.with("batchSize", split.train().size());
        }
        DmddSettings used = settings;
        // One writer per model folder: a second train or import into it is refused, naming this one.
        try (ModelLock lock = ModelLock.acquire(modelDir, "train")) {
            AtomicFiles.removeLeftovers(modelDir);
            boolean heldOut = !split.validation().isEmpty();
            List<RgbImage> calibration = heldOut ? split.validation() : split.train();
            DmddTrainer trainer = new DmddTrainer(used, teacher, synthesizer);
            return trainer.train(split.train(), modelDir, out, cancel, resume, (networks, seconds) -> {
                out.onMessage("fitting thresholds on " + calibration.size() + (heldOut ? " held-out" : " training")
                        + (calibration.size() == 1 ? " normal image" : " normal images"));
                List<AnomalyMaps> maps = Inspector.of(networks, teacher, null).inspect(calibration);
                Thresholds thresholds = Thresholds.fit(maps, used, heldOut ? "validation" : "training");
                out.onMessage("saving the model to " + modelDir);
                ModelFolder.save(modelDir, networks, thresholds, ModelFolder.TrainingSummary.now(used.totalSteps(),
                        seconds, split.train().size(), split.validation().size()));
            });
        }
    }
}
