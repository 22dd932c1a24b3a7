package dmdd.model.train;

import dmdd.model.dmdd.TrainingStage;
import java.util.Map;

/**
 * One step's report.
 *
 * @param completedSteps  steps done so far, over both stages (1 after the first step)
 * @param totalSteps      steps of the whole run
 * @param stage           the stage's number in its method's order, from 1 (DMDD: 1 student, 2 segmenter; AAND:
 *                        1 amplifier, 2 student; the baseline and DCAM: 1 student)
 * @param kind            which network the stage trains
 * @param stageStep       steps done within the stage
 * @param stageSteps      steps of the stage
 * @param losses          this step's loss terms by name ({@code total}, {@code ngm}, {@code aim},
 *                        {@code segmentation}, {@code distillation}, {@code amplification}, {@code kl}, ...)
 * @param imagesPerSecond normal images processed per second, averaged over this run's recent steps
 * @param etaSeconds      estimated seconds until the last step
 */
public record TrainingProgress(int completedSteps, int totalSteps, int stage, TrainingStage kind, int stageStep,
        int stageSteps,
        Map<String, Double> losses, double imagesPerSecond, double etaSeconds) {

    /** @return a short name of the stage for display */
    public String stageName() {
        return kind.displayName();
    }

    /** @return the fraction of the run done, in [0, 1] */
    public double fraction() {
        return totalSteps == 0 ? 1 : (double) completedSteps / totalSteps;
    }
}
