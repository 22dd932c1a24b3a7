package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.BilinearResize;
import dmdd.model.engine.ChannelsLast;
import dmdd.model.engine.FlopCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * DMDD's student (DeSTSeg's layout): a randomly initialised encoder, by default MobileNetV2's inverted residual
 * layout down to stride 16 ({@code inverted_residual}, the student of the quality issue's PyTorch reference), or
 * DeSTSeg's ResNet-18 layout down to stride 32 ({@code resnet}), and a decoder that upsamples
 * bilinearly back to strides 16, 8 and 4, giving one feature map per teacher level with the teacher's channel
 * count. For DMDD each level then goes through a {@link DecouplingHead} (1x1 convolution C -> 2C, split) into
 * normality and abnormality features; the baseline has a single branch.
 *
 * <p>Input: the teacher-normalised image batch, N x 3 x H x W (H, W multiples of 32). Output for
 * DMDD: {@code [norm1, norm2, norm3, abn1, abn2, abn3]}; for the baseline {@code [s1, s2, s3]}.
 */
public final class DecoupledStudent extends ComposedBlock implements FlopCounter.Counted {
    private final int[] levelChannels;
    private final boolean decoupled;
    private final boolean skips;
    private final Block stem;
    private final Block[] encoder;
    private final Block[] decoder = new Block[3];
    private final Block[] projections = new Block[3];
    private final Block[] heads = new Block[3];

    /**
     * @param levelChannels teacher channels of the three levels (strides 4, 8, 16)
     * @param encoderLayout {@code resnet} or {@code inverted_residual}
     * @param width         channels of the first encoder stage (ResNet-18: 64; MobileNetV2's stem: 32)
     * @param decoderBlocks blocks per decoder stage
     * @param expansion     the inverted residual blocks' widening factor (MobileNetV2's 6; the ResNet layout ignores
     *                      it)
     * @param stemStride    the inverted residual layout's stride after its stem: 2 (MobileNetV2) or 4 (the stem's block
     *                      halves the size again and the first stage keeps it); the ResNet layout ignores it
     * @param skips         whether encoder features are concatenated into the decoder (U-Net skips)
     * @param decoupled     {@code true} for DMDD (two branches), {@code false} for the baseline
     */
    public DecoupledStudent(int[] levelChannels, String encoderLayout, int width, int decoderBlocks, int expansion,
            int stemStride, boolean skips, boolean decoupled) {
        if (levelChannels.length != 3) {
            throw new IllegalArgumentException("the student mirrors exactly three teacher levels");
        }
        this.levelChannels = levelChannels.clone();
        this.decoupled = decoupled;
        this.skips = skips;
        boolean invertedResidual = switch (encoderLayout) {
            case "resnet" -> false;
            case "inverted_residual" -> true;
            default -> throw new IllegalArgumentException("unknown student encoder: " + encoderLayout);
        };
        // w[s]: channels of encoder stage s (strides 4, 8, 16 and, for the ResNet layout, 32); the decoder stage of
        // level l works at w[l] and reads the next deeper stage's width (the deepest stage's for level 3)
        int[] w;
        if (invertedResidual) {
            // MobileNetV2's widths scaled by width / 32: stem 32 -> 16, then 24 (stride 4), 32 (stride 8), 64 and 96
            // (stride 16); MobileNetV2 widens by 6 inside its blocks, `expansion` here
            int first = scaled(16, width);
            w = new int[] {scaled(24, width), scaled(32, width), scaled(96, width)};
            SequentialBlock stemBlock = new SequentialBlock();
            stemBlock.addAll(Layers.convBn(width, 3, 2, 1, true).getChildren().values());
            if (stemStride != 2 && stemStride != 4) {
                throw new IllegalArgumentException("stem stride must be 2 or 4: " + stemStride);
            }
            // with stem stride 4 the widest activations (the first stage's widening) come at a quarter of the input
            // size instead of a half (a 256 px student step 10-15 % shorter on a 2-core CPU)
            int halvings = stemStride == 4 ? 1 : 0;
            stemBlock.add(new InvertedResidualBlock(width, first, 1, 1 + halvings));
            stem = child("stem", stemBlock, 3);
            // per stage: {output channels, blocks} groups, the first block of each stage with stride 2 (but the
            // first stage's when the stem already reached stride 4)
            int[][][] stages = {{{w[0], 2}}, {{w[1], 3}}, {{scaled(64, width), 4}, {w[2], 3}}};
            encoder = new Block[3];
            int in = first;
            for (int s = 0; s < 3; s++) {
                int stageIn = in;
                SequentialBlock stage = new SequentialBlock();
                int stride = s == 0 && halvings == 1 ? 1 : 2;
                for (int[] group : stages[s]) {
                    for (int b = 0; b < group[1]; b++) {
                        stage.add(new InvertedResidualBlock(in, group[0], expansion,
                                stage.getChildren().isEmpty() ? stride : 1));
                        in = group[0];
                    }
                }
                encoder[s] = child("encoder" + (s + 1), new StageBlock(stage, stageIn, w[s], stride), stageIn);
            }
        } else {
            stem = child("stem", Layers.convBn(width, 7, 2, 1, true)
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1))), 3);
            w = new int[] {width, 2 * width, 4 * width, 8 * width};
            encoder = new Block[4];
            int in = width;
            for (int s = 0; s < 4; s++) {
                SequentialBlock stage = new SequentialBlock()
                        .add(new ResidualBlock(in, w[s], s == 0 ? 1 : 2))
                        .add(new ResidualBlock(w[s], w[s], 1));
                encoder[s] = child("encoder" + (s + 1), new StageBlock(stage, in, w[s], s == 0 ? 1 : 2), in);
                in = w[s];
            }
        }
        // decoder[2] produces stride 16 (level 3) from the deepest stage; decoder[0] produces stride 4.
        for (int lvl = 2; lvl >= 0; lvl--) {
            int deeper = w[Math.min(lvl + 1, w.length - 1)];
            int stageIn = deeper + (skipsInto(lvl) ? w[lvl] : 0);
            SequentialBlock stage = new SequentialBlock().add(decoderBlock(invertedResidual, stageIn, w[lvl], expansion));
            for (int b = 1; b < decoderBlocks; b++) {
                stage.add(decoderBlock(invertedResidual, w[lvl], w[lvl], expansion));
            }
            decoder[lvl] = child("decoder" + (lvl + 1), new StageBlock(stage, stageIn, w[lvl], 1), stageIn);
            projections[lvl] = child("project" + (lvl + 1), Layers.conv(levelChannels[lvl], 1), w[lvl]);
            if (decoupled) {
                heads[lvl] = child("decouple" + (lvl + 1), new DecouplingHead(levelChannels[lvl]), levelChannels[lvl]);
            }
        }
    }

    /** @return MobileNetV2's channel count {@code base} scaled by {@code width / 32}, at least 4 */
    private static int scaled(int base, int width) {
        return Math.max(4, Math.round(base * width / 32f));
    }

    /** Whether level {@code lvl}'s decoder stage also reads the encoder's stage at its stride. */
    private boolean skipsInto(int lvl) {
        // the inverted residual encoder ends at stride 16: its deepest stage already is level 3's input
        return skips && lvl + 1 < encoder.length;
    }

    private static Block decoderBlock(boolean invertedResidual, int in, int out, int expansion) {
        return invertedResidual ? new InvertedResidualBlock(in, out, expansion, 1) : new ResidualBlock(in, out, 1);
    }

    /**
     * Builds the student that {@code settings} describe.
     *
     * @param settings      model settings
     * @param levelChannels teacher level channels
     * @return the (uninitialised) student
     */
    public static DecoupledStudent of(DmddSettings settings, int[] levelChannels) {
        return new DecoupledStudent(levelChannels, settings.studentEncoder(), settings.studentWidth(),
                settings.decoderBlocks(), settings.studentExpansion(), settings.studentStemStride(),
                settings.studentSkips(), settings.isDmdd());
    }

    /** @return whether the student has separate normality and abnormality branches */
    public boolean decoupled() {
        return decoupled;
    }

    /** @return teacher channels of the three levels */
    public int[] levelChannels() {
        return levelChannels.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = forwardChild(stem, ps, ChannelsLast.of(inputs.singletonOrThrow()), training);
        NDArray[] enc = new NDArray[encoder.length];
        for (int s = 0; s < encoder.length; s++) {
            x = forwardChild(encoder[s], ps, x, training);
            enc[s] = x;
        }
        NDArray[] levels = new NDArray[3];
        for (int lvl = 2; lvl >= 0; lvl--) {
            Shape target = enc[lvl].getShape();
            NDArray up = BilinearResize.upsample(x, target.get(2), target.get(3));
            if (skipsInto(lvl)) {
                up = up.concat(enc[lvl], 1);
            }
            x = forwardChild(decoder[lvl], ps, up, training);
            levels[lvl] = forwardChild(projections[lvl], ps, x, training);
        }
        if (!decoupled) {
            return new NDList(levels);
        }
        List<NDArray> normal = new ArrayList<>(3);
        List<NDArray> abnormal = new ArrayList<>(3);
        for (int lvl = 0; lvl < 3; lvl++) {
            NDList split = heads[lvl].forward(ps, new NDList(levels[lvl]), training);
            normal.add(split.get(0));
            abnormal.add(split.get(1));
        }
        NDList out = new NDList(6);
        out.addAll(normal);
        out.addAll(abnormal);
        return out;
    }

    @Override
    public long forwardFlops(Shape... inputShapes) {
        long total = FlopCounter.forward(stem, inputShapes);
        Shape[] x = stem.getOutputShapes(inputShapes);
        Shape[] enc = new Shape[encoder.length];
        for (int s = 0; s < encoder.length; s++) {
            total += FlopCounter.forward(encoder[s], x);
            x = encoder[s].getOutputShapes(x);
            enc[s] = x[0];
        }
        for (int lvl = 2; lvl >= 0; lvl--) {
            long channels = x[0].get(1) + (skipsInto(lvl) ? enc[lvl].get(1) : 0);
            Shape up = new Shape(enc[lvl].get(0), channels, enc[lvl].get(2), enc[lvl].get(3));
            total += FlopCounter.forward(decoder[lvl], up);
            x = decoder[lvl].getOutputShapes(new Shape[] {up});
            total += FlopCounter.forward(projections[lvl], x);
            if (decoupled) {
                total += FlopCounter.forward(heads[lvl], projections[lvl].getOutputShapes(x));
            }
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int n = decoupled ? 6 : 3;
        Shape[] out = new Shape[n];
        for (int i = 0; i < n; i++) {
            int lvl = i % 3;
            long stride = 4L << lvl;
            out[i] = new Shape(in.get(0), levelChannels[lvl], in.get(2) / stride, in.get(3) / stride);
        }
        return out;
    }

    /** A sequential stage registered with its channel counts (so it can be initialised alone). */
    private static final class StageBlock extends ComposedBlock {
        private final Block stage;
        private final int outChannels;
        private final int stride;

        StageBlock(SequentialBlock stage, int inChannels, int outChannels, int stride) {
            this.stage = child("blocks", stage, inChannels);
            this.outChannels = outChannels;
            this.stride = stride;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return stage.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape in = inputShapes[0];
            return new Shape[] {new Shape(in.get(0), outChannels, in.get(2) / stride, in.get(3) / stride)};
        }
    }
}
