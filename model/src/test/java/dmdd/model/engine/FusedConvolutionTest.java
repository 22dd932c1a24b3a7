package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A fused convolution and activation computes the activation of the convolution, for the shapes the networks run
 * (1x1 widening, depthwise with stride, the teacher's 4x4 stride-2 stem, dense 3x3, ReLU and ReLU6, batch 1 and 2,
 * both memory layouts), and runs the plain path where it must: channel counts that need padding, inputs that carry
 * a gradient, the property off.
 */
class FusedConvolutionTest {
    private static final UnaryOperator<NDArray> RELU = Activation::relu;
    private static final UnaryOperator<NDArray> RELU6 = x -> x.clip(0f, 6f);

    @Test
    void givesTheActivationOfTheConvolution() {
        // in, out, kernel, stride, padding, groups, batch, relu6 (1 = yes), channels last (1 = yes)
        int[][] cases = {{16, 96, 1, 1, 0, 1, 1, 0, 1}, {96, 96, 3, 2, 1, 96, 2, 0, 1}, {3, 32, 4, 2, 1, 1, 1, 1, 1},
            {64, 64, 3, 1, 1, 1, 2, 1, 1}, {32, 32, 3, 1, 1, 32, 1, 1, 0}, {64, 16, 1, 1, 0, 1, 2, 0, 0}};
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            assertThat(FusedConvolution.active()).as("the fused operation loads with this libtorch").isTrue();
            Random rng = new Random(5);
            for (int[] c : cases) {
                try (NDManager weights = m.newSubManager(); NDManager call = m.newSubManager()) {
                    FoldedConvolution.Folded conv = random(weights, rng, c);
                    UnaryOperator<NDArray> activation = c[7] == 1 ? RELU6 : RELU;
                    UnaryOperator<NDArray> fused = FusedConvolution.of(conv,
                            c[7] == 1 ? FusedConvolution.Activation.RELU6 : FusedConvolution.Activation.RELU, activation,
                            weights);
                    NDArray x = input(call, rng, c);
                    NDArray expected = activation.apply(conv.apply(x));
                    NDArray actual = fused.apply(x);
                    assertThat(actual.getShape()).isEqualTo(expected.getShape());
                    assertThat(actual.getManager()).as("the output belongs to the call").isSameAs(call);
                    float range = expected.abs().max().getFloat();
                    assertThat(range).isGreaterThan(0.1f);
                    assertThat(actual.sub(expected).abs().max().getFloat() / range)
                            .as(java.util.Arrays.toString(c)).isLessThan(1e-5f);
                    if (c[7] == 1) {
                        assertThat(expected.max().getFloat()).as("ReLU6's bound is reached").isEqualTo(6f);
                    }
                }
            }
        }
    }

    @Test
    void runsThePlainPathWhereTheFusedOneMustNotRun() {
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Random rng = new Random(6);
            // a dense 3x3 convolution of 24 channels: channel-padded, it keeps its checked path
            int[] padded = {24, 24, 3, 1, 1, 1, 1, 0, 1};
            // an input with a gradient: the fused operation has none
            int[] plain = {16, 32, 3, 1, 1, 1, 1, 0, 1};
            FoldedConvolution.Folded paddedConv = random(m, rng, padded);
            assertThat(FusedConvolution.isFused(
                    FusedConvolution.of(paddedConv, FusedConvolution.Activation.RELU, RELU, m))).isFalse();

            FoldedConvolution.Folded conv = random(m, rng, plain);
            UnaryOperator<NDArray> step = FusedConvolution.of(conv, FusedConvolution.Activation.RELU, RELU, m);
            assertThat(FusedConvolution.isFused(step)).isTrue();
            NDArray x = input(m, rng, plain);
            x.setRequiresGradient(true);
            boolean grad = JniUtils.isGradMode();
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(step.apply(x).sum());
            } finally {
                JniUtils.setGradMode(grad);
            }
            // the gradient reaches the input: the step ran the plain path, which has one
            assertThat(x.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void theSystemPropertyTurnsItOff() {
        String before = System.getProperty(FusedConvolution.PROPERTY);
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            System.setProperty(FusedConvolution.PROPERTY, "false");
            int[] c = {16, 32, 3, 1, 1, 1, 1, 0, 1};
            Random rng = new Random(7);
            FoldedConvolution.Folded conv = random(m, rng, c);
            NDArray x = input(m, rng, c);
            UnaryOperator<NDArray> step = FusedConvolution.of(conv, FusedConvolution.Activation.RELU, RELU, m);
            assertThat(FusedConvolution.isFused(step)).isFalse();
            NDArray actual = step.apply(x);
            assertThat(FusedConvolution.active()).isFalse();
            assertThat(actual.toFloatArray()).containsExactly(RELU.apply(conv.apply(x)).toFloatArray());
        } finally {
            if (before == null) {
                System.clearProperty(FusedConvolution.PROPERTY);
            } else {
                System.setProperty(FusedConvolution.PROPERTY, before);
            }
        }
    }

    private static FoldedConvolution.Folded random(NDManager m, Random rng, int[] c) {
        NDArray w = ConvolutionKernels.random(m, rng, new Shape(c[1], c[0] / c[5], c[2], c[2]), 1f);
        NDArray b = ConvolutionKernels.random(m, rng, new Shape(c[1]), 1f);
        return new FoldedConvolution.Folded(w, b, new Shape(c[3], c[3]), new Shape(c[4], c[4]), new Shape(1, 1), c[5]);
    }

    private static NDArray input(NDManager m, Random rng, int[] c) {
        NDArray x = ConvolutionKernels.random(m, rng, new Shape(c[6], c[0], 20, 20), 3f);
        return c[8] == 1 ? ChannelsLast.of(x) : x;
    }
}
