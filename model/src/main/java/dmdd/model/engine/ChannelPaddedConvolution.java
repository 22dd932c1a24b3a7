package dmdd.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Every network's 2-D convolution (the teacher's too), run with channel counts that oneDNN computes right.
 *
 * <p>libtorch 2.7.1's oneDNN 3.7.1, with its AVX2 and AVX-512 kernels on an AMD EPYC of family 26 (Zen 5), computes
 * convolutions with a kernel over 1 x 1 wrongly when a channel count is not a multiple of 16: the forward and the
 * weight gradient when the input has 24 or 40 channels, the input gradient whenever the output has 1, 8 or 24
 * (NaN or errors of 10-80 % of the result's range; depthwise, grouped and 1 x 1 convolutions, and inputs of at most
 * 8 channels, were right in those measurements; see below for 1 x 1 faults found later). Such a convolution is
 * computed here as the same convolution with zero channels added: the input padded to the next multiple of 16
 * (over 8 channels), the output to the next multiple of 16, the extra outputs dropped. The values and gradients
 * are those of the convolution asked for (zero weights add exact zeros), the trained parameters keep their shapes,
 * and only the few small convolutions concerned cost more (DMDD's is the
 * segmentation network's 7x7 2 -> 1 spatial attention; AAND and DCAM also have 1 -> 1 gates and 24- and 40-channel
 * convolutions). Done on every CPU, so that one computation runs everywhere; {@link ConvolutionKernels} checks this
 * path and limits oneDNN to AVX2 or AVX only where even it is wrong.
 *
 * <p>The same oneDNN ends the process (SIGFPE, an integer division by zero in its 1 x 1 blocking heuristic, which
 * special-cases these channel pairs for Mask R-CNN and divides by a count that is zero without AMX) when it plans a
 * 1 x 1 convolution between 256 and 1024, 512 and 1024, 512 and 2048 or 1024 and 2048 channels, in either
 * direction (the input gradient of one direction is a convolution of the other), on at least 8 x 8 outputs: seen on
 * that Zen 5 with the WideResNet-50-2 teacher (its 512 -> 1024 projections) and DMDD's student for it (1024 -> 2048
 * decoupling). Such a convolution gets 16 zero input channels, which takes it out of the special case.
 *
 * <p>And it wrote outside its buffers (glibc: "free(): invalid next size", the test JVM aborted) in the backward of
 * a strided 1 x 1 convolution with fewer than 16 input channels and a batch of two or more (3, 8 or 12 inputs; 16,
 * 24 and 40 were right, so was stride 1): DCAM's ResNet-layout student at a test's width of 8. Such a convolution's
 * input is padded to 16 channels.
 *
 * <p>On that Zen 5 (family 26, model 2), oneDNN's AVX-512 kernels also compute 1 x 1 convolutions wrongly at
 * batches of two or more for many output counts over 32, in a pattern that depends on the input count too (16 -> 36,
 * 16 -> 80, 96 -> 320; errors of 35-90 % of the range); no padding rule covered them, and its AVX2 kernels were right,
 * so {@link ConvolutionKernels} checks such cases and limits oneDNN to AVX2 there.
 */
public final class ChannelPaddedConvolution {
    /** oneDNN's blocking of channels in its AVX-512 kernels: counts that are multiples of it are computed right. */
    static final int CHANNEL_BLOCK = 16;
    /** Inputs with at most this many channels go through kernels that were right at every output count. */
    static final int SMALL_INPUT = 8;

    private ChannelPaddedConvolution() {
    }

    /**
     * DJL's 2-D convolution block whose forward runs {@link #convolve}. Its simple name is DJL's ({@code Conv2d}) on
     * purpose: a sequential block names its children's parameters by their class's simple name, so saved models
     * and checkpoints keep their weight names ({@code ...01Conv2d_weight}) and open as before.
     */
    public static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

