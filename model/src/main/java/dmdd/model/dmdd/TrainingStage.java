package dmdd.model.dmdd;

/**
 * One stage of a training run: which network the optimiser updates while every other network stays frozen.
 * A method's stages and their order come from {@link DmddSettings#stages()}.
 */
public enum TrainingStage {
    /** The student (DMDD's decoupled one, the baseline's and DCAM's plain one, AAND's reverse-distillation decoder). */
    STUDENT("student", "studentSteps"),
    /** DMDD's multi-perception segmentation network, the student frozen. */
    SEGMENTER("segmenter", "segmenterSteps"),
    /** AAND's residual anomaly amplifier on the frozen teacher, trained on synthetic anomalies. */
    AMPLIFIER("amplifier", "amplifierSteps");

    private final String displayName;
    private final String stepsSetting;

    TrainingStage(String displayName, String stepsSetting) {
        this.displayName = displayName;
        this.stepsSetting = stepsSetting;
    }

    /** @return the stage's name in progress reports and parameter prefixes */
    public String displayName() {
        return displayName;
    }

    /** @return the name of the setting that holds the stage's steps */
    public String stepsSetting() {
        return stepsSetting;
    }
}
