package dmdd.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.image.Mask;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The curves charted in Measure and report.html must be the curves whose areas are the metrics: thinned
 * to a few hundred points, their trapezoid area stays within 1 % of the exact metric, and the steep early
 * part of a good detector's sweep (FPR near 0, overlap already high) is still drawn.
 */
class ChartedCurveTest {
    private static final int SIDE = 64;
    private static final int IMAGES = 40;
    private static final int CHART_POINTS = 400;

    /** A test set like a good model's: defect pixels mostly score high, normal pixels form a long tail. */
    private static final class TestSet {
        final PixelGroundTruth groundTruth = new PixelGroundTruth();
        final float[] scores = new float[IMAGES * SIDE * SIDE];
        final boolean[] labels = new boolean[scores.length];

        TestSet(long seed) {
            Random rng = new Random(seed);
            for (int img = 0; img < IMAGES; img++) {
                boolean[] mask = new boolean[SIDE * SIDE];
                if (img % 2 == 1) {
                    // One square defect and one thin line.
                    int x0 = 5 + rng.nextInt(40);
                    int y0 = 5 + rng.nextInt(40);
                    int size = 3 + rng.nextInt(10);
                    for (int y = y0; y < y0 + size; y++) {
                        for (int x = x0; x < x0 + size; x++) {
                            mask[y * SIDE + x] = true;
                        }
                    }
                    int row = rng.nextInt(SIDE);
                    for (int x = 10; x < 50; x++) {
                        mask[row * SIDE + x] = true;
                    }
                }
                groundTruth.add(Mask.of(SIDE, SIDE, mask));
                for (int i = 0; i < mask.length; i++) {
                    int at = img * SIDE * SIDE + i;
                    labels[at] = mask[i];
                    scores[at] = mask[i] ? (float) (0.6 + 0.4 * rng.nextDouble() - (rng.nextInt(10) == 0 ? 0.5 : 0))
                            : (float) Math.pow(rng.nextDouble(), 12);
                }
            }
        }
    }

    @Test
    void theChartedProCurveHasTheAreaOfTheAupro() {
        TestSet set = new TestSet(7);
        double aupro = Aupro.compute(set.scores, set.groundTruth, 0.3).value();
        Curve chart = Aupro.curve(set.scores, set.groundTruth, 0.3, CHART_POINTS);
        assertThat(chart.points().size()).isLessThanOrEqualTo(CHART_POINTS);
        assertThat(chart.area() / 0.3).isCloseTo(aupro, within(0.01 * aupro));
        // The early sweep is charted as it is: at FPR 0.5 %, 1 % and 3 % the chart reads the exact curve's overlap.
        Curve exact = Aupro.curve(set.scores, set.groundTruth, 0.3, Integer.MAX_VALUE);
        assertThat(exact.points().size()).isGreaterThan(10 * CHART_POINTS);
        for (double fpr : new double[] {0.005, 0.01, 0.03}) {
            assertThat(at(chart, fpr)).as("PRO at FPR %s", fpr).isCloseTo(at(exact, fpr), within(0.02));
        }
        assertThat(chart.points().get(chart.points().size() - 1).x()).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void theChartedRocCurvesHaveTheAreaOfTheAuroc() {
        TestSet set = new TestSet(11);
        RankedScores ranked = RankedScores.of(set.scores, set.labels);
        double auroc = Auroc.compute(ranked).value();
        Curve chart = Auroc.curve(ranked, CHART_POINTS);
        assertThat(chart.points().size()).isLessThanOrEqualTo(CHART_POINTS);
        assertThat(chart.area()).isCloseTo(auroc, within(0.01 * auroc));
        assertThat(chart.points().get(0).x()).isZero();
        Curve exact = Auroc.curve(ranked, Integer.MAX_VALUE);
        for (double fpr : new double[] {0.001, 0.01, 0.05}) {
            assertThat(at(chart, fpr)).as("TPR at FPR %s", fpr).isCloseTo(at(exact, fpr), within(0.02));
        }
        assertThat(chart.points().get(chart.points().size() - 1).y()).isEqualTo(1.0);
    }

    /** The curve's y at x, linearly interpolated (the highest y where x repeats). */
    private static double at(Curve curve, double x) {
        var pts = curve.points();
        for (int i = 1; i < pts.size(); i++) {
            CurvePoint a = pts.get(i - 1);
            CurvePoint b = pts.get(i);
            if (b.x() >= x && b.x() > a.x()) {
                return a.y() + (x - a.x()) / (b.x() - a.x()) * (b.y() - a.y());
            }
        }
        return pts.get(pts.size() - 1).y();
    }
}