        /**
         * @param builder a {@link ai.djl.nn.convolutional.Conv2d#builder()} with the convolution's settings, not built
         */
        public Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
            super(builder);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray input = inputs.singletonOrThrow();
            Device device = input.getDevice();
            NDArray w = parameterStore.getValue(weight, device, training);
            NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
            return new NDList(convolve(input, w, b, stride, padding, dilation, groups));
        }
    }

    /**
     * A convolution as {@link ai.djl.nn.convolutional.Conv2d#conv2d} computes it (N x C x H x W input,
     * out x C/groups x kh x kw weight).
     *
     * @param x        input
     * @param weight   weight
     * @param bias     bias of the outputs, or {@code null}
     * @param stride   stride
     * @param padding  zero padding of the spatial sides
     * @param dilation dilation
     * @param groups   groups
     * @return the output, N x out x H' x W'
     */
    public static NDArray convolve(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation, int groups) {
        Shape w = weight.getShape();
        long out = w.get(0);
        long in = w.get(1);
        long paddedIn = paddedInput(w, groups, stride);
        long paddedOut = paddedOutput(w, groups);
        if (paddedIn == in && paddedOut == out) {
            return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, dilation, groups)
                    .singletonOrThrow();
        }
        // pad() lists the last axis first: (kw, kh, in, out), before and after each. The padded copies of the
        // long-lived weight and bias belong to the call, like its output: in the input's manager.
        NDArray paddedWeight = weight.pad(new Shape(0, 0, 0, 0, 0, paddedIn - in, 0, paddedOut - out), 0);
        paddedWeight.attach(x.getManager());
        NDArray paddedX = paddedIn == in ? x : x.pad(new Shape(0, 0, 0, 0, 0, paddedIn - in), 0);
        NDArray paddedBias = bias;
        if (bias != null && paddedOut != out) {
            paddedBias = bias.pad(new Shape(0, paddedOut - out), 0);
            paddedBias.attach(x.getManager());
        }
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(paddedX, paddedWeight, paddedBias, stride, padding,
                dilation, groups).singletonOrThrow();
        return paddedOut == out ? y : y.get(":, 0:" + out);
    }

    /**
     * @param weight the convolution's out x in/groups x kh x kw weight shape
     * @param groups its groups
     * @param stride its stride
     * @return the input channels (per group) the convolution runs with
     */
    static long paddedInput(Shape weight, int groups, Shape stride) {
        long in = weight.get(1);
        boolean denseOneByOne = groups == 1 && weight.get(2) * weight.get(3) == 1;
        if (denseOneByOne && oneDnnSpecialOneByOnePair(in, weight.get(0))) {
            return in + CHANNEL_BLOCK;
        }
        if (denseOneByOne && in < CHANNEL_BLOCK && stride.get(0) * stride.get(1) > 1) {
            return CHANNEL_BLOCK;
        }
        return concerned(weight, groups) && in > SMALL_INPUT ? roundUp(in) : in;
    }

    /**
     * The channel pairs oneDNN's 1 x 1 blocking heuristic treats apart (see the class comment), in either order; padded
     * whatever the output size, since the size at which planning divides by zero is oneDNN's business.
     */
    static boolean oneDnnSpecialOneByOnePair(long in, long out) {
        long small = Math.min(in, out);
        long large = Math.max(in, out);
        return small == 256 && large == 1024 || small == 512 && large == 1024 || small == 512 && large == 2048
                || small == 1024 && large == 2048;
    }

    /** @return the output channels the convolution with this weight runs with */
    static long paddedOutput(Shape weight, int groups) {
        long out = weight.get(0);
        return concerned(weight, groups) ? roundUp(out) : out;
    }

    /** Dense convolutions with a kernel over 1 x 1: the ones whose kernels were wrong. */
    private static boolean concerned(Shape weight, int groups) {
        return groups == 1 && weight.get(2) * weight.get(3) > 1;
    }

    private static long roundUp(long channels) {
        return (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
    }
}
