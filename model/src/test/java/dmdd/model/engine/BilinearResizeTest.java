package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Up-sampling by two matrix products is libtorch's bilinear resize: the same values and the same input gradients, in
 * both memory layouts, for one and many channels, integer and other ratios.
 */
class BilinearResizeTest {
    @Test
    void theMatrixHasTheHandComputedWeights() {
        // 2 -> 4: sources max(0, (j + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1.25 (the last clamped to the last sample)
        assertThat(BilinearResize.matrix(4, 2)).containsExactly(1f, 0f, 0.75f, 0.25f, 0.25f, 0.75f, 0f, 1f);
        BilinearResize.matrix(4, 2)[0] = 5f; // a caller's copy: the kept matrix stays as it is
        assertThat(BilinearResize.matrix(4, 2)[0]).isEqualTo(1f);
        assertThat(BilinearResize.matrix(4, 1)).containsExactly(1f, 1f, 1f, 1f); // another input, the same output
        float[] m = BilinearResize.matrix(13, 5);
        for (int j = 0; j < 13; j++) {
            float row = 0;
            for (int i = 0; i < 5; i++) {
                row += m[j * 5 + i];
            }
            assertThat(row).as("row " + j).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void givesLibtorchsValuesAndGradientsInBothLayouts() {
        // N, C, h, w, height, width: one channel and many, non-square, non-integer ratios, one side kept; two inputs
        // up-sampled to the same size (the segmentation network's levels); inputs at the largest side multiplied and
        // above it (libtorch's kernel)
        long[][] cases = {{2, 1, 5, 7, 13, 21}, {2, 6, 4, 4, 16, 16}, {1, 6, 3, 5, 7, 11}, {2, 64, 8, 8, 32, 32},
            {2, 3, 6, 6, 6, 24}, {2, 8, 16, 16, 64, 64}, {2, 8, 32, 32, 64, 64}, {1, 4, 64, 48, 256, 192},
            {1, 4, 80, 40, 160, 80}};
        String before = System.getProperty(ChannelsLast.PROPERTY);
        NDManager m = DjlRuntime.engine().newBaseManager(); // loads the engine before its grad mode is read
        boolean grad = JniUtils.isGradMode();
        try (m) {
            JniUtils.setGradMode(true);
            Random rng = new Random(5);
            for (String layout : new String[] {"true", "false"}) {
                System.setProperty(ChannelsLast.PROPERTY, layout);
                for (long[] c : cases) {
                    Shape shape = new Shape(c[0], c[1], c[2], c[3]);
                    NDArray x = ChannelsLast.of(ConvolutionKernels.random(m, rng, shape, 1f));
                    NDArray outWeights = ConvolutionKernels.random(m, rng, new Shape(c[0], c[1], c[4], c[5]), 1f);
                    NDArray[] products = run(x, outWeights, c[4], c[5], false);
                    NDArray[] reference = run(x, outWeights, c[4], c[5], true);
                    String what = "channels last " + layout + ", " + shape + " -> " + c[4] + " x " + c[5];
                    assertThat(products[0].getShape()).as(what).isEqualTo(reference[0].getShape());
                    assertThat(products[0].sub(reference[0]).abs().max().getFloat()).as(what + ": values")
                            .isLessThan(1e-5f);
                    assertThat(products[1].sub(reference[1]).abs().max().getFloat()).as(what + ": input gradient")
                            .isLessThan(1e-4f);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
            if (before == null) {
                System.clearProperty(ChannelsLast.PROPERTY);
            } else {
                System.setProperty(ChannelsLast.PROPERTY, before);
            }
        }
    }

    @Test
    void returnsTheArrayItselfAtItsOwnSizeAndRefusesToShrink() {
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 2, 8, 8));
            assertThat(BilinearResize.upsample(x, 8, 8)).isSameAs(x);
            assertThatThrownBy(() -> BilinearResize.upsample(x, 16, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8 x 8 to 16 x 4");
        }
    }

    /** The up-sampled array and the gradient of its weighted sum for the input. */
    private static NDArray[] run(NDArray x0, NDArray outWeights, long height, long width, boolean libtorch) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = x.getManager().getEngine().newGradientCollector()) {
            y = libtorch ? x.getNDArrayInternal().interpolation(new long[] {height, width},
                    BilinearResize.LIBTORCH_BILINEAR, false)
                    : BilinearResize.upsample(x, height, width);
            gc.backward(y.mul(outWeights).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient()};
    }
}
