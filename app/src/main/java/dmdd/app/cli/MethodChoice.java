package dmdd.app.cli;

/** {@code --method}: DMDD itself, or the plain student-teacher baseline in the same code. */
enum MethodChoice {
    /** Decoupled student, NGM + AIM, multi-perception segmentation. */
    dmdd,
    /** One student branch, no synthetic anomalies, no segmentation network. */
    baseline
}
