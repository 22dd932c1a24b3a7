package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A block made of child blocks whose parameter shapes depend only on their input channel count.
 * Each child is registered with that count, so initialisation needs no shape inference through
 * the (branching) forward pass: children are initialised with a dummy 1 x C x 32 x 32 input.
 */
abstract class ComposedBlock extends AbstractBlock {
    private static final long DUMMY_SIDE = 32;
    private final Map<Block, Integer> inputChannels = new IdentityHashMap<>();

    ComposedBlock() {
        super((byte) 1);
    }

    /**
     * Registers a child block.
     *
     * @param name          child name (part of every parameter name below it)
     * @param block         the block
     * @param inputChannels channels the block receives
     * @return the block
     */
    protected final <B extends Block> B child(String name, B block, int inputChannels) {
        addChildBlock(name, block);
        this.inputChannels.put(block, inputChannels);
        return block;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : children.values()) {
            b.initialize(manager, dataType, new Shape(1, inputChannels.get(b), DUMMY_SIDE, DUMMY_SIDE));
        }
    }

    /**
     * The output shape of a block that maps an N x C x H x W input to {@code channels} channels with a stride (a
     * padded 3x3 convolution's rounding: the size divided by the stride, rounded up).
     *
     * @param in       the input shape
     * @param channels output channels
     * @param stride   the block's stride
     * @return the output shape
     */
    static Shape stridedShape(Shape in, long channels, int stride) {
        return new Shape(in.get(0), channels, (in.get(2) + stride - 1) / stride, (in.get(3) + stride - 1) / stride);
    }

    /**
     * Forwards one child block whose output is a single array: with a {@link FoldedBatchNorms} store, the child's
     * folded form when it has one for this kind of forward (inference, or training with frozen batch-norm
     * statistics), else the child itself. Every composed network forwards its children through here, so a folded
     * store reaches every level.
     *
     * @param child    the child
     * @param ps       the parameter store of this forward
     * @param x        the child's input
     * @param training whether this is a training forward
     * @return the child's output
     */
    static NDArray forwardChild(Block child, ParameterStore ps, NDArray x, boolean training) {
        UnaryOperator<NDArray> folded = FoldedBatchNorms.lookup(ps, child, training);
        if (folded != null) {
            return folded.apply(x);
        }
        return child.forward(ps, new NDList(x), training).singletonOrThrow();
    }
}
