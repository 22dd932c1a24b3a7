package dmdd.model.pipeline;

import dmdd.model.infer.Thresholds;

/**
 * What the product says of an image: OK or NG. One rule for every front end: an image is NG when its
 * score is strictly above the image threshold, a pixel is defect when its fused value is strictly above
 * the pixel threshold ({@link Thresholds#exceeds}); the contour on screen, the mask started from a
 * prediction and the exported maps all use {@link #isDefectPixel}. A score that is not a finite number
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
     * @param value          a fused-map value
     * @param pixelThreshold the pixel threshold
     * @return whether the pixel is marked as defect
     */
    public static boolean isDefectPixel(float value, double pixelThreshold) {
        return Thresholds.exceeds(value, pixelThreshold);
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
