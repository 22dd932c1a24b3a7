package dmdd.datasets.synthesis;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;

/**
 * A training pair: a normal image, the same image with a synthetic anomaly, and the anomaly's mask.
 * The mask is exactly the set of pixels where {@code augmented} differs from {@code normal}; a clean
 * pair has an empty mask and {@code augmented} equal to {@code normal}.
 *
 * @param normal    the normal image
 * @param augmented the image with the anomaly
 * @param mask      the anomalous pixels
 */
public record TrainingPair(RgbImage normal, RgbImage augmented, Mask mask) {
    /** @return whether the pair carries no anomaly */
    public boolean isClean() {
        return mask.isEmpty();
    }
}
