package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Map operations checked against direct computations. */
class FloatMapsTest {

    @Test
    void topKMeanIsTheMeanOfTheLargestValuesIncludingTies() {
        Random r = new Random(4);
        float[] m = new float[5000];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextInt(50) / 10f; // many ties
        }
        float[] sorted = m.clone();
        Arrays.sort(sorted);
        double expected = 0;
        for (int i = sorted.length - 100; i < sorted.length; i++) {
            expected += sorted[i];
        }
        assertThat(FloatMaps.topKMean(m, 100)).isCloseTo(expected / 100, within(1e-6));
        assertThat(FloatMaps.topKMean(new float[] {3f, 1f}, 100)).isEqualTo(2.0);
        assertThat(FloatMaps.max(m)).isEqualTo(sorted[sorted.length - 1]);
    }

    @Test
    void blurKeepsTheTotalOfAnInteriorPeakAndSpreadsIt() {
        float[] m = new float[41 * 41];
        m[20 * 41 + 20] = 1f;
        float[] b = FloatMaps.gaussianBlur(m, 41, 41, 2);
        double total = 0;
        for (float v : b) {
            total += v;
        }
        assertThat(total).isCloseTo(1.0, within(1e-4));
        assertThat(b[20 * 41 + 20]).isLessThan(0.1f).isGreaterThan(b[20 * 41 + 22]);
        assertThat(FloatMaps.gaussianBlur(m, 41, 41, 0)).containsExactly(m);
    }

    @Test
    void blurEqualsTheSeparableSumWithReplicatedBordersToTheBit() {
        Random r = new Random(7);
        int w = 37;
        int h = 23; // narrower than the kernel in neither, wider than it in one direction
        float[] m = new float[w * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextFloat() * 3 - 1;
        }
        double sigma = 4;
        int radius = 16;
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        float[] tmp = new float[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * m[y * w + Math.min(w - 1, Math.max(0, x + k))];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] expected = new float[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
                }
                expected[y * w + x] = acc;
            }
        }
        assertThat(FloatMaps.gaussianBlur(m, w, h, sigma)).containsExactly(expected);
    }

    @Test
    void resizeMatchesPixelCentres() {
        float[] m = {0f, 1f, 2f, 3f};
        float[] up = FloatMaps.resize(m, 2, 2, 4, 4);
        assertThat(up[0]).isEqualTo(0f);
        assertThat(up[15]).isEqualTo(3f);
        assertThat(up[1]).isCloseTo(0.25f, within(1e-6f)); // a quarter of the way to the right neighbour
        assertThat(FloatMaps.resize(up, 4, 4, 2, 2)).containsExactly(new float[] {0.375f, 1.125f, 1.875f, 2.625f},
                within(1e-6f));
    }
}
