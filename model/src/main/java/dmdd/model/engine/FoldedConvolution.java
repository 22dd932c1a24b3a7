package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.function.UnaryOperator;

/**
 * One convolution with the batch norm that follows it folded in, for inference: batch norm with its running
 * statistics is a fixed per-channel affine map, so {@code bn(conv(x))} is a convolution with weights
 * {@code w * g / sqrt(v + eps)} and bias {@code beta + (b - mean) * g / sqrt(v + eps)}; one pass over the
 * activations instead of two. The folded weights are computed in Java floats from the parameters' values at
 * the time of the call (the arrays are small) and live in the given manager.
 */
public final class FoldedConvolution {
    private FoldedConvolution() {
    }

    /**
     * Folds a convolution and its batch norm.
     *
     * @param conv          the convolution (with or without bias)
     * @param norm          the batch norm after it, or {@code null} for the convolution alone
     * @param epsilon       the batch norm's epsilon
     * @param padTopLeft    whether to grow a 3x3 stride-2 kernel into a 4x4 one with a zero first row and column
     *                      under a symmetric padding of 1: the windows of the kernel after a zero padding of one
     *                      row at the bottom and one column at the right (Keras' "same" for stride 2), without
     *                      the padded copy of the input
     * @param manager       where the folded weights live
     * @return the folded convolution
     */
    public static UnaryOperator<NDArray> of(Conv2d conv, BatchNorm norm, float epsilon, boolean padTopLeft,
            NDManager manager) {
        return fold(conv, norm, epsilon, padTopLeft, manager)::apply;
    }

    /**
     * A convolution with its batch norm folded in: the weights and bias it runs with, and how it runs.
     *
     * @param weight   the folded weights, out x in/groups x kh x kw
     * @param bias     the folded bias, or {@code null}
     * @param stride   stride
     * @param padding  padding
     * @param dilation dilation
     * @param groups   groups
     */
    public record Folded(NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        /**
         * @param x input, N x C x H x W
         * @return the convolution of {@code x}
         */
        public NDArray apply(NDArray x) {
            return ChannelPaddedConvolution.convolve(x, weight, bias, stride, padding, dilation, groups);
        }

        /**
         * Whether the folded weights and bias are all finite numbers: finite parameters can still fold into NaN or
         * an infinity (a running variance below {@code -eps}, an overflow of scale times weight), which a
         * {@link FusedConvolution} must not run, since oneDNN's ReLU turns NaN into 0.
         *
         * @return whether they are
         */
        public boolean isFinite() {
            return finite(weight) && (bias == null || finite(bias));
        }
    }

    /**
     * @param array an array
     * @return whether it holds only finite numbers (one sum read back: NaN or an infinity anywhere makes it so)
     */
    static boolean finite(NDArray array) {
        try (NDArray sum = array.sum()) {
            return Float.isFinite(sum.getFloat());
        }
    }

    /**
     * A convolution and its batch norm with frozen statistics, folded at every call from the parameters' arrays
     * themselves, so that gradients reach the convolution's weights and the batch norm's scale and shift: the same
     * function as the two blocks in inference, computed as one convolution (training with frozen statistics).
     *
     * @param conv    the convolution (with or without bias)
     * @param norm    the batch norm after it
     * @param epsilon the batch norm's epsilon
     * @param x       input, N x C x H x W
     * @return {@code norm(conv(x))} with the norm's running statistics
     */
    public static NDArray applyTrainable(Conv2d conv, BatchNorm norm, float epsilon, NDArray x) {
        NDArray weight = conv.getParameters().get("weight").getArray();
        NDArray gamma = norm.getParameters().get("gamma").getArray();
        NDArray beta = norm.getParameters().get("beta").getArray();
        NDArray mean = norm.getParameters().get("runningMean").getArray();
        NDArray variance = norm.getParameters().get("runningVar").getArray();
        long out = weight.getShape().get(0);
        // every product starts from an array of the call's manager, so that the folded weights, like the output,
        // belong to the call and not to the parameters' long-lived manager
        NDManager call = x.getManager();
        NDArray scale = call.create(epsilon).add(variance).pow(-0.5f).mul(gamma);
        NDArray w = scale.reshape(out, 1, 1, 1).mul(weight);
        NDArray b = scale.mul(mean).neg().add(beta);
        if (conv.isIncludeBias()) {
            b = b.add(scale.mul(conv.getParameters().get("bias").getArray()));
        }
        return ChannelPaddedConvolution.convolve(x, w, b, conv.getStride(), conv.getPadding(), conv.getDilation(),
                conv.getGroups());
    }

    /**
     * Folds a convolution and its batch norm, as {@link #of}, keeping the folded weights at hand.
     *
     * @param conv       the convolution (with or without bias)
     * @param norm       the batch norm after it, or {@code null} for the convolution alone
     * @param epsilon    the batch norm's epsilon
     * @param padTopLeft see {@link #of}
     * @param manager    where the folded weights live
     * @return the folded convolution
     */
    public static Folded fold(Conv2d conv, BatchNorm norm, float epsilon, boolean padTopLeft, NDManager manager) {
        NDArray weight = conv.getParameters().get("weight").getArray();
        Shape shape = weight.getShape(); // out x in/groups x kh x kw
        int out = (int) shape.get(0);
        int perFilter = (int) (shape.size() / out);
        float[] w = weight.toFloatArray();
        float[] b = conv.isIncludeBias() ? conv.getParameters().get("bias").getArray().toFloatArray() : null;
        if (norm != null) {
            float[] gamma = norm.getParameters().get("gamma").getArray().toFloatArray();
            float[] beta = norm.getParameters().get("beta").getArray().toFloatArray();
            float[] mean = norm.getParameters().get("runningMean").getArray().toFloatArray();
            float[] variance = norm.getParameters().get("runningVar").getArray().toFloatArray();
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) {
                float scale = gamma[o] / (float) Math.sqrt(variance[o] + epsilon);
                for (int k = 0; k < perFilter; k++) {
                    w[o * perFilter + k] *= scale;
                }
                bias[o] = beta[o] + ((b == null ? 0f : b[o]) - mean[o]) * scale;
            }
            b = bias;
        }
        Shape padding = conv.getPadding();
        if (padTopLeft) {
            if (!shape.slice(2).equals(new Shape(3, 3))) {
                throw new IllegalArgumentException("only a 3x3 kernel grows to 4x4: " + shape);
            }
            int planes = (int) (shape.get(0) * shape.get(1));
            float[] four = new float[planes * 16];
            for (int p = 0; p < planes; p++) {
                for (int r = 0; r < 3; r++) {
                    System.arraycopy(w, p * 9 + r * 3, four, p * 16 + (r + 1) * 4 + 1, 3);
                }
            }
            w = four;
            shape = new Shape(shape.get(0), shape.get(1), 4, 4);
            padding = new Shape(1, 1);
        }
        NDArray foldedWeight = manager.create(w, shape);
        NDArray foldedBias = b == null ? null : manager.create(b, new Shape(out));
        return new Folded(foldedWeight, foldedBias, conv.getStride(), padding, conv.getDilation(), conv.getGroups());
    }
}
