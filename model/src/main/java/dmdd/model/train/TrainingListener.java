package dmdd.model.train;

import java.nio.file.Path;

/**
 * Receives the trainer's progress. Called on the training thread between steps: keep it quick,
 * and hand work to another thread (a GUI posts to its UI thread) when it is not.
 */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * After every step.
     *
     * @param progress where training stands
     */
    default void onProgress(TrainingProgress progress) {
    }

    /**
     * After a checkpoint has been written (atomically).
     *
     * @param file           the checkpoint file
     * @param completedSteps steps it holds
     */
    default void onCheckpoint(Path file, int completedSteps) {
    }

    /**
     * A phase that is not a step (preparing data, fitting thresholds, saving the model).
     *
     * @param message what is happening, for a status line
     */
    default void onMessage(String message) {
    }
}
