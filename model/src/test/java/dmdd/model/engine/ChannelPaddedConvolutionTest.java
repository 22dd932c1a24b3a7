package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The channel-padded convolution is the convolution asked for: the same output and the same gradients for the
 * input, the weight and the bias as a float64 convolution (a different libtorch path, no oneDNN), with strides,
 * dilations and biases, on channel counts that need padding.
 */
class ChannelPaddedConvolutionTest {
    private static final Shape ONE = new Shape(1, 1);

    @Test
    void padsDenseConvolutionsOverOneByOneToMultiplesOfSixteenAndLeavesTheOthers() {
        Shape k3 = new Shape(24, 24, 3, 3);
        assertThat(ChannelPaddedConvolution.paddedInput(k3, 1, ONE)).isEqualTo(32);
        assertThat(ChannelPaddedConvolution.paddedOutput(k3, 1)).isEqualTo(32);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(40, 40, 3, 3), 1, ONE)).isEqualTo(48);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(1, 2, 7, 7), 1, ONE)).isEqualTo(2); // small inputs stay
        assertThat(ChannelPaddedConvolution.paddedOutput(new Shape(1, 2, 7, 7), 1)).isEqualTo(16);
        assertThat(ChannelPaddedConvolution.paddedOutput(new Shape(64, 24, 3, 3), 1)).isEqualTo(64);
        assertThat(ChannelPaddedConvolution.paddedOutput(new Shape(24, 24, 1, 1), 1)).isEqualTo(24); // 1 x 1
        assertThat(ChannelPaddedConvolution.paddedOutput(new Shape(24, 1, 3, 3), 24)).isEqualTo(24); // depthwise
    }

    @Test
    void givesOneByOneConvolutionsBetweenOneDnnsSpecialPairsSixteenMoreInputs() {
        // the pairs whose 1 x 1 planning divides by zero, both directions; outputs stay as asked
        long[][] pairs = {{512, 1024}, {1024, 512}, {256, 1024}, {1024, 256}, {512, 2048}, {2048, 512}, {1024, 2048},
            {2048, 1024}};
        for (long[] p : pairs) {
            Shape w = new Shape(p[1], p[0], 1, 1);
            assertThat(ChannelPaddedConvolution.paddedInput(w, 1, ONE)).as("%s -> %s", p[0], p[1]).isEqualTo(p[0] + 16);
            assertThat(ChannelPaddedConvolution.paddedOutput(w, 1)).isEqualTo(p[1]);
        }
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(1024, 1024, 1, 1), 1, ONE)).isEqualTo(1024);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(768, 384, 1, 1), 1, ONE)).isEqualTo(384);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(1024, 512, 3, 3), 1, ONE)).isEqualTo(512); // not 1 x 1
    }

    @Test
    void givesStridedOneByOneConvolutionsOfFewInputsSixteen() {
        Shape two = new Shape(2, 2);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(16, 8, 1, 1), 1, two)).isEqualTo(16);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(16, 3, 1, 1), 1, two)).isEqualTo(16);
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(16, 8, 1, 1), 1, ONE)).isEqualTo(8); // stride 1
        assertThat(ChannelPaddedConvolution.paddedInput(new Shape(32, 24, 1, 1), 1, two)).isEqualTo(24);
        assertThat(ChannelPaddedConvolution.paddedOutput(new Shape(16, 8, 1, 1), 1)).isEqualTo(16);
    }

    @Test
    void givesTheConvolutionsValuesAndGradientsWithStridesDilationsAndBiases() {
        // in, out, kernel, stride, dilation, bias (1 = yes)
        // the last three ended the process on a Zen 5 before they were padded: oneDNN's special 1 x 1 pairs, and a
        // strided 1 x 1 of 8 inputs whose backward wrote outside its buffers
        int[][] cases = {{24, 24, 3, 2, 1, 0}, {40, 8, 3, 1, 2, 1}, {2, 1, 7, 1, 1, 1}, {32, 24, 3, 1, 1, 1},
            {16, 16, 3, 1, 1, 0}, {512, 1024, 1, 2, 1, 1}, {2048, 1024, 1, 1, 1, 0}, {8, 16, 1, 2, 1, 1}};
        NDManager m = DjlRuntime.engine().newBaseManager();
        boolean grad = JniUtils.isGradMode();
        try (m) {
            JniUtils.setGradMode(true);
            Random rng = new Random(3);
            for (int[] c : cases) {
                NDArray x = ConvolutionKernels.random(m, rng, new Shape(2, c[0], 17, 17), 1f);
                NDArray w = ConvolutionKernels.random(m, rng, new Shape(c[1], c[0], c[2], c[2]), 0.1f);
                NDArray b = c[5] == 1 ? ConvolutionKernels.random(m, rng, new Shape(c[1]), 0.5f) : null;
                NDArray[] padded = run(x, w, b, c, false);
                NDArray[] reference = run(x, w, b, c, true);
                String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
                for (int i = 0; i < padded.length; i++) {
                    if (padded[i] == null) {
                        continue;
                    }
                    assertThat(padded[i].getShape()).isEqualTo(reference[i].getShape());
                    float scale = reference[i].abs().max().getFloat();
                    float error = padded[i].sub(reference[i]).abs().max().getFloat() / scale;
                    assertThat(error).as(c[0] + " -> " + c[1] + " " + c[2] + "x" + c[2] + ": " + what[i])
                            .isLessThan(1e-4f);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Output and gradients of the mean squared output; the reference is a float64 convolution. */
    private static NDArray[] run(NDArray x0, NDArray w0, NDArray b0, int[] c, boolean float64) {
        DataType type = float64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray x = x0.toType(type, true);
        NDArray w = w0.toType(type, true);
        NDArray b = b0 == null ? null : b0.toType(type, true);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        if (b != null) {
            b.setRequiresGradient(true);
        }
        Shape stride = new Shape(c[3], c[3]);
        long pad = (long) c[4] * (c[2] - 1) / 2;
        Shape padding = new Shape(pad, pad);
        Shape dilation = new Shape(c[4], c[4]);
        NDArray y;
        try (GradientCollector gc = x.getManager().getEngine().newGradientCollector()) {
            y = float64 ? Conv2d.conv2d(x, w, b, stride, padding, dilation, 1).singletonOrThrow()
                    : ChannelPaddedConvolution.convolve(x, w, b, stride, padding, dilation, 1);
            gc.backward(y.square().mean());
        }
        return new NDArray[] {f32(y.stopGradient()), f32(x.getGradient()), f32(w.getGradient()),
            b == null ? null : f32(b.getGradient())};
    }

    private static NDArray f32(NDArray a) {
        return a.toType(DataType.FLOAT32, false);
    }
}
