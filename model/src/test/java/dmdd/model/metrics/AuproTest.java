package dmdd.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.image.Mask;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuproTest {

    @Test
    void diagonalNeighboursFormOneRegion() {
        // 3x2:  X . .      (0,0) and (1,1) touch diagonally: one 8-connected region of 2 pixels
        //       . X .      (4-connectivity would see two).
        ConnectedRegions one = ConnectedRegions.of(Mask.of(3, 2, new boolean[] {true, false, false, false, true, false}));
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.size(1)).isEqualTo(2);
        // 4x1: X . X X  -> two regions, sizes 1 and 2.
        ConnectedRegions two = ConnectedRegions.of(Mask.of(4, 1, new boolean[] {true, false, true, true}));
        assertThat(two.count()).isEqualTo(2);
        assertThat(two.label(0)).isEqualTo(1);
        assertThat(two.label(1)).isZero();
        assertThat(two.size(two.label(3))).isEqualTo(2);
    }

    /**
     * Two images. Image 1 (3x2), region R1 = {(0,0)=0.9, (1,1)=0.5} (diagonal, one region), normals
     * 0.1 0.2 0.3 0.6. Image 2 (3x3), region R2 = {(2,2)=0.7}, normals 0.1 x3, 0.2 x3, 0.3 x2. N = 12 normals.
     * Sweep (FPR over all 12 normals, PRO = mean over the 2 regions):
     * 0.9: R1 half -> (0, 0.25); 0.7: R2 -> (0, 0.75); 0.6: 1 FP -> (1/12, 0.75); 0.5: R1 full -> (1/12, 1);
     * 0.3: 3 FP -> (4/12, 1); 0.2: (8/12, 1); 0.1: (1, 1).
     * Area to FPR 1: (1/12)*0.75 + (11/12)*1 = 0.0625 + 0.916667 = 0.979167.
     * Area to FPR 0.3: 0.0625 + (0.3 - 1/12)*1 = 0.279167; normalised: 0.279167 / 0.3 = 0.930556.
     */
    @Test
    void auproMatchesTheHandComputedCurve() {
        PixelGroundTruth gt = new PixelGroundTruth();
        gt.add(Mask.of(3, 2, new boolean[] {true, false, false, false, true, false}));
        gt.add(Mask.of(3, 3, new boolean[] {false, false, false, false, false, false, false, false, true}));
        float[] scores = {
            0.9f, 0.1f, 0.2f, 0.3f, 0.5f, 0.6f,
            0.1f, 0.1f, 0.1f, 0.2f, 0.2f, 0.2f, 0.3f, 0.3f, 0.7f};
        assertThat(gt.regionCount()).isEqualTo(2);
        assertThat(Aupro.compute(scores, gt, 1.0).value()).isCloseTo(0.0625 + 11.0 / 12, within(1e-9));
        assertThat(Aupro.compute(scores, gt, 0.3).value()).isCloseTo((0.0625 + 0.3 - 1.0 / 12) / 0.3, within(1e-9));
        List<CurvePoint> curve = Aupro.curve(scores, gt, 0.3, 1000).points();
        assertThat(curve).extracting(CurvePoint::x)
                .containsExactly(0.0, 0.0, 0.0, 1.0 / 12, 1.0 / 12, 0.3);
        assertThat(curve).extracting(CurvePoint::y).containsExactly(0.0, 0.25, 0.75, 0.75, 1.0, 1.0);
    }

    /**
     * 5x1 image: R1 = {x0 = 0.95}, R2 = {x4 = 0.9}, normals x1 = 0.9 (tied with R2), x2 = 0.2, x3 = 0.1.
     * Curve: (0,0); 0.95 -> (0, 0.5); 0.9 -> (1/3, 1) (a diagonal step because of the tie).
     * Cut at 0.3: PRO = 0.5 + (0.3 / (1/3)) * 0.5 = 0.95; area = 0.3 * (0.5 + 0.95) / 2 = 0.2175; / 0.3 = 0.725.
     */
    @Test
    void theCutAtTheLimitIsInterpolated() {
        PixelGroundTruth gt = new PixelGroundTruth();
        gt.add(Mask.of(5, 1, new boolean[] {true, false, false, false, true}));
        float[] scores = {0.95f, 0.9f, 0.2f, 0.1f, 0.9f};
        assertThat(Aupro.compute(scores, gt, 0.3).value()).isCloseTo(0.725, within(1e-9));
        List<CurvePoint> curve = Aupro.curve(scores, gt, 0.3, 100).points();
        assertThat(curve.get(curve.size() - 1).x()).isEqualTo(0.3);
        assertThat(curve.get(curve.size() - 1).y()).isCloseTo(0.95, within(1e-9));
    }

    @Test
    void aSmallRegionWeighsAsMuchAsALargeOne() {
        // Region A (4 pixels) found, region B (1 pixel) missed entirely until the lowest scores:
        // PRO stays at 0.5 (mean of 1 and 0), while pixel recall would say 4/5.
        PixelGroundTruth gt = new PixelGroundTruth();
        gt.add(Mask.of(8, 1, new boolean[] {true, true, true, true, false, false, false, true}));
        float[] scores = {0.9f, 0.9f, 0.9f, 0.9f, 0.5f, 0.4f, 0.3f, 0.0f};
        // Curve: (0,0) -> (0, 0.5) -> (1/3, 0.5) ... cut at 0.3 with PRO 0.5 -> AUPRO 0.5.
        assertThat(Aupro.compute(scores, gt, 0.3).value()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void withoutDefectsOrWithoutNormalsAuproIsUndefined() {
        PixelGroundTruth allNormal = new PixelGroundTruth();
        allNormal.add(Mask.empty(2, 2));
        MetricValue v = Aupro.compute(new float[4], allNormal, 0.3);
        assertThat(v.isDefined()).isFalse();
        assertThat(v.reason()).contains("no defect region");
        assertThat(Aupro.curve(new float[4], allNormal, 0.3, 10).points()).isEmpty();
        PixelGroundTruth allDefect = new PixelGroundTruth();
        allDefect.add(Mask.of(1, 2, new boolean[] {true, true}));
        assertThat(Aupro.compute(new float[2], allDefect, 0.3).reason()).contains("no normal pixel");
    }

    @Test
    void scoresMustMatchTheGroundTruthSize() {
        PixelGroundTruth gt = new PixelGroundTruth();
        gt.add(Mask.of(2, 1, new boolean[] {true, false}));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Aupro.compute(new float[3], gt, 0.3))
                .hasMessageContaining("3 scores but 2");
    }

    @Test
    void manyPixelsStayFast() {
        // 40 images of 256x256 = 2.6 M pixels, one square defect each: the sort-based sweep handles it.
        PixelGroundTruth gt = new PixelGroundTruth();
        int w = 256;
        float[] scores = new float[40 * w * w];
        java.util.Random rng = new java.util.Random(1);
        for (int im = 0; im < 40; im++) {
            boolean[] m = new boolean[w * w];
            for (int y = 100; y < 120; y++) {
                for (int x = 30 + im; x < 60 + im; x++) {
                    m[y * w + x] = true;
                }
            }
            gt.add(Mask.of(w, w, m));
            for (int i = 0; i < w * w; i++) {
                scores[im * w * w + i] = (float) (rng.nextGaussian() + (m[i] ? 3 : 0));
            }
        }
        double aupro = Aupro.compute(scores, gt, 0.3).value();
        double auroc = Auroc.compute(scores, gt.labels()).value();
        // Separation of 3 standard deviations: AUROC = Phi(3 / sqrt 2) = 0.983.
        assertThat(auroc).isCloseTo(0.983, within(0.003));
        assertThat(aupro).isBetween(0.8, 1.0);
    }
}
