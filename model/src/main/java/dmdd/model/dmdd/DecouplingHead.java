package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DMDD's decoupling of one student level: a 1x1 convolution expands C channels to 2C, which are
 * split into the normality features (first C) and the abnormality features (last C).
 */
public final class DecouplingHead extends ComposedBlock {
    private final int channels;
    private final Block expand;

    /** @param channels C, the teacher's channel count at this level */
    public DecouplingHead(int channels) {
        this.channels = channels;
        expand = child("expand", Layers.conv(2 * channels, 1), channels);
    }

    /** Returns {@code [normality, abnormality]}, each N x C x H x W. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray both = forwardChild(expand, ps, inputs.singletonOrThrow(), training);
        return both.split(new long[] {channels}, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), channels, in.get(2), in.get(3));
        return new Shape[] {out, out};
    }
}
