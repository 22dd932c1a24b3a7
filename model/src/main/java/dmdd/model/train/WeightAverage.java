package dmdd.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dmdd.model.dmdd.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exponential moving average of one training stage's weights (Polyak averaging, as timm's {@code ModelEma}):
 * after every step, {@code average = d * average + (1 - d) * weight} for every weight of the stage's networks,
 * batch-norm running statistics included, with {@code d = min(decay, (1 + n) / (10 + n))} after {@code n} updates,
 * so that the first steps' random weights fade at once. At the end of the stage the averages replace the weights.
 * Batches of eight synthetic pairs make each step's weights noisy; their average sits where the steps agree.
 * Its state goes into the checkpoint, so a resumed run averages exactly as an uninterrupted one.
 */
final class WeightAverage implements AutoCloseable {
    private final String name;
    private final double decay;
    private final List<Pair<String, Parameter>> parameters = new ArrayList<>();
    private final List<NDArray> averages = new ArrayList<>();
    private final NDManager manager;
    private long updates;

    /**
     * @param name       prefix of its arrays in a checkpoint
     * @param decay      the decay per step, in (0, 1)
     * @param parameters the stage's weights, by unique name (floating-point ones are averaged)
     * @param parent     the manager its averages live under (closed with {@link #close})
     */
    WeightAverage(String name, double decay, List<Pair<String, Parameter>> parameters, NDManager parent) {
        this.name = name;
        this.decay = decay;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (w.getDataType() != DataType.FLOAT32) {
                continue;
            }
            NDArray copy = manager.zeros(w.getShape(), w.getDataType());
            Weights.copyInto(copy, w);
            this.parameters.add(p);
            averages.add(copy);
        }
    }

    /** Folds the weights after a step into the averages. */
    void update() {
        updates++;
        float d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < averages.size(); i++) {
                NDArray w = parameters.get(i).getValue().getArray();
                try (NDArray part = w.mul(1 - d)) {
                    averages.get(i).muli(d).addi(part);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Puts the averages into the networks' weights (at the end of the stage). */
    void apply() {
        for (int i = 0; i < averages.size(); i++) {
            Weights.copyInto(parameters.get(i).getValue().getArray(), averages.get(i));
        }
    }

    /**
     * The state for a checkpoint: arrays named {@code <name>/<param>} and {@code <name>/updates} (the averages are
     * this object's own; the caller must not close them).
     *
     * @param arrays  where to add them
     * @param scratch where the small update-count array is created
     */
    void addState(NDList arrays, NDManager scratch) {
        for (int i = 0; i < averages.size(); i++) {
            averages.get(i).setName(name + "/" + parameters.get(i).getKey());
            arrays.add(averages.get(i));
        }
        NDArray count = scratch.create(new long[] {updates});
        count.setName(name + "/updates");
        arrays.add(count);
    }

    /**
     * Restores the state that {@link #addState} wrote.
     *
     * @param saved arrays by name
     * @throws IllegalArgumentException when an array is missing or has another shape
     */
    void restore(Map<String, NDArray> saved) {
        for (int i = 0; i < averages.size(); i++) {
            Weights.copyInto(averages.get(i), require(saved, name + "/" + parameters.get(i).getKey()));
        }
        updates = require(saved, name + "/updates").toLongArray()[0];
    }

    private static NDArray require(Map<String, NDArray> saved, String key) {
        NDArray a = saved.get(key);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint lacks the weight average '" + key + "'");
        }
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
