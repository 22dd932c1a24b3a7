package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.BilinearResize;
import dmdd.model.engine.FlopCounter;

/**
 * AAND's student (reverse distillation, RD4AD's layout scaled for a CPU): the (amplified) teacher levels at strides
 * 4, 8 and 16 are brought to stride 16 and fused into a compact bottleneck at stride 32 (the one-class bottleneck
 * that lets normal patterns through and loses what it never saw); a decoder upsamples it back to strides 16, 8 and 4
 * and rebuilds each level with the teacher's channel count.
 *
 * <p>Input: the three teacher levels; output: {@code [s1, s2, s3]} with their shapes.
 */
public final class ReverseDistillationStudent extends ComposedBlock implements FlopCounter.Counted {
    private final int[] levelChannels;
    private final int[] widths;
    private final Block[] squeeze = new Block[3];
    private final Block bottleneck;
    private final Block[] decoder = new Block[3];
    private final Block[] projections = new Block[3];

    /**
     * @param levelChannels   the teacher's channels per level
     * @param width           channels of the finest decoder stage (the others use 2x and 4x)
     * @param bottleneckWidth channels of the compact bottleneck
     * @param decoderBlocks   residual blocks per decoder stage
     */
    public ReverseDistillationStudent(int[] levelChannels, int width, int bottleneckWidth, int decoderBlocks) {
        this.levelChannels = levelChannels.clone();
        this.widths = new int[] {width, 2 * width, 4 * width};
        int fused = 2 * width;
        // each level to stride 16 with `fused` channels: two, one and no stride-2 convolutions
        squeeze[0] = child("squeeze1", Layers.convBn(fused, 3, 2, 1, true).add(Layers.convBn(fused, 3, 2, 1, true)),
                levelChannels[0]);
        squeeze[1] = child("squeeze2", Layers.convBn(fused, 3, 2, 1, true), levelChannels[1]);
        squeeze[2] = child("squeeze3", Layers.convBn(fused, 1, 1, 1, true), levelChannels[2]);
        bottleneck = child("bottleneck", new ResidualBlock(3 * fused, bottleneckWidth, 2), 3 * fused);
        int in = bottleneckWidth;
        for (int lvl = 2; lvl >= 0; lvl--) {
            SequentialBlock stage = new SequentialBlock().add(new ResidualBlock(in, widths[lvl], 1));
            for (int b = 1; b < decoderBlocks; b++) {
                stage.add(new ResidualBlock(widths[lvl], widths[lvl], 1));
            }
            decoder[lvl] = child("decoder" + (lvl + 1), stage, in);
            projections[lvl] = child("project" + (lvl + 1), Layers.conv(levelChannels[lvl], 1), widths[lvl]);
            in = widths[lvl];
        }
    }

    /**
     * @param settings      model settings
     * @param levelChannels the teacher's channels per level
     * @return the student those settings describe
     */
    public static ReverseDistillationStudent of(DmddSettings settings, int[] levelChannels) {
        return new ReverseDistillationStudent(levelChannels, settings.studentWidth(), settings.bottleneckWidth(),
                settings.decoderBlocks());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray[] parts = new NDArray[3];
        for (int l = 0; l < 3; l++) {
            parts[l] = forwardChild(squeeze[l], ps, inputs.get(l), training);
        }
        NDArray x = forwardChild(bottleneck, ps, parts[0].concat(parts[1], 1).concat(parts[2], 1), training);
        NDArray[] levels = new NDArray[3];
        for (int lvl = 2; lvl >= 0; lvl--) {
            Shape target = inputs.get(lvl).getShape();
            NDArray up = BilinearResize.upsample(x, target.get(2), target.get(3));
            x = forwardChild(decoder[lvl], ps, up, training);
            levels[lvl] = forwardChild(projections[lvl], ps, x, training);
        }
        return new NDList(levels);
    }

    @Override
    public long forwardFlops(Shape... inputShapes) {
        long total = 0;
        for (int l = 0; l < 3; l++) {
            total += FlopCounter.forward(squeeze[l], inputShapes[l]);
        }
        Shape s16 = inputShapes[2];
        Shape fused = new Shape(s16.get(0), 6L * widths[0], s16.get(2), s16.get(3));
        total += FlopCounter.forward(bottleneck, fused);
        Shape[] x = bottleneck.getOutputShapes(new Shape[] {fused});
        for (int lvl = 2; lvl >= 0; lvl--) {
            Shape t = inputShapes[lvl];
            Shape up = new Shape(t.get(0), x[0].get(1), t.get(2), t.get(3));
            total += FlopCounter.forward(decoder[lvl], up);
            x = decoder[lvl].getOutputShapes(new Shape[] {up});
            total += FlopCounter.forward(projections[lvl], x);
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }
}
