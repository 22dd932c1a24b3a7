package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.ChannelPaddedConvolution;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.BackboneKind;

/**
 * A random-init stand-in teacher for fast tests: three strided convolutions giving levels at
 * strides 4, 8 and 16 with MobileNetV2's channel counts. Not an ImageNet network, so it proves
 * plumbing and determinism, not detection quality.
 */
public final class TinyBackbone extends AbstractBlock implements Backbone {
    private final Block level1;
    private final Block level2;
    private final Block level3;

    /** Creates the block; call {@link #create(NDManager)} for an initialised one. */
    public TinyBackbone() {
        int[] c = BackboneKind.MOBILENET_V2.levelChannels();
        level1 = addChildBlock("level1", conv(c[0], 4));
        level2 = addChildBlock("level2", conv(c[1], 2));
        level3 = addChildBlock("level3", conv(c[2], 2));
    }

    /**
     * @param manager where the weights live
     * @return an initialised, frozen tiny teacher (fixed seed)
     */
    public static TinyBackbone create(NDManager manager) {
        manager.getEngine().setRandomSeed(7);
        TinyBackbone b = new TinyBackbone();
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        b.freezeParameters(true);
        return b;
    }

    private static Block conv(int out, int stride) {
        return new ChannelPaddedConvolution.Conv2d(Conv2d.builder().setKernelShape(new Shape(stride + 1, stride + 1))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(stride / 2, stride / 2)).setFilters(out));
    }

    @Override
    public BackboneKind kind() {
        return BackboneKind.MOBILENET_V2;
    }

    @Override
    public NDArray normalize(NDArray rgb01) {
        return rgb01.sub(0.5f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray a = Activation.relu(level1.forward(ps, inputs, training).singletonOrThrow());
        NDArray b = Activation.relu(level2.forward(ps, new NDList(a), training).singletonOrThrow());
        NDArray c = level3.forward(ps, new NDList(b), training).singletonOrThrow();
        return new NDList(a, b, c);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (Block b : new Block[] {level1, level2, level3}) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(new Shape[] {s})[0];
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int[] c = kind().levelChannels();
        return new Shape[] {new Shape(in.get(0), c[0], in.get(2) / 4, in.get(3) / 4),
            new Shape(in.get(0), c[1], in.get(2) / 8, in.get(3) / 8),
            new Shape(in.get(0), c[2], in.get(2) / 16, in.get(3) / 16)};
    }
}
