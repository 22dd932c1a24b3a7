package dmdd.model.pipeline;

import dmdd.datasets.image.Mask;
import dmdd.model.infer.Thresholds;

/**
 * What the product says of an image: OK, UNSURE or NG. One rule for every front end, with two image
 * thresholds: an image is OK when its score is at or below the OK-below threshold, NG when it is strictly
 * above the NG-above threshold, and UNSURE in between (a person reviews it); with both thresholds equal
 * there is no unsure band. A pixel is defect when its fused value is strictly above the pixel threshold,
 * compared in the maps' own float precision ({@link #defectPixels}); the contour on screen and the mask
 * started from a prediction both come from it. A score that is not a finite number has no verdict.
 */
public enum Verdict {
    /** At or below the OK-below threshold. */
    OK,
    /** Above the OK-below threshold, at or below the NG-above threshold: a person decides. */
    UNSURE,
    /** Above the NG-above threshold. */
    NG;

    /**
     * @param score   an image score
     * @param okBelow the OK-below image threshold (OK at or below it)
     * @param ngAbove the NG-above image threshold (NG strictly above it), at least {@code okBelow}
     * @return the verdict
     * @throws NonFiniteScoreException  when the score is NaN or infinite (a damaged model, never "OK")
     * @throws IllegalArgumentException when {@code ngAbove < okBelow} or a threshold is not a number
     */
    public static Verdict of(double score, double okBelow, double ngAbove) {
        if (!Double.isFinite(score)) {
            throw new NonFiniteScoreException(score);
        }
        if (!(ngAbove >= okBelow)) {
            throw new IllegalArgumentException("the NG-above threshold " + ngAbove
                    + " must not be below the OK-below threshold " + okBelow);
        }
        if (Thresholds.exceeds(score, ngAbove)) {
            return NG;
        }
        return Thresholds.exceeds(score, okBelow) ? UNSURE : OK;
    }

    /**
     * @param score      an image score
     * @param thresholds a model's thresholds (their {@link Thresholds#image()} and {@link Thresholds#imageNg()})
     * @return the verdict by {@link #of(double, double, double)}
     */
    public static Verdict of(double score, Thresholds thresholds) {
        return of(score, thresholds.image(), thresholds.imageNg());
    }

    /**
     * The defect pixels of a fused map: values strictly above the pixel threshold (as a float, the maps'
     * precision, so that every caller draws the same boundary).
     *
     * @param fused          row-major fused map
     * @param width          its width
     * @param height         its height
     * @param pixelThreshold the pixel threshold
     * @return the mask of defect pixels
     */
    public static Mask defectPixels(float[] fused, int width, int height, double pixelThreshold) {
        return Mask.threshold(width, height, fused, (float) pixelThreshold);
    }

    /** @return the word written in results and reports ({@code OK}, {@code UNSURE} or {@code NG}) */
    public String word() {
        return name();
    }

    /** A score without a verdict: the model computed NaN or infinity. */
    public static final class NonFiniteScoreException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NonFiniteScoreException(double score) {
            super("the model gave the score " + score + " (not a finite number): its weights may be damaged; "
                    + "no verdict is given");
        }
    }
}
