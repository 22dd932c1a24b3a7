package dmdd.app.gui.inspection;

/**
 * What the gallery shows for one image: the model's verdict ({@link dmdd.model.pipeline.Verdict}, the one
 * rule) or UNKNOWN while the image has no score.
 */
public enum Verdict {
    /** At or below the OK-below threshold. */
    OK,
    /** Between the two image thresholds: a person decides. */
    UNSURE,
    /** Above the NG-above threshold: defective. */
    NG,
    /** Not inspected yet. */
    UNKNOWN;

    /**
     * The verdict of a score, by the model's rule.
     *
     * @param score   image score (NaN when not inspected)
     * @param okBelow OK-below image threshold
     * @param ngAbove NG-above image threshold (at least {@code okBelow})
     * @return OK, UNSURE, NG or UNKNOWN
     */
    public static Verdict of(double score, double okBelow, double ngAbove) {
        if (Double.isNaN(score) || Double.isNaN(okBelow) || Double.isNaN(ngAbove)) {
            return UNKNOWN;
        }
        return valueOf(dmdd.model.pipeline.Verdict.of(score, okBelow, ngAbove).name());
    }
}
