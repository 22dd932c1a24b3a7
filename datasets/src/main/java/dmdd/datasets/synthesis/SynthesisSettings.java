package dmdd.datasets.synthesis;

/**
 * The knobs of anomaly synthesis (DRAEM's recipe, see docs/method): every choice is named here so
 * it can be changed and saved with a model.
 *
 * @param cleanFraction        share of pairs left clean (mask empty, augmented = normal), in [0, 1]
 * @param maxBlend             the blend factor b is drawn from U[0, maxBlend); b = 0 pastes the
 *                             texture opaquely, larger b lets more of the normal image through
 * @param minPerlinScaleExp    smallest exponent e of the Perlin lattice size 2^e per axis
 * @param maxPerlinScaleExp    largest exponent (inclusive); DRAEM draws e from {0, ..., 5}
 * @param maxRotationDegrees   the noise is rotated by U(-max, max) degrees
 * @param perlinThreshold      noise values above it become the defect region
 * @param minChange            a masked pixel whose value moves by less than this in every channel
 *                             is put back and left out of the mask, so the mask is exactly the
 *                             changed pixels (default: one 8-bit level)
 * @param augmentTexture       whether textures get three random colour augmentations, as DRAEM does
 * @param scarShare            share of the anomalous pairs whose region is a thin curved scar (1-3 px wide)
 *                             instead of a Perlin blob: real scratches and cracks are thin, blobs are not
 * @param spotShare            share of the anomalous pairs whose region is one to four small spots (pits,
 *                             dust)
 * @param patchShare           share of the anomalous pairs whose defect is a patch of the image itself pasted
 *                             elsewhere with soft edges ({@link PastedPatches}); scars, spots and patches together
 *                             at most 1, the rest Perlin blobs
 */
public record SynthesisSettings(
        double cleanFraction,
        double maxBlend,
        int minPerlinScaleExp,
        int maxPerlinScaleExp,
        double maxRotationDegrees,
        double perlinThreshold,
        float minChange,
        boolean augmentTexture,
        double scarShare,
        double spotShare,
        double patchShare) {

    /** DRAEM's values, with half of the pairs clean. */
    public static final SynthesisSettings DEFAULTS =
            new SynthesisSettings(0.5, 0.8, 0, 5, 90, 0.5, 1f / 255f, true, 0, 0, 0);

    /**
     * Checks the values.
     *
     * @param cleanFraction      share of clean pairs
     * @param maxBlend           upper bound of the blend factor
     * @param minPerlinScaleExp  smallest lattice exponent
     * @param maxPerlinScaleExp  largest lattice exponent
     * @param maxRotationDegrees rotation range
     * @param perlinThreshold    noise threshold
     * @param minChange          smallest change that counts as changed
     * @param augmentTexture     whether textures are colour-augmented
     * @param scarShare          share of thin scars among the anomalous pairs
     * @param spotShare          share of small spots among the anomalous pairs
     * @param patchShare         share of pasted patches among the anomalous pairs
     */
    public SynthesisSettings {
        if (!(cleanFraction >= 0 && cleanFraction <= 1)) {
            throw new IllegalArgumentException("cleanFraction must be in [0, 1], got " + cleanFraction);
        }
        if (!(maxBlend >= 0 && maxBlend < 1)) {
            throw new IllegalArgumentException("maxBlend must be in [0, 1), got " + maxBlend);
        }
        if (minPerlinScaleExp < 0 || maxPerlinScaleExp < minPerlinScaleExp || maxPerlinScaleExp > 10) {
            throw new IllegalArgumentException("Perlin scale exponents must satisfy 0 <= min <= max <= 10, got "
                    + minPerlinScaleExp + ".." + maxPerlinScaleExp);
        }
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180)) {
            throw new IllegalArgumentException("maxRotationDegrees must be in [0, 180], got " + maxRotationDegrees);
        }
        if (!(perlinThreshold > -1 && perlinThreshold < 1)) {
            throw new IllegalArgumentException("perlinThreshold must be in (-1, 1), got " + perlinThreshold);
        }
        if (!(scarShare >= 0 && spotShare >= 0 && patchShare >= 0 && scarShare + spotShare + patchShare <= 1)) {
            throw new IllegalArgumentException("scarShare, spotShare and patchShare must be non-negative and sum to at "
                    + "most 1, got " + scarShare + ", " + spotShare + " and " + patchShare);
        }
        if (!(minChange > 0 && minChange < 1)) {
            throw new IllegalArgumentException("minChange must be in (0, 1), got " + minChange);
        }
    }

    /**
     * @param fraction the share of clean pairs
     * @return these settings with another clean fraction
     */
    public SynthesisSettings withCleanFraction(double fraction) {
        return new SynthesisSettings(fraction, maxBlend, minPerlinScaleExp, maxPerlinScaleExp,
                maxRotationDegrees, perlinThreshold, minChange, augmentTexture, scarShare, spotShare, patchShare);
    }

    /**
     * @param scar  share of thin scars among the anomalous pairs
     * @param spot  share of small spots among the anomalous pairs
     * @param patch share of pasted patches among the anomalous pairs
     * @return these settings with other defect kinds
     */
    public SynthesisSettings withShapeShares(double scar, double spot, double patch) {
        return new SynthesisSettings(cleanFraction, maxBlend, minPerlinScaleExp, maxPerlinScaleExp,
                maxRotationDegrees, perlinThreshold, minChange, augmentTexture, scar, spot, patch);
    }
}
