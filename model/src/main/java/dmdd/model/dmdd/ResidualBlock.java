package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet's basic block: two 3x3 convolutions with batch norm and a shortcut (a strided 1x1
 * convolution when the size or width changes), then ReLU.
 */
public final class ResidualBlock extends ComposedBlock {
    private final int outChannels;
    private final int stride;
    private final Block body;
    private final Block shortcut;

    /**
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param stride      1, or 2 to halve the size
     */
    public ResidualBlock(int inChannels, int outChannels, int stride) {
        this.outChannels = outChannels;
        this.stride = stride;
        body = child("body", Layers.convBn(outChannels, 3, stride, 1, true)
                .add(Layers.convBn(outChannels, 3, 1, 1, false)), inChannels);
        shortcut = stride != 1 || inChannels != outChannels
                ? child("shortcut", Layers.convBn(outChannels, 1, stride, 1, false), inChannels)
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = forwardChild(body, ps, inputs.singletonOrThrow(), training);
        NDArray s = shortcut == null ? x : forwardChild(shortcut, ps, inputs.singletonOrThrow(), training);
        return new NDList(Activation.relu(y.add(s)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {stridedShape(inputShapes[0], outChannels, stride)};
    }
}
