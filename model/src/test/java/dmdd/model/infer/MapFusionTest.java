package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.infer.Thresholds.Range;
import org.junit.jupiter.api.Test;

/** The fused map's rules, against values worked out by hand. */
class MapFusionTest {
    private static final Thresholds CALIBRATED = new Thresholds(0.5, 0.6, 0.4, new Range(0, 2), new Range(0, 4),
            new Range(0, 1), new Thresholds.ScoreStatistics(10, 0.1, 0.01, 0.05, 0.1, 0.2), "validation");

    @Test
    void theDefaultLetsTheBranchMapsBreakTheSegmentationOutputsTies() {
        DmddSettings s = DmddSettings.defaults();
        assertThat(s.fusion()).isEqualTo("mean_with_branches");
        assertThat(s.fusionSegmenterWeight()).isEqualTo(0.97);
        // two pixels the segmentation network calls equally normal; the branch maps tell them apart
        float[] seg = {0.01f, 0.01f};
        float[] fused = MapFusion.fuse(s, seg, new float[] {0.2f, 1.6f}, new float[] {0.4f, 3.2f}, CALIBRATED);
        // 0.97 * 0.01 + 0.03 * 0.5 * (0.2/2 + 0.4/4) = 0.0127; 0.97 * 0.01 + 0.03 * 0.5 * (0.8 + 0.8) = 0.0337
        assertThat(fused[0]).isCloseTo(0.0127f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(fused[1]).isCloseTo(0.0337f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void thePublishedRuleIsTheSegmentationOutputItself() {
        DmddSettings s = DmddSettings.defaults().with("fusion", "segmenter");
        float[] seg = {0.1f, 0.9f};
        assertThat(s.fusion()).isEqualTo("segmenter");
        assertThat(MapFusion.usesBranchRanges(s)).isFalse();
        assertThat(MapFusion.fuse(s, seg, new float[] {5f, 5f}, new float[] {5f, 5f}, CALIBRATED)).isSameAs(seg);
    }

    @Test
    void theMeanRuleAddsTheBranchMapsScaledByTheirRangesAndClipped() {
        DmddSettings s = DmddSettings.defaults().with(java.util.Map.of("fusion", "mean_with_branches",
                "fusionSegmenterWeight", 0.5));
        assertThat(MapFusion.usesBranchRanges(s)).isTrue();
        float[] seg = {0f, 0.8f, 0.2f};
        float[] normality = {1f, 0f, 10f};   // range top 2
        float[] abnormality = {2f, 0f, 10f}; // range top 4
        // branches: 0.5 * (1/2 + 2/4) = 0.5; 0; min(1, 0.5 * (5 + 2.5)) = 1
        assertThat(MapFusion.fuse(s, seg, normality, abnormality, CALIBRATED)).containsExactly(0.25f, 0.4f, 0.6f);
        // while calibrating there are no ranges yet: the segmentation output alone
        assertThat(MapFusion.fuse(s, seg, normality, abnormality, null)).isSameAs(seg);
        // the baseline has no segmentation network and no fused rule
        assertThat(MapFusion.usesBranchRanges(s.with("method", "baseline"))).isFalse();
    }
}
