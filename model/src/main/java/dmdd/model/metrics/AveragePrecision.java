package dmdd.model.metrics;

/**
 * Average precision as scikit-learn's {@code average_precision_score} defines it:
 * {@code AP = sum_k (R_k - R_(k-1)) * P_k} over the distinct thresholds from the highest down, with
 * {@code R_0 = 0} and no interpolation of the precision.
 */
public final class AveragePrecision {
    private AveragePrecision() {
    }

    /**
     * @param scores one score per item, higher = more anomalous
     * @param labels {@code true} = positive (defective)
     * @return the AP, or undefined when there is no positive
     */
    public static MetricValue compute(float[] scores, boolean[] labels) {
        return compute(RankedScores.of(scores, labels));
    }

    /**
     * @param ranked ranked scores
     * @return the AP, or undefined when there is no positive
     */
    public static MetricValue compute(RankedScores ranked) {
        if (ranked.positives() == 0) {
            return MetricValue.undefined("no defective sample in the ground truth; precision is undefined");
        }
        double ap = 0;
        long prevTp = 0;
        for (int k = 0; k < ranked.size(); k++) {
            long tp = ranked.truePositives(k);
            if (tp != prevTp) {
                double precision = (double) tp / (tp + ranked.falsePositives(k));
                ap += (double) (tp - prevTp) / ranked.positives() * precision;
                prevTp = tp;
            }
        }
        return MetricValue.of(ap);
    }
}
