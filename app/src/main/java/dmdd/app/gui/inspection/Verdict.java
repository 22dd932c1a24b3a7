package dmdd.app.gui.inspection;

import dmdd.model.infer.Thresholds;

/** The decision for one image. */
public enum Verdict {
    /** Score at or below the image threshold. */
    OK,
    /** Score above the image threshold: defective. */
    NG,
    /** Not inspected yet. */
    UNKNOWN;

    /**
     * The verdict of a score.
     *
     * @param score     image score (NaN when not inspected)
     * @param threshold image threshold
     * @return OK, NG or UNKNOWN
     */
    public static Verdict of(double score, double threshold) {
        if (Double.isNaN(score) || Double.isNaN(threshold)) {
            return UNKNOWN;
        }
        return Thresholds.exceeds(score, threshold) ? NG : OK;
    }
}
