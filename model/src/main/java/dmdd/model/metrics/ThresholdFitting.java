package dmdd.model.metrics;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Fits decision thresholds on a VALIDATION split (never on the test split, whose numbers would then be
 * optimistic). Both fitted thresholds are meant for the rule "defective when score > threshold"; a
 * threshold halfway between two validation scores gives the same decisions with {@code >=}.
 */
public final class ThresholdFitting {
    private ThresholdFitting() {
    }

    /**
     * The q-quantile of normal validation scores (linear interpolation between order statistics, as
     * NumPy's default): with q = 0.99, about 1 % of normal images are flagged. Scores stay in double
     * precision: image scores are compared with their threshold as doubles, so a threshold fitted on
     * float-rounded scores could put a held-out image just above it and call it NG.
     *
     * @param normalScores scores of normal validation images (at least one)
     * @param quantile     in [0, 1]
     * @return the threshold
     */
    public static double normalQuantile(double[] normalScores, double quantile) {
        double[] sorted = normalScores.clone();
        Arrays.sort(sorted);
        return quantileOfSorted(sorted, quantile);
    }

    /**
     * The upper q prediction bound for the score of one more normal image, from the normal validation scores'
     * mean and spread: {@code mean + t(q, n - 1) * s * sqrt(1 + 1 / n)} (Student's t with n - 1 degrees of freedom, s
     * the sample standard deviation), which a new image from the same normal distribution stays under with
     * probability q. It is there for the small validation sets people have: the empirical q-quantile of n scores
     * never lies above the highest of them, so with fewer than 1 / (1 - q) images every high quantile is about that
     * one score (0.99 and 0.999 of 16 images both lie in the top 15 % of the gap between the two highest), whereas
     * this bound grows with the spread seen and with the uncertainty of so few images.
     *
     * @param normalScores scores of normal validation images
     * @param quantile     in (0, 1)
     * @return the bound, or empty with fewer than two scores, without spread, or for a quantile of 0 or 1
     */
    public static OptionalDouble normalPredictionBound(double[] normalScores, double quantile) {
        int n = normalScores.length;
        if (n < 2 || !(quantile > 0 && quantile < 1)) {
            return OptionalDouble.empty();
        }
        double mean = Arrays.stream(normalScores).sum() / n;
        double squares = 0;
        for (double s : normalScores) {
            squares += (s - mean) * (s - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        if (!(sd > 0)) {
            return OptionalDouble.empty();
        }
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(quantile);
        return OptionalDouble.of(mean + t * sd * Math.sqrt(1 + 1.0 / n));
    }

    /**
     * {@link #normalQuantile(double[], double)} of values already sorted in ascending order, so that several
     * quantiles of one large sample (a threshold and a display range of two million pixels) sort it once.
     *
     * @param sorted   values in ascending order (at least one)
     * @param quantile in [0, 1]
     * @return the interpolated quantile
     */
    public static double quantileOfSorted(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no normal validation score to fit a threshold on");
        }
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("the quantile must be in [0, 1], got " + quantile);
        }
        double pos = quantile * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The threshold that maximises F1 on validation images that include defective ones (for example
     * normal images plus synthetic-anomaly images). Placed halfway between the best distinct score and
     * the next lower one, so that both {@code >} and {@code >=} rules reproduce the optimal decisions and
     * the threshold sits in the gap rather than on a validation sample.
     *
     * @param scores validation scores
     * @param labels {@code true} = defective
     * @return the threshold and the F1 it reaches on the validation set
     * @throws IllegalArgumentException when the validation set has no defective image
     */
    public static F1Max f1Optimal(float[] scores, boolean[] labels) {
        RankedScores ranked = RankedScores.of(scores, labels);
        F1Max best = F1Max.compute(ranked);
        if (!best.f1().isDefined()) {
            throw new IllegalArgumentException("cannot fit an F1 threshold: " + best.f1().reason());
        }
        int k = 0;
        while (ranked.threshold(k) != (float) best.threshold()) {
            k++;
        }
        double threshold = k + 1 < ranked.size()
                ? (ranked.threshold(k) + (double) ranked.threshold(k + 1)) / 2
                : Math.nextDown(ranked.threshold(k));
        return new F1Max(best.f1(), threshold);
    }
}
