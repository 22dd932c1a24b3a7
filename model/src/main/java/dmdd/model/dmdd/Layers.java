package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import dmdd.model.engine.ChannelPaddedConvolution;

/** The small building pieces the DMDD networks are made of. */
final class Layers {
    /** DJL's interpolation code for area averaging (Image.Interpolation.AREA). */
    private static final int AREA = 2;
    /** Epsilon of every batch norm in the DMDD networks (DJL's default; {@link FoldedBatchNorms} folds with it). */
    static final float BATCH_NORM_EPSILON = 1e-5f;
    /** The name DJL gives its ReLU block. */
    private static final String RELU_NAME = Activation.reluBlock() instanceof LambdaBlock l ? l.getName() : "";

    private Layers() {
    }

    /**
     * Convolution (no bias), batch norm and optionally ReLU.
     *
     * @param out      output channels
     * @param kernel   square kernel size
     * @param stride   stride
     * @param dilation dilation (padding keeps the size for odd kernels)
     * @param relu     whether a ReLU follows
     * @return the block
     */
    static SequentialBlock convBn(int out, int kernel, int stride, int dilation, boolean relu) {
        return convBn(out, kernel, stride, dilation, 1, relu);
    }

    /**
     * A 3x3 depthwise convolution (one filter per channel, no bias), batch norm and ReLU.
     *
     * @param channels input and output channels
     * @param stride   stride
     * @return the block
     */
    static SequentialBlock depthwiseConvBn(int channels, int stride) {
        return convBn(channels, 3, stride, 1, channels, true);
    }

    private static SequentialBlock convBn(int out, int kernel, int stride, int dilation, int groups, boolean relu) {
        int pad = dilation * (kernel - 1) / 2;
        SequentialBlock b = new SequentialBlock()
                .add(new ChannelPaddedConvolution.Conv2d(Conv2d.builder().setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad))
                        .optDilation(new Shape(dilation, dilation)).setFilters(out).optGroups(groups).optBias(false)))
                .add(batchNorm());
        if (relu) {
            b.add(Activation.reluBlock());
        }
        return b;
    }

    /**
     * @param block a block of a network
     * @return whether it is the ReLU of {@link #convBn} (DJL's {@link Activation#reluBlock()}), which
     *         {@link FoldedBatchNorms} runs fused with the convolution before it in inference
     */
    static boolean isRelu(Block block) {
        return block instanceof LambdaBlock lambda && RELU_NAME.equals(lambda.getName());
    }

    /**
     * A plain convolution with bias.
     *
     * @param out    output channels
     * @param kernel square kernel size (padding keeps the size)
     * @return the block
     */
    static Block conv(int out, int kernel) {
        int pad = (kernel - 1) / 2;
        return new ChannelPaddedConvolution.Conv2d(Conv2d.builder().setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad)).setFilters(out));
    }

    /**
     * Area-average downsampling of an N x C x H x W array: each output pixel is the mean of the
     * input pixels it covers (a mask becomes the covered fraction, so thin defects do not vanish).
     *
     * @param x      the array
     * @param height target height
     * @param width  target width
     * @return the downsampled array, or {@code x} itself when the size already matches
     */
    static NDArray downsampleArea(NDArray x, long height, long width) {
        Shape s = x.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, AREA, false);
    }

    /** @return a fresh batch norm (kept here so every block uses the same defaults) */
    static Block batchNorm() {
        return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
    }

    /**
     * @param list arrays
     * @return their channel counts (axis 1)
     */
    static long[] channels(NDList list) {
        long[] c = new long[list.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = list.get(i).getShape().get(1);
        }
        return c;
    }
}
