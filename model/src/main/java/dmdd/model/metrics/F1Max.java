package dmdd.model.metrics;

/**
 * The best F1 score over all thresholds (anomalib's {@code F1Max}) and the threshold that reaches it.
 * Rule: predicted defective when score >= threshold.
 *
 * @param f1        the maximal F1, or undefined when there is no positive
 * @param threshold the highest distinct score at which the maximum is reached; NaN when undefined
 */
public record F1Max(MetricValue f1, double threshold) {

    /**
     * @param scores one score per item, higher = more anomalous
     * @param labels {@code true} = positive (defective)
     * @return F1-max and its threshold
     */
    public static F1Max compute(float[] scores, boolean[] labels) {
        return compute(RankedScores.of(scores, labels));
    }

    /**
     * @param ranked ranked scores
     * @return F1-max and its threshold
     */
    public static F1Max compute(RankedScores ranked) {
        if (ranked.positives() == 0) {
            return new F1Max(MetricValue.undefined("no defective sample in the ground truth; F1 is undefined"),
                    Double.NaN);
        }
        double best = -1;
        int bestK = 0;
        for (int k = 0; k < ranked.size(); k++) {
            // F1 = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P)
            long tp = ranked.truePositives(k);
            double f1 = 2.0 * tp / (tp + ranked.falsePositives(k) + ranked.positives());
            if (f1 > best) {
                best = f1;
                bestK = k;
            }
        }
        return new F1Max(MetricValue.of(best), ranked.threshold(bestK));
    }
}
