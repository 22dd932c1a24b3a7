package dmdd.app.gui.training;

import dmdd.model.project.Project;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the training screen needs from the model: the device it would use, whether a run can be
 * resumed, and the training run itself. The application passes {@link DmddTrainingEngine}, which
 * calls the model module's trainer (the same code as {@code dmdd train}); view-model tests pass a
 * scripted one.
 */
public interface TrainingEngine {

    /**
     * Describes the device a choice resolves to, e.g. "CPU (no GPU found)".
     *
     * @param choice {@code auto}, {@code cpu} or {@code gpu[:N]}
     * @return a short text for the settings dialog
     */
    String describeDevice(String choice);

    /**
     * Whether an interrupted run of this project can be resumed from a checkpoint.
     *
     * @param project the project
     * @return true if a checkpoint exists
     */
    boolean canResume(Project project);

    /**
     * Trains the project's model with the project's settings; runs on a background thread.
     *
     * @param project   the project (normal images, settings, model folder)
     * @param resume    continue from the checkpoint instead of starting over
     * @param listener  receives progress (on the training thread)
     * @param cancelled polled between steps; when it turns true the run writes a checkpoint and returns
     * @return how the run ended
     * @throws Exception when training fails (the message says why)
     */
    Outcome train(Project project, boolean resume, Listener listener, BooleanSupplier cancelled) throws Exception;

    /** Receives training progress on the training thread. */
    interface Listener {
        /**
         * After a step.
         *
         * @param update where training stands
         */
        void progress(Update update);

        /**
         * A phase that is not a step (obtaining teacher weights, preparing data, calibrating, saving).
         *
         * @param message what is happening
         */
        void message(String message);
    }

    /**
     * One step's report.
     *
     * @param completedSteps  steps done over all stages
     * @param totalSteps      steps of the whole run
     * @param stage           name of the current stage
     * @param losses          loss terms of this step by name ({@code total} first)
     * @param imagesPerSecond throughput
     * @param etaSeconds      estimated seconds left
     */
    record Update(int completedSteps, int totalSteps, String stage, Map<String, Double> losses,
            double imagesPerSecond, double etaSeconds) {
    }

    /**
     * How a run ended.
     *
     * @param completed      all steps ran and the model was saved (false: cancelled, resumable)
     * @param completedSteps steps done
     * @param seconds        wall-clock time
     */
    record Outcome(boolean completed, int completedSteps, double seconds) {
    }
}
