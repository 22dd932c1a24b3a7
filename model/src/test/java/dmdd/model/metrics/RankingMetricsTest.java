package dmdd.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final float[] SCORES = {0.1f, 0.4f, 0.35f, 0.8f};
    private static final boolean[] LABELS = {false, false, true, true};
    // Ties: two negatives and one positive share 0.5.
    private static final float[] TIED = {0.5f, 0.5f, 0.5f, 0.9f};
    private static final boolean[] TIED_LABELS = {false, true, false, true};

    @Test
    void aurocCountsCorrectlyOrderedPairs() {
        // Positives {0.35, 0.8}, negatives {0.1, 0.4}: pairs (pos > neg): 0.35>0.1 yes, 0.35>0.4 no,
        // 0.8>0.1 yes, 0.8>0.4 yes -> 3/4 (scikit-learn's roc_auc_score example gives 0.75 too).
        assertThat(Auroc.compute(SCORES, LABELS).value()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aurocCountsATieAsHalf() {
        // Positives {0.5, 0.9}, negatives {0.5, 0.5}: 0.9 beats both (2 wins), 0.5 ties both (2 halves)
        // -> (2 + 1) / 4 = 0.75. Trapezoid: (0,0) -> (0,0.5) at 0.9 -> (1,1) at 0.5: 0.5*... = 0.75.
        assertThat(Auroc.compute(TIED, TIED_LABELS).value()).isCloseTo(0.75, within(1e-12));
        // All scores equal: every pair is a tie -> 0.5, not 0 or 1 depending on input order.
        assertThat(Auroc.compute(new float[] {0.3f, 0.3f, 0.3f}, new boolean[] {true, false, false}).value())
                .isCloseTo(0.5, within(1e-12));
        assertThat(Auroc.compute(new float[] {0.3f, 0.3f, 0.3f}, new boolean[] {false, false, true}).value())
                .isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aurocOfOneClassIsUndefinedWithAReason() {
        MetricValue allNormal = Auroc.compute(new float[] {0.1f, 0.9f}, new boolean[] {false, false});
        assertThat(allNormal.isDefined()).isFalse();
        assertThat(allNormal.value()).isNaN();
        assertThat(allNormal.orNull()).isNull();
        assertThat(allNormal.reason()).contains("no defective");
        assertThat(Auroc.compute(new float[] {0.1f}, new boolean[] {true}).reason()).contains("no normal");
        assertThat(Auroc.compute(new float[0], new boolean[0]).isDefined()).isFalse();
    }

    @Test
    void aurocEqualsTheMannWhitneyStatisticOnManyTiedScores() {
        // An independent computation: the probability that a random positive outranks a random
        // negative, ties counting half, by brute force over all pairs.
        Random rng = new Random(7);
        int n = 1500;
        float[] s = new float[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextDouble() < 0.3;
            s[i] = Math.round((rng.nextGaussian() + (y[i] ? 0.8 : 0)) * 4) / 4f; // coarse -> many ties
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(Auroc.compute(s, y).value()).isCloseTo(wins / pairs, within(1e-9));
    }

    @Test
    void rocCurveHasOnePointPerDistinctScore() {
        // Thresholds 0.8 (tp1 fp0), 0.4 (tp1 fp1), 0.35 (tp2 fp1), 0.1 (tp2 fp2); P = N = 2.
        List<CurvePoint> points = Auroc.curve(RankedScores.of(SCORES, LABELS), 100).points();
        assertThat(points).extracting(CurvePoint::x).containsExactly(0.0, 0.0, 0.5, 0.5, 1.0);
        assertThat(points).extracting(CurvePoint::y).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0);
        assertThat(points.get(3).threshold()).isEqualTo(0.35f);
        assertThat(new Curve(points).area()).isCloseTo(0.75, within(1e-12));
        List<CurvePoint> thin = Auroc.curve(RankedScores.of(SCORES, LABELS), 3).points();
        assertThat(thin).hasSize(3);
        assertThat(thin.get(0).x()).isZero();
        assertThat(thin.get(2).x()).isEqualTo(1.0);
    }

    @Test
    void averagePrecisionFollowsScikitLearn() {
        // Descending: 0.8 pos (P=1, R=0.5), 0.4 neg (P=1/2, R=0.5), 0.35 pos (P=2/3, R=1), 0.1 neg.
        // AP = 0.5*1 + 0*0.5 + 0.5*2/3 = 0.8333 (scikit-learn's documented example).
        assertThat(AveragePrecision.compute(SCORES, LABELS).value()).isCloseTo(5.0 / 6, within(1e-12));
        // Ties: 0.9 pos (P=1, R=0.5); 0.5 group {neg, pos, neg} (tp2 fp2: P=1/2, R=1) -> 0.5*1 + 0.5*0.5.
        assertThat(AveragePrecision.compute(TIED, TIED_LABELS).value()).isCloseTo(0.75, within(1e-12));
        assertThat(AveragePrecision.compute(new float[] {0.2f}, new boolean[] {false}).isDefined()).isFalse();
    }

    @Test
    void f1MaxReturnsTheBestThreshold() {
        // F1 = 2TP/(TP+FP+P), P = 2: 0.8 -> 2/3, 0.4 -> 2/4, 0.35 -> 4/5, 0.1 -> 4/6. Best 0.8 at 0.35.
        F1Max best = F1Max.compute(SCORES, LABELS);
        assertThat(best.f1().value()).isCloseTo(0.8, within(1e-12));
        assertThat(best.threshold()).isEqualTo(0.35f);
        // Ties: 0.9 -> 2/3; 0.5 group -> 4/6 = 2/3 too; the higher threshold is kept.
        F1Max tied = F1Max.compute(TIED, TIED_LABELS);
        assertThat(tied.f1().value()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(tied.threshold()).isEqualTo(0.9f);
        F1Max none = F1Max.compute(new float[] {0.2f, 0.3f}, new boolean[] {false, false});
        assertThat(none.f1().isDefined()).isFalse();
        assertThat(none.threshold()).isNaN();
    }

    @Test
    void confusionMatrixFlagsScoresAtOrAboveTheThreshold() {
        // >= 0.4: 0.4 (normal) and 0.8 (defect) flagged; 0.35 (defect) missed; 0.1 passed.
        ConfusionMatrix m = ConfusionMatrix.at(asDoubles(SCORES), LABELS, 0.4);
        assertThat(m).isEqualTo(new ConfusionMatrix(1, 1, 1, 1));
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(ConfusionMatrix.at(asDoubles(SCORES), LABELS, F1Max.compute(SCORES, LABELS).threshold()).f1()).isCloseTo(0.8, within(1e-12));
        assertThat(ConfusionMatrix.at(new double[] {0.1}, new boolean[] {false}, 0.5).recall()).isNaN();
    }

    @Test
    void thresholdsAreFittedOnValidationScores() {
        // Sorted {1,2,3,4,5}: median = 3; 0.9-quantile at position 3.6 -> 4 + 0.6*(5-4) = 4.6 (NumPy's default).
        double[] normal = {5, 1, 4, 2, 3};
        assertThat(ThresholdFitting.normalQuantile(normal, 0.5)).isCloseTo(3.0, within(1e-6));
        assertThat(ThresholdFitting.normalQuantile(normal, 0.9)).isCloseTo(4.6, within(1e-6));
        assertThat(ThresholdFitting.normalQuantile(normal, 1.0)).isCloseTo(5.0, within(1e-6));
        // F1-optimal at the distinct score 0.35; the next lower distinct score is 0.1 -> midpoint 0.225.
        F1Max fitted = ThresholdFitting.f1Optimal(SCORES, LABELS);
        assertThat(fitted.threshold()).isCloseTo(0.225, within(1e-6));
        assertThat(fitted.f1().value()).isCloseTo(0.8, within(1e-12));
        assertThat(ConfusionMatrix.at(asDoubles(SCORES), LABELS, fitted.threshold()).f1()).isCloseTo(0.8, within(1e-12));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ThresholdFitting.f1Optimal(new float[] {1}, new boolean[] {false}))
                .hasMessageContaining("no defective");
    }

    @Test
    void nanScoresAreRejectedWithAMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Auroc.compute(new float[] {0.1f, Float.NaN}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void negativeAndPositiveZeroAreOneThreshold() {
        // -0.0 and 0.0 are equal scores: a tie (AUROC 0.5), not an ordering.
        assertThat(Auroc.compute(new float[] {-0f, 0f}, new boolean[] {true, false}).value()).isEqualTo(0.5);
        assertThat(Auroc.compute(new float[] {-2f, -1f, 3f}, new boolean[] {false, false, true}).value())
                .isEqualTo(1.0);
    }

    /** The scores as the inspection gives them (doubles), with the float values above. */
    private static double[] asDoubles(float[] scores) {
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i];
        }
        return d;
    }
}
