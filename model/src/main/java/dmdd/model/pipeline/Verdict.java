package dmdd.model.pipeline;

import dmdd.datasets.image.Mask;
import dmdd.model.infer.Thresholds;

/**
 * What the product says of an image: OK or NG. One rule for every front end: an image is NG when its
 * score is strictly above the image threshold, a pixel is defect when its fused value is strictly above
 * the pixel threshold, compared in the maps' own float precision ({@link #defectPixels}); the contour on
 * screen and the mask started from a prediction both come from it. A score that is not a finite number
 * has no verdict.
 */
public enum Verdict {
    /** At or below the image threshold. */
    OK,
    /** Above the image threshold. */
    NG;

    /**
     * @param score     an image score
     * @param threshold the image threshold
     * @return the verdict
     * @throws NonFiniteScoreException when the score is NaN or infinite (a damaged model, never "OK")
     */
    public static Verdict of(double score, double threshold) {
        if (!Double.isFinite(score)) {
            throw new NonFiniteScoreException(score);
        }
        return Thresholds.exceeds(score, threshold) ? NG : OK;
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

    /** @return the word written in results and reports ({@code OK} or {@code NG}) */
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
