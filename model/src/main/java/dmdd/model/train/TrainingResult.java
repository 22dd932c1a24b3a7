package dmdd.model.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a training run ended.
 *
 * @param completed      {@code true} when all steps ran and the model folder was written;
 *                       {@code false} when cancelled (a checkpoint holds the progress)
 * @param completedSteps steps done, over both stages
 * @param modelDir       the model folder (also holding the checkpoint)
 * @param lastLosses     the last step's loss terms (empty if no step ran in this call)
 * @param seconds        wall-clock seconds of this call
 * @param unchanged      {@code true} when a resumed run had already finished and its saved model was left as it was
 */
public record TrainingResult(boolean completed, int completedSteps, Path modelDir, Map<String, Double> lastLosses,
        double seconds, boolean unchanged) {
}
