package dmdd.model.metrics;

import java.util.List;

/**
 * Area under the ROC curve, computed exactly as scikit-learn's {@code roc_auc_score}: the trapezoid
 * over the ROC points of the distinct score values (tied scores form one diagonal step, which counts a
 * tie between a positive and a negative as half a correct ordering).
 */
public final class Auroc {
    private Auroc() {
    }

    /**
     * @param scores one score per item, higher = more anomalous
     * @param labels {@code true} = positive (defective)
     * @return the AUROC, or undefined when one of the two classes is absent
     */
    public static MetricValue compute(float[] scores, boolean[] labels) {
        return compute(RankedScores.of(scores, labels));
    }

    /**
     * @param ranked ranked scores
     * @return the AUROC, or undefined when one of the two classes is absent
     */
    public static MetricValue compute(RankedScores ranked) {
        String missing = missingClass(ranked);
        if (missing != null) {
            return MetricValue.undefined(missing);
        }
        // Sum of trapezoids in integer counts, divided once at the end: exact up to one rounding.
        double area2 = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int k = 0; k < ranked.size(); k++) {
            long tp = ranked.truePositives(k);
            long fp = ranked.falsePositives(k);
            area2 += (double) (fp - prevFp) * (tp + prevTp);
            prevTp = tp;
            prevFp = fp;
        }
        return MetricValue.of(area2 / 2.0 / ((double) ranked.positives() * ranked.negatives()));
    }

    /**
     * The ROC curve: (false positive rate, true positive rate) for each distinct threshold, starting at
     * (0, 0) with threshold +Infinity, thinned once by distance along the curve to at most
     * {@code maxPoints} points (first and last kept) so that pixel-level curves stay chartable.
     *
     * @param ranked    ranked scores
     * @param maxPoints at least 2
     * @return the curve; empty when a class is absent
     */
    public static Curve curve(RankedScores ranked, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
        if (missingClass(ranked) != null) {
            return new Curve(List.of());
        }
        CurveBuilder points = new CurveBuilder();
        points.add(0, 0, Double.POSITIVE_INFINITY);
        for (int k = 0; k < ranked.size(); k++) {
            points.add((double) ranked.falsePositives(k) / ranked.negatives(),
                    (double) ranked.truePositives(k) / ranked.positives(), ranked.threshold(k));
        }
        return points.build(maxPoints);
    }

    static String missingClass(RankedScores ranked) {
        if (ranked.positives() == 0 && ranked.negatives() == 0) {
            return "no scores at all";
        }
        if (ranked.positives() == 0) {
            return "no defective sample in the ground truth (all " + ranked.negatives() + " are normal)";
        }
        if (ranked.negatives() == 0) {
            return "no normal sample in the ground truth (all " + ranked.positives() + " are defective)";
        }
        return null;
    }
}
