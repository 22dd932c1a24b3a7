package dmdd.model.train;

import java.util.Map;

/**
 * One step's report.
 *
 * @param completedSteps  steps done so far, over both stages (1 after the first step)
 * @param totalSteps      steps of the whole run
 * @param stage           1 (student: NGM + AIM, or the baseline's distillation) or 2 (segmenter)
 * @param stageStep       steps done within the stage
 * @param stageSteps      steps of the stage
 * @param losses          this step's loss terms by name ({@code total}, {@code ngm}, {@code aim},
 *                        {@code segmentation}, {@code distillation})
 * @param imagesPerSecond normal images processed per second, averaged over this run's recent steps
 * @param etaSeconds      estimated seconds until the last step
 */
public record TrainingProgress(int completedSteps, int totalSteps, int stage, int stageStep, int stageSteps,
        Map<String, Double> losses, double imagesPerSecond, double etaSeconds) {

    /** @return a short name of the stage for display */
    public String stageName() {
        return stage == 1 ? "student" : "segmenter";
    }

    /** @return the fraction of the run done, in [0, 1] */
    public double fraction() {
        return totalSteps == 0 ? 1 : (double) completedSteps / totalSteps;
    }
}
