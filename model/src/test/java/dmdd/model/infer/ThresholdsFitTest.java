package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.pipeline.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Image thresholds keep the scores' own precision, so a calibration image never lands above its own threshold; the
 * NG-above threshold of a small validation set is its prediction bound, so the unsure band does not collapse.
 */
class ThresholdsFitTest {
    @Test
    void aPersonsThresholdCarriesTheOtherAlongAsTheSlidersDoNeverTheReverse() {
        Thresholds.Range r = new Thresholds.Range(0, 1);
        Thresholds calibrated = new Thresholds(0.5, 0.6, 0.4, r, r, r, null, "validation");
        // NG-above set under the calibrated OK-below: the OK-below comes down with it (it was raised to 0.5, so an
        // image at 0.45 that the person wanted flagged passed as OK)
        Thresholds ngOnly = calibrated.withUserThresholds(Double.NaN, 0.1, Double.NaN);
        assertThat(ngOnly.image()).isEqualTo(0.1);
        assertThat(ngOnly.imageNg()).isEqualTo(0.1);
        assertThat(Verdict.of(0.45, ngOnly)).isEqualTo(Verdict.NG);
        // OK-below set above the calibrated NG-above: the NG-above goes up with it
        Thresholds okOnly = calibrated.withUserThresholds(0.7, Double.NaN, Double.NaN);
        assertThat(okOnly.image()).isEqualTo(0.7);
        assertThat(okOnly.imageNg()).isEqualTo(0.7);
        assertThat(calibrated.withUserThresholds(0.3, 0.9, 0.2)).extracting(Thresholds::image, Thresholds::imageNg,
                Thresholds::pixel).containsExactly(0.3, 0.9, 0.2);
    }

    @Test
    void theHighestNormalScoreIsItsOwnThresholdToTheLastBit() {
        // 0.46760479927 is not a float: rounded to float it becomes 0.4676047861576080, below the score
        double highest = 0.46760479927;
        assertThat((double) (float) highest).isLessThan(highest);
        float[] map = new float[4];
        List<AnomalyMaps> normal = List.of(new AnomalyMaps(2, 2, map, map, map, 0.31),
                new AnomalyMaps(2, 2, map, map, map, highest));
        DmddSettings everyNormalOk = DmddSettings.defaults().with(java.util.Map.of("imageThresholdQuantile", 1.0,
                "imageNgThresholdQuantile", 1.0));
        Thresholds t = Thresholds.fit(normal, everyNormalOk, "validation");
        assertThat(t.image()).isEqualTo(highest);
        assertThat(t.scores().max()).isEqualTo(highest);
        assertThat(Verdict.of(highest, t)).isEqualTo(Verdict.OK);
    }

    @Test
    void aSmallValidationSetGetsItsPredictionBoundAsTheNgAboveThreshold() {
        double[] scores = {0.10, 0.12, 0.11, 0.13, 0.09, 0.14, 0.12, 0.10};
        // by hand: mean 0.11375; squared deviations sum to 0.0019875, s = sqrt(0.0019875 / 7) = 0.0168502;
        // Student's t with 7 degrees of freedom at 0.999 is 4.7853 (tables); sqrt(1 + 1/8) = 1.0606602
        double bound = 0.11375 + 4.7853 * 0.0168502 * 1.0606602;
        Thresholds t = Thresholds.fit(normals(scores), DmddSettings.defaults(), "validation");
        assertThat(t.imageNg()).isCloseTo(bound, org.assertj.core.api.Assertions.within(1e-4));
        // OK-below stays the empirical 0.99 quantile: between the top two scores, 0.13 + 0.93 * 0.01
        assertThat(t.image()).isCloseTo(0.1393, org.assertj.core.api.Assertions.within(1e-9));
        // the empirical 0.999 quantile alone (0.13993) would leave almost no band; an image between is for a person
        assertThat(Verdict.of(0.16, t)).isEqualTo(Verdict.UNSURE);
        assertThat(Verdict.of(bound + 1e-3, t)).isEqualTo(Verdict.NG);
    }

    @Test
    void aLargeValidationSetKeepsItsEmpiricalQuantileWhereTheTailIsHeavierThanNormal() {
        Random rng = new Random(7);
        double[] scores = new double[4000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.exp(rng.nextGaussian() * 0.5); // log-normal: a longer upper tail than a normal fit
        }
        Thresholds t = Thresholds.fit(normals(scores), DmddSettings.defaults(), "validation");
        double empirical = dmdd.model.metrics.ThresholdFitting.normalQuantile(scores, 0.999);
        assertThat(t.imageNg()).isEqualTo(empirical);
        assertThat(dmdd.model.metrics.ThresholdFitting.normalPredictionBound(scores, 0.999).orElseThrow())
                .isLessThan(empirical);
    }

    @Test
    void oneValidationImageHasNoSpreadToBoundSoItsScoreIsBothThresholds() {
        Thresholds t = Thresholds.fit(normals(new double[] {0.2}), DmddSettings.defaults(), "validation");
        assertThat(t.image()).isEqualTo(0.2);
        assertThat(t.imageNg()).isEqualTo(0.2);
    }

    private static List<AnomalyMaps> normals(double[] scores) {
        float[] map = new float[4];
        List<AnomalyMaps> out = new ArrayList<>();
        for (double s : scores) {
            out.add(new AnomalyMaps(2, 2, map, map, map, s));
        }
        return out;
    }
}
