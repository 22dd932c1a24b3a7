package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.FoldedConvolution;
import dmdd.model.engine.FusedConvolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * A frozen teacher as the engine runs it: the same function as its blocks with fewer passes over the
 * activations. A teacher never trains and its batch norm always uses the running statistics, so each
 * convolution and the batch norm after it become one convolution with scaled weights and a bias, and the
 * one-row, one-column zero padding Keras puts before a stride-2 3x3 convolution becomes a 4x4 kernel with a
 * zero first row and column under a symmetric padding of 1 (the same windows, no padded copy of the
 * input). Everything else (activations, pooling, the classifier) runs as the original block.
 *
 * <p>The folded weights are computed from the parameters' values when this is built: rebuild after loading
 * other weights ({@link BackboneBlock} does). The features agree with the blocks' to float rounding (within
 * 1e-5 of their range, {@code FoldedBackboneTest}); on this 2-core CPU the MobileNetV2 teacher takes about a
 * third less time at 256 px (README, "Speed").
 */
final class FoldedBackbone implements AutoCloseable {
    private final NDManager manager;
    private final List<UnaryOperator<NDArray>> stages;

    private FoldedBackbone(NDManager manager, List<UnaryOperator<NDArray>> stages) {
        this.manager = manager;
        this.stages = stages;
    }

    /**
     * Folds a teacher's stages.
     *
     * @param stages    the stages in order (each yields one output)
     * @param epsilons  the epsilon of every batch norm in them
     * @param weights   the manager of the teacher's parameters (the folded weights live in a sub-manager)
     * @return the folded teacher
     */
    static FoldedBackbone fold(List<Block> stages, Map<BatchNorm, Float> epsilons, NDManager weights) {
        NDManager manager = weights.newSubManager();
        try {
            FusedConvolution.Fusion fusion = FusedConvolution.fusion(stages.toArray(Block[]::new));
            List<UnaryOperator<NDArray>> folded = new ArrayList<>(stages.size());
            for (Block stage : stages) {
                folded.add(fold(stage, epsilons::get, fusion, manager));
            }
            return new FoldedBackbone(manager, List.copyOf(folded));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Runs the folded stages.
     *
     * @param input N x 3 x H x W, normalised as the teacher expects
     * @return one output per stage
     */
    NDList forward(NDArray input) {
        NDList out = new NDList(stages.size());
        NDArray x = input;
        for (UnaryOperator<NDArray> stage : stages) {
            x = stage.apply(x);
            out.add(x);
        }
        return out;
    }

    /** Frees the folded weights. */
    @Override
    public void close() {
        manager.close();
    }

    /** @param fusion decides whether convolutions followed by an activation run fused with it */
    private static UnaryOperator<NDArray> fold(Block block, ToDoubleFunction<BatchNorm> epsilon,
            FusedConvolution.Fusion fusion, NDManager manager) {
        if (block instanceof SequentialBlock sequence) {
            return sequence(sequence.getChildren().values(), epsilon, fusion, manager);
        }
        if (block instanceof ResidualBlock residual) {
            UnaryOperator<NDArray> body = fold(residual.body(), epsilon, fusion, manager);
            UnaryOperator<NDArray> shortcut = residual.shortcut() == null ? null
                    : fold(residual.shortcut(), epsilon, fusion, manager);
            return x -> residual.join(body.apply(x), shortcut == null ? x : shortcut.apply(x));
        }
        if (block instanceof Conv2d conv) {
            return FoldedConvolution.of(conv, null, 0f, false, manager);
        }
        if (block instanceof Op op) {
            return op::apply;
        }
        // pooling, the classifier's dense layers: as they are
        return x -> block.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow();
    }

    private static UnaryOperator<NDArray> sequence(List<Block> children, ToDoubleFunction<BatchNorm> epsilon,
            FusedConvolution.Fusion fusion, NDManager manager) {
        List<UnaryOperator<NDArray>> steps = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            boolean padded = child instanceof Op op && op.padsBottomRight()
                    && i + 1 < children.size() && children.get(i + 1) instanceof Conv2d next && isStride2By3(next);
            if (padded) {
                child = children.get(++i);
            }
            if (child instanceof Conv2d conv) {
                BatchNorm norm = i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm bn ? bn : null;
                if (norm != null) {
                    i++;
                }
                float eps = norm == null ? 0f : (float) epsilon.applyAsDouble(norm);
                FoldedConvolution.Folded folded = FoldedConvolution.fold(conv, norm, eps, padded, manager);
                if (i + 1 < children.size() && children.get(i + 1) instanceof Op op && op.activation() != null) {
                    steps.add(fusion.of(folded, op.activation(), op::apply, manager));
                    i++;
                } else {
                    steps.add(fusion.alone(folded));
                }
            } else {
                steps.add(fold(child, epsilon, fusion, manager));
            }
        }
        return x -> {
            NDArray y = x;
            for (UnaryOperator<NDArray> step : steps) {
                y = step.apply(y);
            }
            return y;
        };
    }

    private static boolean isStride2By3(Conv2d conv) {
        return conv.getKernelShape().equals(new Shape(3, 3)) && conv.getStride().equals(new Shape(2, 2))
                && conv.getPadding().equals(new Shape(0, 0)) && conv.getDilation().equals(new Shape(1, 1));
    }
}
