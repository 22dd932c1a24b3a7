package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code body(x) + shortcut(x)}, optionally followed by ReLU: torchvision's BasicBlock and
 * Bottleneck (ReLU after the sum, a 1x1 convolution shortcut when the shape changes) and Keras
 * MobileNetV2's inverted residual (identity shortcut, no activation after the sum).
 */
final class ResidualBlock extends AbstractBlock {
    private final Block body;
    private final Block shortcut;
    private final boolean reluAfterSum;

    /**
     * @param body         the main path
     * @param shortcut     the shortcut path, or {@code null} for the identity
     * @param reluAfterSum whether ReLU follows the sum
     */
    ResidualBlock(Block body, Block shortcut, boolean reluAfterSum) {
        this.body = addChildBlock("body", body);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
        this.reluAfterSum = reluAfterSum;
    }

    /** @return the main path */
    Block body() {
        return body;
    }

    /** @return the shortcut path, or {@code null} for the identity */
    Block shortcut() {
        return shortcut;
    }

    /**
     * Joins the two paths: their sum, then ReLU if this block has it.
     *
     * @param main the main path's output
     * @param skip the shortcut's output (the input for the identity)
     * @return the block's output
     */
    NDArray join(NDArray main, NDArray skip) {
        NDArray sum = main.add(skip);
        return reluAfterSum ? sum.maximum(0f) : sum;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray main = body.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray skip = shortcut == null ? x
                : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(join(main, skip));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
