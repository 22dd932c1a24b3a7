package dmdd.model.infer;

/**
 * What the inspector says about one image: three anomaly maps at the image's original
 * resolution (row-major, {@code width x height}) and the image score.
 * <ul>
 *   <li>{@code normality}: {@code sum_l up(1 - cos(F_norm_l(x), T_l(x)))}, Gaussian-smoothed;</li>
 *   <li>{@code abnormality}: {@code sum_l up(1 - cos(F_abn_l(x), T_l(x)))}, Gaussian-smoothed;</li>
 *   <li>{@code fused}: the segmentation network's anomaly probability in [0, 1].</li>
 * </ul>
 * The per-level methods (baseline, AAND, DCAM; {@code Method#hasBranchMaps()} false) have one student and no
 * segmenter: their two first maps are the fine level {@code up(1 - cos(S_1(x), T_1(x)))} (stride 4) and the coarse
 * levels {@code sum_{l=2,3} up(1 - cos(S_l(x), T_l(x)))} (strides 8 and 16), smoothed, and the fused map is their
 * sum (AAND compares with its amplified teacher features {@code F_l} in place of {@code T_l}).
 *
 * @param width       original image width
 * @param height      original image height
 * @param normality   normality-branch map (per-level methods: the fine-level map)
 * @param abnormality abnormality-branch map (per-level methods: the coarse-levels map)
 * @param fused       fused map (what the score, thresholds and metrics use)
 * @param score       image score: mean of the top-k fused pixels (or their max), computed at the
 *                    network input resolution so it does not depend on the file's size
 */
public record AnomalyMaps(int width, int height, float[] normality, float[] abnormality, float[] fused, double score) {

    /** Checks the map sizes. */
    public AnomalyMaps {
        int n = width * height;
        if (normality.length != n || abnormality.length != n || fused.length != n) {
            throw new IllegalArgumentException("maps must hold width x height = " + n + " values");
        }
    }

    /**
     * @param which {@code normality}, {@code abnormality} or {@code fused}
     * @return that map
     */
    public float[] map(String which) {
        return switch (which) {
            case "normality" -> normality;
            case "abnormality" -> abnormality;
            case "fused" -> fused;
            default -> throw new IllegalArgumentException("no map named '" + which + "' (normality, abnormality, fused)");
        };
    }
}
