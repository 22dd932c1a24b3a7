package dmdd.app.cli;

/** {@code --method}: DMDD itself, its two relatives AAND and DCAM, or the plain student-teacher baseline. */
enum MethodChoice {
    /** Decoupled student, NGM + AIM, multi-perception segmentation. */
    dmdd,
    /** Residual anomaly amplification of the teacher, then reverse distillation with hard knowledge distillation. */
    aand,
    /** One student for several part types, with training-only distributed attention. */
    dcam,
    /** One student branch, no synthetic anomalies, no segmentation network. */
    baseline
}
