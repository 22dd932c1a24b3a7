package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MobileNetV2's inverted residual block: a 1x1 convolution widens the input by an expansion factor, a 3x3
 * depthwise convolution filters each widened channel, a 1x1 convolution projects to the output width (no
 * activation after it), each with batch norm; the input is added back when size and width stay the same. A
 * fraction of a residual block's operations for the same width, which is why the quality issue's PyTorch
 * reference builds its student from it.
 */
public final class InvertedResidualBlock extends ComposedBlock {
    private final int outChannels;
    private final int stride;
    private final boolean residual;
    private final Block body;

    /**
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param expansion   how many times wider the depthwise stage is than the input (1: no widening convolution)
     * @param stride      1, or 2 to halve the size
     */
    public InvertedResidualBlock(int inChannels, int outChannels, int expansion, int stride) {
        if (expansion < 1) {
            throw new IllegalArgumentException("expansion must be at least 1: " + expansion);
        }
        this.outChannels = outChannels;
        this.stride = stride;
        this.residual = stride == 1 && inChannels == outChannels;
        int hidden = inChannels * expansion;
        // one flat sequence, so that FoldedBatchNorms folds all three batch norms into their convolutions
        SequentialBlock sequence = new SequentialBlock();
        if (expansion > 1) {
            sequence.addAll(Layers.convBn(hidden, 1, 1, 1, true).getChildren().values());
        }
        sequence.addAll(Layers.depthwiseConvBn(hidden, stride).getChildren().values());
        sequence.addAll(Layers.convBn(outChannels, 1, 1, 1, false).getChildren().values());
        body = child("body", sequence, inChannels);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = forwardChild(body, ps, x, training);
        return new NDList(residual ? y.add(x) : y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {stridedShape(inputShapes[0], outChannels, stride)};
    }
}
