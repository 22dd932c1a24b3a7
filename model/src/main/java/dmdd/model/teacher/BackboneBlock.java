package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.ChannelPaddedConvolution;
import dmdd.model.engine.ChannelsLast;
import dmdd.model.engine.FlopCounter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Common frame of the teacher networks: a chain of stages whose outputs are the three feature
 * levels (strides 4, 8, 16), optionally followed by a classifier stage whose output is appended
 * as a fourth entry. Every parameter is registered under the tensor name it has in the weights
 * file (see {@link #namedTensors()}), which is how {@link TeacherWeights} fills the network.
 */
public abstract class BackboneBlock extends AbstractBlock implements Backbone, FlopCounter.Counted {
    /** Input shape used to create the parameters; the networks accept any size afterwards. */
    static final Shape INIT_INPUT_SHAPE = new Shape(1, 3, 224, 224);

    private final BackboneKind kind;
    private final boolean withClassifier;
    private final List<Block> stages = new ArrayList<>();
    private final Map<String, Parameter> tensors = new LinkedHashMap<>();
    private final Map<BatchNorm, Float> epsilons = new IdentityHashMap<>();
    private volatile WeightsOrigin weightsOrigin = WeightsOrigin.untrained();
    private volatile FoldedBackbone folded;

    /**
     * @param kind           which backbone this is
     * @param withClassifier whether the ImageNet/nsfwjs classifier head is built too
     */
    protected BackboneBlock(BackboneKind kind, boolean withClassifier) {
        this.kind = Objects.requireNonNull(kind);
        this.withClassifier = withClassifier;
    }

    @Override
    public BackboneKind kind() {
        return kind;
    }

    /** @return whether the classifier head is part of this network */
    public boolean hasClassifier() {
        return withClassifier;
    }

    @Override
    public WeightsOrigin weightsOrigin() {
        return weightsOrigin;
    }

    /** @param origin where the weights now in this network came from */
    void setWeightsOrigin(WeightsOrigin origin) {
        this.weightsOrigin = Objects.requireNonNull(origin);
    }

    /**
     * Builds the form the engine runs from the weights now in the network ({@link FoldedBackbone}: each batch
     * norm folded into its convolution). Called after every load of weights; until then the blocks run as built.
     */
    void foldForInference() {
        FoldedBackbone previous = folded;
        NDManager weights = tensors.values().iterator().next().getArray().getManager();
        folded = FoldedBackbone.fold(stages, epsilons, weights);
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * Runs the blocks as built, not the folded form: the reference the folded form is checked against.
     *
     * @param input N x 3 x H x W, already normalized
     * @return the levels (and class probabilities when the head is present)
     */
    NDList runUnfolded(NDArray input) {
        return runStages(new ParameterStore(input.getManager(), false), new NDList(input), null);
    }

    /**
     * The network's parameters keyed by their tensor names in the weights file, in file order.
     *
     * @return an unmodifiable view
     */
    public Map<String, Parameter> namedTensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Creates the parameters (random values) for the standard input shape. Called once, before
     * weights are loaded.
     *
     * @param manager the manager that owns the parameters
     */
    public void initializeParameters(NDManager manager) {
        initialize(manager, DataType.FLOAT32, INIT_INPUT_SHAPE);
    }

    /**
     * Adds the next stage. The first three stages end at the three feature levels; a fourth is
     * the classifier head.
     *
     * @param name  child block name
     * @param stage the stage
     */
    protected void addStage(String name, Block stage) {
        stages.add(addChildBlock(name, stage));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray input = ChannelsLast.of(inputs.singletonOrThrow());
        FoldedBackbone engineForm = folded;
        if (engineForm != null) {
            return engineForm.forward(input);
        }
        return runStages(parameterStore, new NDList(input), params);
    }

    private NDList runStages(ParameterStore parameterStore, NDList inputs, PairList<String, Object> params) {
        // Teachers are frozen: batch norm always uses its running statistics.
        NDList out = new NDList(stages.size());
        NDList x = inputs;
        for (Block stage : stages) {
            x = stage.forward(parameterStore, x, false, params);
            out.add(x.singletonOrThrow());
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[stages.size()];
        Shape[] x = inputShapes;
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).getOutputShapes(x);
            out[i] = x[0];
        }
        return out;
    }

    @Override
    public long forwardFlops(Shape... inputShapes) {
        long total = 0;
        Shape[] x = inputShapes;
        for (Block stage : stages) {
            total += FlopCounter.forward(stage, x);
            x = stage.getOutputShapes(x);
        }
        return total;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] x = inputShapes;
        for (Block stage : stages) {
            stage.initialize(manager, dataType, x);
            x = stage.getOutputShapes(x);
        }
    }

    /**
     * A convolution without bias, its kernel registered as {@code tensorName}.
     *
     * @param tensorName name of the kernel in the weights file
     * @param filters    output channels
     * @param kernel     kernel size
     * @param stride     stride
     * @param padding    symmetric zero padding
     * @param groups     groups (the channel count for a depthwise convolution)
     * @return the convolution
     */
    protected Conv2d conv(String tensorName, int filters, int kernel, int stride, int padding, int groups) {
        Conv2d conv = new ChannelPaddedConvolution.Conv2d(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .optBias(false));
        register(tensorName, conv, "weight");
        return conv;
    }

    /**
     * Batch norm in inference use, its four tensors registered under the given names.
     *
     * @param epsilon      the epsilon the weights were trained with
     * @param gammaName    scale tensor name
     * @param betaName     shift tensor name
     * @param meanName     running mean tensor name
     * @param varianceName running variance tensor name
     * @return the batch norm block
     */
    protected BatchNorm batchNorm(float epsilon, String gammaName, String betaName, String meanName,
                                  String varianceName) {
        BatchNorm bn = BatchNorm.builder().optEpsilon(epsilon).build();
        epsilons.put(bn, epsilon);
        register(gammaName, bn, "gamma");
        register(betaName, bn, "beta");
        register(meanName, bn, "runningMean");
        register(varianceName, bn, "runningVar");
        return bn;
    }

    /**
     * A fully connected layer with bias.
     *
     * @param units      outputs
     * @param weightName weight tensor name (stored as units x inputs)
     * @param biasName   bias tensor name
     * @return the layer
     */
    protected Linear dense(int units, String weightName, String biasName) {
        Linear linear = Linear.builder().setUnits(units).build();
        register(weightName, linear, "weight");
        register(biasName, linear, "bias");
        return linear;
    }

    private void register(String tensorName, Block block, String parameterName) {
        Parameter parameter = block.getParameters().get(parameterName);
        if (parameter == null) {
            throw new IllegalStateException("DJL block " + block.getClass().getSimpleName()
                    + " has no parameter '" + parameterName + "'");
        }
        if (tensors.put(tensorName, parameter) != null) {
            throw new IllegalStateException("tensor name registered twice: " + tensorName);
        }
    }

    /**
     * Runs a normalized input through the stages with the given parameter store.
     *
     * @param input N x 3 x H x W, already normalized
     * @return the levels (and class probabilities when the head is present)
     */
    NDList run(NDArray input) {
        return forward(new ParameterStore(input.getManager(), false), new NDList(input), false);
    }
}
