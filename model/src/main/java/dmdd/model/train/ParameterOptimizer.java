package dmdd.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dmdd.model.dmdd.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam or SGD with momentum over a fixed set of named parameters, with its whole state (moments
 * and step count) in arrays this class owns, so a {@link Checkpoint} can save and restore it and a
 * resumed run continues exactly where the interrupted one stopped. The update itself is DJL's fused
 * in-place kernel ({@code NDArrayEx.adamUpdate} / {@code sgdUpdate}), which also zeroes the gradient.
 */
public final class ParameterOptimizer {
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final float NO_CLIP = -1f;

    private final String name;
    private final boolean adam;
    private final float learningRate;
    private final float momentum;
    private final float weightDecay;
    private final List<Pair<String, Parameter>> parameters;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long updates;

    /** The stage's arrays that the forward pass changes without gradients: batch norm's running statistics. */
    private final List<Pair<String, Parameter>> buffers;

    /**
     * @param name         prefix of this optimizer's state arrays in a checkpoint
     * @param adam         {@code true} for Adam (beta1 = momentum), {@code false} for SGD with momentum
     * @param learningRate learning rate
     * @param momentum     SGD momentum or Adam beta1
     * @param weightDecay  L2 weight decay
     * @param parameters   the trainable parameters, by unique name
     * @param stateManager where the state arrays live (must outlive the optimizer)
     */
    public ParameterOptimizer(String name, boolean adam, double learningRate, double momentum, double weightDecay,
            List<Pair<String, Parameter>> parameters, NDManager stateManager) {
        this.name = name;
        this.adam = adam;
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.parameters = parameters.stream().filter(p -> p.getValue().requiresGradient()).toList();
        this.buffers = parameters.stream().filter(p -> !p.getValue().requiresGradient()).toList();
        for (Pair<String, Parameter> p : this.parameters) {
            NDArray w = p.getValue().getArray();
            w.setRequiresGradient(true);
            first.put(p.getKey(), stateManager.zeros(w.getShape(), w.getDataType()));
            if (adam) {
                second.put(p.getKey(), stateManager.zeros(w.getShape(), w.getDataType()));
            }
        }
    }

    /** @return the number of updates applied so far */
    public long updates() {
        return updates;
    }

    /**
     * @param manager where the one scalar made here lives (the step's manager)
     * @return whether every gradient of the last backward pass is finite (an infinite or NaN gradient would turn
     *         the weights into NaN for good, even when the loss itself was finite); one read from the device
     */
    public boolean gradientsFinite(NDManager manager) {
        NDArray total = null;
        for (Pair<String, Parameter> p : parameters) {
            // a NaN or infinity anywhere makes the sum non-finite (no abs needed: +inf plus -inf is NaN too);
            // the gradient handle hangs on the weights' long-lived manager: close it at once
            try (NDArray grad = p.getValue().getArray().getGradient()) {
                NDArray sum = grad.sum();
                sum.attach(manager);
                total = total == null ? sum : total.add(sum);
            }
        }
        return total == null || Float.isFinite(total.getFloat());
    }

    /**
     * Copies of the running statistics as they are before a step, so that a skipped step can put them back (a
     * training-mode forward pass updates them even when its loss turns out not to be finite).
     *
     * @param manager where the copies live (the step's manager)
     * @return the copies, in this optimizer's order
     */
    public List<NDArray> copyRunningStatistics(NDManager manager) {
        List<NDArray> copies = new ArrayList<>(buffers.size());
        for (Pair<String, Parameter> p : buffers) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Puts back running statistics copied by {@link #copyRunningStatistics} (overwriting NaN, which a multiply-add
     * could not).
     *
     * @param copies the copies, in this optimizer's order
     */
    public void restoreRunningStatistics(List<NDArray> copies) {
        for (int i = 0; i < buffers.size(); i++) {
            copies.get(i).copyTo(buffers.get(i).getValue().getArray());
        }
    }

    /** Zeroes the gradients of the last backward pass (after an update, or instead of one when a step is skipped). */
    public void discardGradients() {
        for (Pair<String, Parameter> p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
        }
    }

    /**
     * Applies one update from the gradients of the last backward pass, then zeroes them. Must run
     * with autograd off (outside a gradient collector).
     */
    public void step() {
        updates++;
        double t = updates;
        float biasCorrection = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(momentum, t)));
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            // getGradient() wraps the gradient in a new handle every call: close it at once
            try (NDArray grad = w.getGradient()) {
                if (adam) {
                    w.getNDArrayInternal().adamUpdate(
                            new NDList(w, grad, first.get(p.getKey()), second.get(p.getKey())), new NDList(w),
                            learningRate, biasCorrection, weightDecay, 1f, NO_CLIP, momentum, BETA2, EPSILON, false,
                            false);
                } else {
                    w.getNDArrayInternal().sgdUpdate(new NDList(w, grad, first.get(p.getKey())), new NDList(w),
                            learningRate, weightDecay, 1f, NO_CLIP, momentum, false);
                }
            }
        }
        discardGradients();
    }

    /**
     * The state for a checkpoint: arrays named {@code <name>/<param>/m}, {@code .../v} and
     * {@code <name>/updates} (the arrays are this optimizer's own; the caller must not close them).
     *
     * @param manager where the small step-count array is created
     * @return named state arrays
     */
    public NDList state(NDManager manager) {
        NDList out = new NDList();
        for (Map.Entry<String, NDArray> e : first.entrySet()) {
            e.getValue().setName(name + "/" + e.getKey() + "/m");
            out.add(e.getValue());
        }
        for (Map.Entry<String, NDArray> e : second.entrySet()) {
            e.getValue().setName(name + "/" + e.getKey() + "/v");
            out.add(e.getValue());
        }
        NDArray count = manager.create(new long[] {updates});
        count.setName(name + "/updates");
        out.add(count);
        return out;
    }

    /**
     * Restores the state written by {@link #state(NDManager)}.
     *
     * @param saved arrays by name (other names are ignored)
     * @throws IllegalArgumentException when an array is missing or has the wrong shape
     */
    public void restore(Map<String, NDArray> saved) {
        for (Map.Entry<String, NDArray> e : first.entrySet()) {
            Weights.copyInto(e.getValue(), require(saved, name + "/" + e.getKey() + "/m"));
        }
        for (Map.Entry<String, NDArray> e : second.entrySet()) {
            Weights.copyInto(e.getValue(), require(saved, name + "/" + e.getKey() + "/v"));
        }
        updates = require(saved, name + "/updates").toLongArray()[0];
    }

    private static NDArray require(Map<String, NDArray> saved, String key) {
        NDArray a = saved.get(key);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint lacks optimizer state '" + key + "'");
        }
        return a;
    }
}
