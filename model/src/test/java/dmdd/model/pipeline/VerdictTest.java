package dmdd.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Thresholds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one verdict rule with two image thresholds: OK at or below the first, NG above the second, UNSURE between. */
class VerdictTest {

    @Test
    void theBandBetweenTheTwoThresholdsIsUnsure() {
        assertThat(Verdict.of(0.49, 0.5, 0.7)).isEqualTo(Verdict.OK);
        assertThat(Verdict.of(0.5, 0.5, 0.7)).as("at the OK-below threshold: still OK").isEqualTo(Verdict.OK);
        assertThat(Verdict.of(Math.nextUp(0.5), 0.5, 0.7)).isEqualTo(Verdict.UNSURE);
        assertThat(Verdict.of(0.7, 0.5, 0.7)).as("at the NG-above threshold: not yet NG").isEqualTo(Verdict.UNSURE);
        assertThat(Verdict.of(Math.nextUp(0.7), 0.5, 0.7)).isEqualTo(Verdict.NG);
    }

    @Test
    void equalThresholdsLeaveNoUnsureBand() {
        assertThat(Verdict.of(0.5, 0.5, 0.5)).isEqualTo(Verdict.OK);
        assertThat(Verdict.of(Math.nextUp(0.5), 0.5, 0.5)).isEqualTo(Verdict.NG);
    }

    @Test
    void aBrokenScoreOrAnInvertedBandHasNoVerdict() {
        assertThatThrownBy(() -> Verdict.of(Double.NaN, 0.5, 0.7)).isInstanceOf(Verdict.NonFiniteScoreException.class);
        assertThatThrownBy(() -> Verdict.of(0.6, 0.7, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be below");
    }

    @Test
    void thresholdsAreFittedAtTheTwoNamedQuantilesOfTheNormalScores() {
        List<AnomalyMaps> normal = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            float[] map = new float[] {i / 100f, 0, 0, 0};
            normal.add(new AnomalyMaps(2, 2, map, map, map, i / 100.0));
        }
        DmddSettings settings = DmddSettings.defaults().with(java.util.Map.of("imageThresholdQuantile", 0.9,
                "imageNgThresholdQuantile", 0.97));
        Thresholds t = Thresholds.fit(normal, settings, "validation");
        assertThat(t.image()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(t.imageNg()).isCloseTo(0.97, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Verdict.of(0.95, t)).isEqualTo(Verdict.UNSURE);
        assertThatThrownBy(() -> settings.with("imageNgThresholdQuantile", 0.5))
                .hasMessageContaining("imageNgThresholdQuantile");
        assertThat(DmddSettings.defaults().imageThresholdQuantile()).isEqualTo(0.99);
        assertThat(DmddSettings.defaults().imageNgThresholdQuantile()).isEqualTo(0.999);
    }
}
