package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * Keras-layout MobileNetV2 as DJL blocks, with the tensor names of the Keras layers
 * ({@code Conv1/kernel}, {@code block_3_expand_BN/gamma}, ...): width 1.0 for
 * {@link BackboneKind#MOBILENET_V2}, width 1.4 for {@link BackboneKind#MOBILENET_V2_140} (every channel count
 * times 1.4, rounded to a multiple of 8 as MobileNetV2's code does). Kernels are stored in DJL/PyTorch
 * layout (OIHW; depthwise C x 1 x 3 x 3; dense units x inputs), which is what
 * {@link NsfwjsConverter} writes for both.
 *
 * <p>Exactly as in Keras: 3x3 stride-2 layers pad one row/column at the bottom/right only
 * (TensorFlow "same"); other 3x3 layers pad one on every side; batch-norm epsilon is 1e-3;
 * activations are ReLU6; an inverted residual adds its input when stride is 1 and the channel
 * count does not change.
 *
 * <p>Levels: after {@code block_2} (24 channels at width 1.0, 32 at 1.4; stride 4), {@code block_5} (32, 48;
 * stride 8) and {@code block_10} (96, 136; stride 16). With the classifier, {@code block_11} .. {@code block_16},
 * {@code Conv_1} (1280, 1792) and global average pooling feed the nsfwjs head: at width 1.0 {@code dense_1} (256,
 * ReLU), {@code dense_2} (128, ReLU), {@code dense_3} (5, softmax), at width 1.4 {@code logits} (5, softmax); the
 * fourth output is then the probabilities of {@link #NSFWJS_CLASSES}.
 *
 * <p>The width-1.4 network comes from a TensorFlow graph whose batch norms were folded into the convolutions before
 * nsfwjs shipped it, and it takes inputs in [-1, 1]; its converted file holds each batch norm as the identity
 * statistics (scale 1, mean 0, variance 1) with the folded shift, and it runs them with epsilon 0.
 */
public final class MobileNetV2 extends BackboneBlock {
    /** The nsfwjs classes in the order of the head's outputs. */
    public static final String[] NSFWJS_CLASSES = {"Drawing", "Hentai", "Neutral", "Porn", "Sexy"};

    private static final float KERAS_EPSILON = 1e-3f;
    /** Expansion, output channels, repeats, first stride: the MobileNetV2 paper's table 2. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };
    /** Index of the last inverted residual block of each of the three levels. */
    private static final int[] LEVEL_ENDS = {2, 5, 10};
    private static final int LAST_BLOCK = 16;

    private final boolean wide;
    private final float epsilon;

    /**
     * Builds the network with random weights; {@link Teachers} loads real ones.
     *
     * @param kind           {@link BackboneKind#MOBILENET_V2} or {@link BackboneKind#MOBILENET_V2_140}
     * @param withClassifier whether to build the rest of the network and the nsfwjs head
     */
    public MobileNetV2(BackboneKind kind, boolean withClassifier) {
        super(kind, withClassifier);
        if (kind != BackboneKind.MOBILENET_V2 && kind != BackboneKind.MOBILENET_V2_140) {
            throw new IllegalArgumentException(kind.cliName() + " is not a MobileNetV2");
        }
        wide = kind == BackboneKind.MOBILENET_V2_140;
        epsilon = wide ? 0f : KERAS_EPSILON;
        int stem = width(32);
        SequentialBlock stage = new SequentialBlock()
                .add(Op.padBottomRight())
                .add(conv("Conv1/kernel", stem, 3, 2, 0, 1))
                .add(kerasBatchNorm("bn_Conv1"))
                .add(Op.relu6());
        int inChannels = stem;
        int block = 0;
        int levelIndex = 0;
        int lastBlock = withClassifier ? LAST_BLOCK : LEVEL_ENDS[LEVEL_ENDS.length - 1];
        for (int[] setting : SETTINGS) {
            for (int r = 0; r < setting[2] && block <= lastBlock; r++) {
                int stride = r == 0 ? setting[3] : 1;
                stage.add(invertedResidual(block, inChannels, width(setting[1]), setting[0], stride));
                inChannels = width(setting[1]);
                if (levelIndex < LEVEL_ENDS.length && block == LEVEL_ENDS[levelIndex]) {
                    addStage("level" + (levelIndex + 1), stage);
                    stage = new SequentialBlock();
                    levelIndex++;
                }
                block++;
            }
        }
        if (withClassifier) {
            // MobileNetV2 does not narrow its last convolution below 1280 channels
            stage.add(conv("Conv_1/kernel", Math.max(1280, width(1280)), 1, 1, 0, 1))
                    .add(kerasBatchNorm("Conv_1_bn"))
                    .add(Op.relu6())
                    // nsfwjs averages the 7x7 map of a 224 input with a 7x7 pool: the global mean.
                    .add(Op.globalAveragePool());
            if (wide) {
                stage.add(dense(NSFWJS_CLASSES.length, "logits/kernel", "logits/bias"));
            } else {
                stage.add(dense(256, "dense_1/kernel", "dense_1/bias"))
                        .add(Op.relu())
                        .add(dense(128, "dense_2/kernel", "dense_2/bias"))
                        .add(Op.relu())
                        .add(dense(NSFWJS_CLASSES.length, "dense_3/kernel", "dense_3/bias"));
            }
            addStage("classifier", stage.add(Op.softmax()));
        }
    }

    /**
     * The network's own input range, from pixels in [0, 1] as nsfwjs reads them: [0, 1] at width 1.0, [-1, 1] at
     * width 1.4 (its graph starts by computing {@code 2 x - 1}).
     */
    @Override
    public NDArray normalize(NDArray rgb01) {
        return wide ? rgb01.mul(2f).sub(1f) : rgb01;
    }

    /** A width-1.0 channel count at this network's width, as MobileNetV2's {@code _make_divisible(c * w, 8)}. */
    private int width(int channels) {
        if (!wide) {
            return channels;
        }
        double scaled = channels * 1.4;
        int rounded = Math.max(8, (int) (scaled + 4) / 8 * 8);
        // never more than 10 % narrower than asked
        return rounded < 0.9 * scaled ? rounded + 8 : rounded;
    }

    private Block invertedResidual(int index, int inChannels, int outChannels, int expansion, int stride) {
        String prefix = index == 0 ? "expanded_conv_" : "block_" + index + "_";
        int hidden = inChannels * expansion;
        SequentialBlock body = new SequentialBlock();
        if (expansion != 1) {
            body.add(conv(prefix + "expand/kernel", hidden, 1, 1, 0, 1))
                    .add(kerasBatchNorm(prefix + "expand_BN"))
                    .add(Op.relu6());
        }
        if (stride == 2) {
            body.add(Op.padBottomRight());
        }
        body.add(conv(prefix + "depthwise/depthwise_kernel", hidden, 3, stride, stride == 2 ? 0 : 1, hidden))
                .add(kerasBatchNorm(prefix + "depthwise_BN"))
                .add(Op.relu6())
                .add(conv(prefix + "project/kernel", outChannels, 1, 1, 0, 1))
                .add(kerasBatchNorm(prefix + "project_BN"));
        boolean residual = stride == 1 && inChannels == outChannels;
        return residual ? new ResidualBlock(body, null, false) : body;
    }

    private Block kerasBatchNorm(String layer) {
        return batchNorm(epsilon, layer + "/gamma", layer + "/beta", layer + "/moving_mean",
                layer + "/moving_variance");
    }
}
