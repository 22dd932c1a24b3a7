package dmdd.model.metrics;

/**
 * Counts of a binary decision at one threshold. Rule: predicted defective when score >= threshold.
 *
 * @param truePositives  defective and flagged
 * @param falsePositives normal but flagged
 * @param trueNegatives  normal and passed
 * @param falseNegatives defective but passed
 */
public record ConfusionMatrix(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    /**
     * @param scores    one score per item
     * @param labels    {@code true} = defective
     * @param threshold decision threshold
     * @return the counts
     */
    public static ConfusionMatrix at(double[] scores, boolean[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (labels[i]) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** @return all counted items */
    public long total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** @return TP / (TP + FP), NaN when nothing was flagged */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** @return TP / (TP + FN), NaN when there is no defective item */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return FP / (FP + TN), NaN when there is no normal item */
    public double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** @return (TP + TN) / total, NaN when empty */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** @return 2TP / (2TP + FP + FN), NaN when there is neither a positive nor a flag */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
