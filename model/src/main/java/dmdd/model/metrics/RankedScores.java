package dmdd.model.metrics;

import java.util.Arrays;

/**
 * Scores of a binary problem ranked from the highest to the lowest distinct value, with the cumulative
 * counts of positives and negatives at or above each distinct value. Every threshold metric (ROC, AUROC,
 * average precision, F1-max) is read off this one table, so ties are treated the same way everywhere:
 * the rule is "predicted positive when score >= threshold", as in scikit-learn, and tied scores form one
 * step of every curve.
 */
public final class RankedScores {
    private final float[] thresholds;
    private final int[] truePositives;
    private final int[] falsePositives;
    private final long positives;
    private final long negatives;

    private RankedScores(float[] thresholds, int[] truePositives, int[] falsePositives, long positives,
                         long negatives) {
        this.thresholds = thresholds;
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * Ranks scores.
     *
     * @param scores one score per item, higher = more anomalous; not NaN
     * @param labels {@code true} for a positive (defective) item; same length as scores
     * @return the ranked table
     */
    public static RankedScores of(float[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            keys[i] = SortKeys.key(scores[i], labels[i] ? 1 : 0, i);
        }
        Arrays.sort(keys);
        return fromSortedKeys(keys);
    }

    /**
     * Builds the table from keys sorted ascending whose payload is non-zero for positives.
     *
     * @param keys sorted keys (consumed)
     * @return the ranked table
     */
    static RankedScores fromSortedKeys(long[] keys) {
        int distinct = 0;
        for (int i = 0; i < keys.length; i++) {
            if (i == 0 || SortKeys.scoreBits(keys[i]) != SortKeys.scoreBits(keys[i - 1])) {
                distinct++;
            }
        }
        float[] thresholds = new float[distinct];
        int[] tp = new int[distinct];
        int[] fp = new int[distinct];
        int tpRun = 0;
        int fpRun = 0;
        int k = -1;
        for (int i = keys.length - 1; i >= 0; i--) {
            int bits = SortKeys.scoreBits(keys[i]);
            if (i == keys.length - 1 || bits != SortKeys.scoreBits(keys[i + 1])) {
                k++;
                thresholds[k] = SortKeys.score(bits);
            }
            if (SortKeys.payload(keys[i]) != 0) {
                tpRun++;
            } else {
                fpRun++;
            }
            tp[k] = tpRun;
            fp[k] = fpRun;
        }
        return new RankedScores(thresholds, tp, fp, tpRun, fpRun);
    }

    /** @return number of distinct scores */
    public int size() {
        return thresholds.length;
    }

    /**
     * @param k rank of a distinct score, 0 = highest
     * @return the distinct score
     */
    public float threshold(int k) {
        return thresholds[k];
    }

    /**
     * @param k rank of a distinct score, 0 = highest
     * @return positives with a score at or above {@link #threshold(int)}
     */
    public long truePositives(int k) {
        return truePositives[k];
    }

    /**
     * @param k rank of a distinct score, 0 = highest
     * @return negatives with a score at or above {@link #threshold(int)}
     */
    public long falsePositives(int k) {
        return falsePositives[k];
    }

    /** @return number of positive items */
    public long positives() {
        return positives;
    }

    /** @return number of negative items */
    public long negatives() {
        return negatives;
    }
}
