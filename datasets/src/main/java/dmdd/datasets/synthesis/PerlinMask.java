package dmdd.datasets.synthesis;

import dmdd.datasets.image.Mask;
import java.util.Random;

/**
 * DRAEM's anomaly shapes: Perlin noise with a lattice of 2^U{min..max} cells per axis (each axis
 * drawn separately), rotated by U(-r, r) degrees, thresholded. The shapes range from one big
 * blob to many small speckles.
 */
public final class PerlinMask {
    /** Draws before giving up on the threshold and taking the strongest noise instead. */
    static final int MAX_ATTEMPTS = 30;

    private PerlinMask() {
    }

    /**
     * Draws one mask that is never empty: the noise is redrawn while thresholding leaves nothing
     * (coarse lattices often stay below 0.5 everywhere); after {@link #MAX_ATTEMPTS} draws the top
     * 10 % of the last noise field (inside the foreground) is used.
     *
     * @param width      mask width
     * @param height     mask height
     * @param foreground where defects may go, or {@code null} for anywhere; same size, not empty
     * @param settings   scale, rotation and threshold
     * @param rng        the random source (the only one used)
     * @return the mask, with at least one defect pixel
     */
    public static Mask sample(int width, int height, Mask foreground, SynthesisSettings settings, Random rng) {
        if (foreground != null && (foreground.width() != width || foreground.height() != height)) {
            throw new IllegalArgumentException("foreground " + foreground.width() + "x" + foreground.height()
                    + " does not match " + width + "x" + height);
        }
        if (foreground != null && foreground.isEmpty()) {
            throw new IllegalArgumentException("the foreground mask is empty: there is nowhere to place a defect");
        }
        boolean[] allowed = foreground == null ? null : foreground.toBooleans();
        float[] noise = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            noise = noiseField(width, height, settings, rng);
            boolean[] flags = new boolean[width * height];
            boolean any = false;
            for (int i = 0; i < flags.length; i++) {
                flags[i] = noise[i] > settings.perlinThreshold() && (allowed == null || allowed[i]);
                any |= flags[i];
            }
            if (any) {
                return Mask.of(width, height, flags);
            }
        }
        return topShare(noise, allowed, width, height, 0.1);
    }

    /**
     * One rotated Perlin field as DRAEM draws it.
     *
     * @param width    field width
     * @param height   field height
     * @param settings scale and rotation ranges
     * @param rng      the random source
     * @return row-major noise values
     */
    static float[] noiseField(int width, int height, SynthesisSettings settings, Random rng) {
        int span = settings.maxPerlinScaleExp() - settings.minPerlinScaleExp() + 1;
        int cellsX = 1 << (settings.minPerlinScaleExp() + rng.nextInt(span));
        int cellsY = 1 << (settings.minPerlinScaleExp() + rng.nextInt(span));
        double angle = (rng.nextDouble() * 2 - 1) * settings.maxRotationDegrees();
        return PerlinNoise.field(width, height, cellsX, cellsY, angle, rng);
    }

    private static Mask topShare(float[] noise, boolean[] allowed, int width, int height, double share) {
        float[] candidates = new float[noise.length];
        int n = 0;
        for (int i = 0; i < noise.length; i++) {
            if (allowed == null || allowed[i]) {
                candidates[n++] = noise[i];
            }
        }
        float[] sorted = java.util.Arrays.copyOf(candidates, n);
        java.util.Arrays.sort(sorted);
        float cut = sorted[Math.max(0, Math.min(n - 1, (int) Math.floor(n * (1 - share))))];
        boolean[] flags = new boolean[noise.length];
        for (int i = 0; i < noise.length; i++) {
            flags[i] = noise[i] >= cut && (allowed == null || allowed[i]);
        }
        return Mask.of(width, height, flags);
    }
}
