package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.FusedConvolution;

import java.util.function.UnaryOperator;

/**
 * A parameter-free step of a backbone (an activation, a padding, a pooling) with its output shape
 * given explicitly, so that initialising a network never has to run the step on dummy arrays.
 */
final class Op extends AbstractBlock {
    private final UnaryOperator<NDArray> function;
    private final UnaryOperator<Shape> shapeFunction;
    private final boolean padsBottomRight;
    private final FusedConvolution.Activation activation;

    private Op(UnaryOperator<NDArray> function, UnaryOperator<Shape> shapeFunction) {
        this(function, shapeFunction, false, null);
    }

    private Op(UnaryOperator<NDArray> function, UnaryOperator<Shape> shapeFunction, boolean padsBottomRight,
            FusedConvolution.Activation activation) {
        this.function = function;
        this.shapeFunction = shapeFunction;
        this.padsBottomRight = padsBottomRight;
        this.activation = activation;
    }

    /** @return the activation this step is, which {@link FoldedBackbone} fuses with a convolution before it, or null */
    FusedConvolution.Activation activation() {
        return activation;
    }

    /** @return whether this step is {@link #padBottomRight()} (which {@link FoldedBackbone} folds into a kernel) */
    boolean padsBottomRight() {
        return padsBottomRight;
    }

    /**
     * Applies the step to one array.
     *
     * @param x the input
     * @return the output
     */
    NDArray apply(NDArray x) {
        return function.apply(x);
    }

    /** @return ReLU */
    static Op relu() {
        return new Op(x -> x.maximum(0f), s -> s, false, FusedConvolution.Activation.RELU);
    }

    /** @return ReLU6, min(max(x, 0), 6), as in Keras MobileNetV2 */
    static Op relu6() {
        return new Op(x -> x.clip(0f, 6f), s -> s, false, FusedConvolution.Activation.RELU6);
    }

    /**
     * Zero padding of one row at the bottom and one column at the right: what TensorFlow's "same"
     * padding does for a stride-2 3x3 kernel on an even-sized input, and what the Keras
     * MobileNetV2 topology spells out as {@code ZeroPadding2D(((0, 1), (0, 1)))}.
     *
     * @return the padding step
     */
    static Op padBottomRight() {
        // torch.nn.functional.pad order: (left, right) of the last axis, then (top, bottom).
        return new Op(x -> x.pad(new Shape(0, 1, 0, 1), 0.0),
                s -> new Shape(s.get(0), s.get(1), s.get(2) + 1, s.get(3) + 1), true, null);
    }

    /** @return global average pooling, N x C x H x W to N x C */
    static Op globalAveragePool() {
        // One axis at a time: the PyTorch engine averages over a single axis per call.
        return new Op(x -> x.mean(new int[] {3}).mean(new int[] {2}), s -> new Shape(s.get(0), s.get(1)));
    }

    /** @return softmax over the last axis */
    static Op softmax() {
        return new Op(x -> x.softmax(-1), s -> s);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(function.apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {shapeFunction.apply(inputShapes[0])};
    }
}
