package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The branch maps' blur is the separable Gaussian sum with replicated borders. */
class GaussianBlurTest {

    @Test
    void keepsTheTotalOfAnInteriorPeakAndSpreadsIt() {
        float[] m = new float[41 * 41];
        m[20 * 41 + 20] = 1f;
        float[] b = blur(m, 41, 41, 2, 1);
        double total = 0;
        for (float v : b) {
            total += v;
        }
        assertThat(total).isCloseTo(1.0, within(1e-4));
        assertThat(b[20 * 41 + 20]).isLessThan(0.1f).isGreaterThan(b[20 * 41 + 22]);
        assertThat(blur(m, 41, 41, 0, 1)).containsExactly(m);
    }

    @Test
    void equalsTheSeparableSumWithReplicatedBordersForEveryPlaneOfABatch() {
        Random r = new Random(7);
        int w = 37;
        int h = 23; // narrower than the kernel in one direction, wider in the other
        int planes = 3;
        float[] m = new float[planes * w * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextFloat() * 3 - 1;
        }
        double sigma = 4;
        float[] blurred = blur(m, w, h, sigma, planes);
        for (int p = 0; p < planes; p++) {
            float[] expected = separableSum(Arrays.copyOfRange(m, p * w * h, (p + 1) * w * h), w, h, sigma);
            for (int i = 0; i < expected.length; i++) {
                assertThat(blurred[p * w * h + i]).as("plane %d pixel %d", p, i).isCloseTo(expected[i], within(2e-6f));
            }
        }
    }

    /** Each plane blurred along its columns ({@code G_h P}), then along its rows ({@code (G_w (G_h P)^T)^T}). */
    private static float[] blur(float[] m, int w, int h, double sigma, int planes) {
        float[] out = new float[m.length];
        for (int p = 0; p < planes; p++) {
            float[] plane = GaussianBlur.alongRows(Arrays.copyOfRange(m, p * w * h, (p + 1) * w * h), w, sigma);
            float[] across = GaussianBlur.alongRows(BranchMapAssembler.transposed(plane, h, w), h, sigma);
            System.arraycopy(BranchMapAssembler.transposed(across, w, h), 0, out, p * w * h, w * h);
        }
        return out;
    }

    /** The blur written out pixel by pixel: rows first, then columns, borders replicated, radius ceil(4 sigma). */
    private static float[] separableSum(float[] m, int w, int h, double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += kernel[i + radius];
        }
        double[] tmp = new double[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] / sum * m[y * w + Math.min(w - 1, Math.max(0, x + k))];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] out = new float[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] / sum * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
                }
                out[y * w + x] = (float) acc;
            }
        }
        return out;
    }
}
