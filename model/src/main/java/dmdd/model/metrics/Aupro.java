package dmdd.model.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Area under the per-region-overlap (PRO) curve up to a false positive rate limit (0.3 by default),
 * normalised by that limit, computed over the whole test set as anomalib does:
 * <ul>
 *   <li>regions are the 8-connected components of every ground-truth mask of every image;</li>
 *   <li>at each threshold t (every distinct score, rule score >= t), PRO(t) is the mean over all regions of
 *       the fraction of the region's pixels at or above t, and FPR(t) is the fraction of ALL normal pixels
 *       of ALL images at or above t;</li>
 *   <li>the curve starts at (0, 0); it is cut at FPR = limit, with the last point interpolated linearly
 *       at the cut; the trapezoidal area is divided by the limit.</li>
 * </ul>
 * anomalib resamples each region's ROC onto a common grid before averaging; the curve here is the
 * exact one that resampling approximates (same points, no resampling error). Memory: one sorted
 * {@code long} per pixel; the curve itself is never materialised unless a chart asks for it.
 */
public final class Aupro {
    /** The usual false positive rate limit. */
    public static final double DEFAULT_FPR_LIMIT = 0.3;

    private Aupro() {
    }

    /** Receives the curve's points in threshold order; returns false to stop early. */
    @FunctionalInterface
    private interface PointSink {
        boolean accept(double fpr, double pro, double threshold);
    }

    /**
     * @param scores      flat anomaly scores of the whole test set, same pixel order as the ground truth
     * @param groundTruth regions of the whole test set
     * @param fprLimit    in (0, 1]
     * @return the normalised AUPRO, or undefined without any defect region or any normal pixel
     */
    public static MetricValue compute(float[] scores, PixelGroundTruth groundTruth, double fprLimit) {
        checkLimit(fprLimit);
        String why = undefinedReason(groundTruth);
        if (why != null) {
            return MetricValue.undefined(why);
        }
        double[] area = {0};
        double[] prev = {0, 0};
        sweep(scores, groundTruth, (fpr, pro, t) -> {
            if (fpr <= fprLimit) {
                area[0] += (fpr - prev[0]) * (pro + prev[1]) / 2;
                prev[0] = fpr;
                prev[1] = pro;
                return true;
            }
            double proAtCut = prev[1] + (fprLimit - prev[0]) / (fpr - prev[0]) * (pro - prev[1]);
            area[0] += (fprLimit - prev[0]) * (proAtCut + prev[1]) / 2;
            return false;
        });
        return MetricValue.of(area[0] / fprLimit);
    }

    /**
     * The PRO curve cut at the limit, with the interpolated point at the cut, thinned once by distance along
     * the curve for charts (its area stays within a fraction of a percent of {@link #compute}'s).
     *
     * @param scores      flat anomaly scores of the whole test set
     * @param groundTruth regions of the whole test set
     * @param fprLimit    in (0, 1]; 1 gives the whole curve
     * @param maxPoints   at most this many points (at least 2)
     * @return the points (x = FPR over all normal pixels, y = mean per-region overlap); empty when undefined
     */
    public static Curve curve(float[] scores, PixelGroundTruth groundTruth, double fprLimit, int maxPoints) {
        checkLimit(fprLimit);
        if (undefinedReason(groundTruth) != null) {
            return new Curve(List.of());
        }
        CurveBuilder points = new CurveBuilder();
        double[] prev = {0, 0};
        sweep(scores, groundTruth, (fpr, pro, t) -> {
            if (fpr <= fprLimit) {
                prev[0] = fpr;
                prev[1] = pro;
                points.add(fpr, pro, t);
                return true;
            }
            points.add(fprLimit, prev[1] + (fprLimit - prev[0]) / (fpr - prev[0]) * (pro - prev[1]), t);
            return false;
        });
        return points.build(maxPoints);
    }

    private static void sweep(float[] scores, PixelGroundTruth groundTruth, PointSink sink) {
        int n = groundTruth.pixelCount();
        if (scores.length != n) {
            throw new IllegalArgumentException(scores.length + " scores but " + n + " ground-truth pixels");
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = SortKeys.key(scores[i], groundTruth.regionId(i), i);
        }
        Arrays.sort(keys);
        double normals = n - groundTruth.defectPixelCount();
        int regions = groundTruth.regionCount();
        if (!sink.accept(0, 0, Double.POSITIVE_INFINITY)) {
            return;
        }
        long falsePositives = 0;
        double overlapSum = 0;
        for (int i = n - 1; i >= 0; i--) {
            int region = SortKeys.payload(keys[i]);
            if (region == 0) {
                falsePositives++;
            } else {
                overlapSum += 1.0 / groundTruth.regionSize(region);
            }
            int bits = SortKeys.scoreBits(keys[i]);
            if (i == 0 || SortKeys.scoreBits(keys[i - 1]) != bits) {
                if (!sink.accept(falsePositives / normals, Math.min(1.0, overlapSum / regions), SortKeys.score(bits))) {
                    return;
                }
            }
        }
    }

    private static void checkLimit(double fprLimit) {
        if (!(fprLimit > 0 && fprLimit <= 1)) {
            throw new IllegalArgumentException("the FPR limit must be in (0, 1], got " + fprLimit);
        }
    }

    private static String undefinedReason(PixelGroundTruth groundTruth) {
        if (groundTruth.regionCount() == 0) {
            return "no defect region in the ground truth masks";
        }
        if (groundTruth.defectPixelCount() == groundTruth.pixelCount()) {
            return "no normal pixel in the ground truth masks";
        }
        return null;
    }
}
