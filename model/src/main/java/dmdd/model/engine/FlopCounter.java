package dmdd.model.engine;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Counts the floating-point operations of a network's forward pass from its structure and an input
 * shape: a multiply-add is two operations; convolutions and dense layers are counted, element-wise
 * steps (batch norm, activations, resizing) are not, as is usual (they are a few percent).
 *
 * <p>Why a count at all: measured time alone cannot say whether a network is slow because it has
 * much to compute or because the engine computes it badly; the count over the time (GFLOP/s) set
 * against what the same engine achieves on one large convolution says which.
 *
 * <p>Blocks are walked as follows: a convolution or dense layer is counted; a {@link SequentialBlock}
 * chains its children's output shapes; a block that knows its own data flow implements
 * {@link Counted}; any other block with children passes its own input to each child (true of the
 * residual blocks and heads in this project); a block without children counts nothing.
 */
public final class FlopCounter {
    private FlopCounter() {
    }

    /** A block whose children do not all see the block's input: it counts itself. */
    public interface Counted {
        /**
         * @param inputShapes the shapes of the block's inputs
         * @return floating-point operations of one forward pass over those inputs
         */
        long forwardFlops(Shape... inputShapes);
    }

    /**
     * @param block       an initialised block
     * @param inputShapes its input shapes (the batch size included)
     * @return floating-point operations of one forward pass
     */
    public static long forward(Block block, Shape... inputShapes) {
        if (block instanceof Counted counted) {
            return counted.forwardFlops(inputShapes);
        }
        if (block instanceof Convolution) {
            Shape out = block.getOutputShapes(inputShapes)[0];
            long outputPositions = out.size() / out.get(1); // N x H x W
            // weight: out channels x (in channels / groups) x kernel: one multiply-add per element and position
            return 2 * parameterSize(block, "weight") * outputPositions;
        }
        if (block instanceof Linear) {
            Shape in = inputShapes[0];
            long rows = in.size() / in.get(in.dimension() - 1);
            return 2 * parameterSize(block, "weight") * rows;
        }
        if (block instanceof SequentialBlock) {
            long total = 0;
            Shape[] x = inputShapes;
            for (Block child : block.getChildren().values()) {
                total += forward(child, x);
                x = child.getOutputShapes(x);
            }
            return total;
        }
        long total = 0;
        for (Block child : block.getChildren().values()) {
            total += forward(child, inputShapes);
        }
        return total;
    }

    private static long parameterSize(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || p.getArray() == null) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " has no initialised " + name);
        }
        return p.getArray().getShape().size();
    }
}
