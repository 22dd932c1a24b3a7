package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.FoldedConvolution;
import dmdd.model.engine.FusedConvolution;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Trained networks as inference runs them: every convolution followed by a batch norm becomes one convolution
 * with scaled weights and a bias (batch norm in inference is a fixed per-channel affine map), which saves a pass
 * over each activation. Built from the weights as they are now, so it is only valid while they do not change:
 * for a loaded model, for one inspection call on live networks, for the frozen student of the segmentation
 * stage. Used through {@link #parameterStore}: a {@link ComposedBlock} forwarding a child in inference with
 * that store runs the child's folded form; training forwards never do, except with the forms of {@link #trainable},
 * which fold at every call and serve training forwards only (the student's frozen batch-norm statistics).
 *
 * <p>Folding changes the maps by float rounding only (within 2e-5 of their range, {@code FoldedBatchNormsTest});
 * whoever uses it uses it for every map of the model it serves, so thresholds and scores stay consistent.
 */
public final class FoldedBatchNorms implements AutoCloseable {
    private final NDManager manager;
    private final Map<Block, UnaryOperator<NDArray>> folded = new IdentityHashMap<>();
    /** The folded first convolution of each folded sequence that starts with a convolution and its batch norm. */
    private final Map<Block, FoldedConvolution.Folded> firstConvolutions = new IdentityHashMap<>();

    /** Whether the folds are made at every call from the live parameters (training with frozen statistics). */
    private final boolean trainable;
    /** Whether the convolutions followed by a ReLU run fused with it ({@code null} for the trainable forms). */
    private final FusedConvolution.Fusion fusion;

    private FoldedBatchNorms(NDManager manager, boolean trainable, FusedConvolution.Fusion fusion) {
        this.manager = manager;
        this.trainable = trainable;
        this.fusion = fusion;
    }

    /**
     * Training forwards with frozen batch-norm statistics: every convolution followed by a batch norm runs as one
     * convolution folded at each call from the live parameters ({@link FoldedConvolution#applyTrainable}), so
     * gradients reach the convolution's weights and the norm's scale and shift while the running statistics stay
     * as they are. The same function as the blocks in inference, one pass over each activation instead of the
     * norm's passes forward and back. Folds nothing ahead: it holds no arrays and stays valid as the weights change.
     *
     * @param networks the networks
     * @return the forms; their {@link #parameterStore} makes training forwards use them
     */
    public static FoldedBatchNorms trainable(Block... networks) {
        FoldedBatchNorms out = new FoldedBatchNorms(null, true, null);
        for (Block network : networks) {
            out.collect(network, false);
        }
        return out;
    }

    /**
     * Folds the batch norms of networks.
     *
     * @param device   a manager on the networks' device (the folded weights live in a sub-manager of it)
     * @param networks the networks (nulls are skipped)
     * @return the folded forms; close to free them
     */
    public static FoldedBatchNorms of(NDManager device, Block... networks) {
        FoldedBatchNorms out = new FoldedBatchNorms(device.newSubManager(), false, FusedConvolution.fusion(networks));
        try {
            for (Block network : networks) {
                if (network != null) {
                    out.collect(network, false);
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * A parameter store that makes forwards in inference use these folded forms.
     *
     * @param manager the manager of the call's arrays
     * @return the store
     */
    public ParameterStore parameterStore(NDManager manager) {
        return new Store(manager, this);
    }

    /** @return how many sequences of blocks were folded (a network without batch norms has none) */
    public int size() {
        return folded.size();
    }

    /** @return how many folded convolutions run fused with the ReLU after them ({@link FusedConvolution}) */
    public int fused() {
        return fusion == null ? 0 : fusion.fused();
    }

    /**
     * The folded form of a child block for a forward with {@code store}, if there is one: the folded weights of
     * {@link #of} in inference forwards, the folds of {@link #trainable} in training forwards.
     *
     * @param store    the store the forward received
     * @param child    the child block
     * @param training whether the forward is a training one
     * @return its folded form, or {@code null}: run the block itself
     */
    static UnaryOperator<NDArray> lookup(ParameterStore store, Block child, boolean training) {
        return store instanceof Store s && s.folded.trainable == training ? s.folded.folded.get(child) : null;
    }

    /**
     * The folded first convolution (with its batch norm) of a sequence, for a forward that runs the sequence's
     * arithmetic in another order ({@link MultiPerceptionSegmenter} reduces its groups one by one).
     *
     * @param store    the store the forward received
     * @param sequence a sequence block that starts with a convolution and its batch norm
     * @return its folded first convolution as folded when these forms were made, or {@code null}: run the blocks
     */
    static FoldedConvolution.Folded firstConvolution(ParameterStore store, Block sequence) {
        return store instanceof Store s && !s.folded.trainable ? s.folded.firstConvolutions.get(sequence) : null;
    }

    /** Frees the folded weights (the trainable forms have none). */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /**
     * Folds every sequence a composed block forwards as a child. A sequence nested in a folded one is folded
     * inline with it ({@link #sequence}), so it is not folded again; the composed blocks inside are reached
     * through {@link ComposedBlock#forwardChild} and need their own sequences folded.
     */
    private void collect(Block block, boolean inlined) {
        boolean folds = !inlined && block instanceof SequentialBlock sequence && hasConvolutionWithBatchNorm(sequence);
        if (folds) {
            folded.put(block, sequence(block.getChildren().values(), block));
        }
        for (Block child : block.getChildren().values()) {
            collect(child, child instanceof SequentialBlock && (folds || inlined));
        }
    }

    private static boolean hasConvolutionWithBatchNorm(SequentialBlock sequence) {
        List<Block> children = sequence.getChildren().values();
        for (int i = 0; i + 1 < children.size(); i++) {
            if (children.get(i) instanceof Conv2d && children.get(i + 1) instanceof BatchNorm) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param owner the sequence whose children these are, or {@code null} for a nested one (its first folded
     *              convolution is recorded for {@link #firstConvolution})
     */
    private UnaryOperator<NDArray> sequence(List<Block> children, Block owner) {
        List<UnaryOperator<NDArray>> steps = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            if (child instanceof Conv2d conv && i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm bn) {
                if (trainable) {
                    steps.add(x -> FoldedConvolution.applyTrainable(conv, bn, Layers.BATCH_NORM_EPSILON, x));
                } else {
                    FoldedConvolution.Folded f = FoldedConvolution.fold(conv, bn, Layers.BATCH_NORM_EPSILON, false,
                            manager);
                    if (i == 0 && owner != null) {
                        firstConvolutions.put(owner, f);
                    }
                    if (i + 2 < children.size() && Layers.isRelu(children.get(i + 2))) {
                        Block relu = children.get(i + 2);
                        steps.add(fusion.of(f, FusedConvolution.Activation.RELU,
                                y -> ComposedBlock.forwardChild(relu, new Store(y.getManager(), this), y, false),
                                manager));
                        i++;
                    } else {
                        steps.add(fusion.alone(f));
                    }
                }
                i++;
            } else if (child instanceof SequentialBlock nested) {
                steps.add(sequence(nested.getChildren().values(), null));
            } else {
                steps.add(x -> ComposedBlock.forwardChild(child, new Store(x.getManager(), this), x, trainable));
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

    /** The store that carries the folded forms down the forward calls. */
    private static final class Store extends ParameterStore {
        private final FoldedBatchNorms folded;

        Store(NDManager manager, FoldedBatchNorms folded) {
            super(manager, false);
            this.folded = folded;
        }
    }
}
