package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.pipeline.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image thresholds keep the scores' own precision, so a calibration image never lands above its own threshold. */
class ThresholdsFitTest {
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
}
