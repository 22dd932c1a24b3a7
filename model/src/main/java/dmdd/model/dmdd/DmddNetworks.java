package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainable networks of one model: the student and, for DMDD, the segmenter. Parameter names
 * are prefixed {@code student/} and {@code segmenter/}; this naming is what checkpoints and model
 * folders store.
 */
public final class DmddNetworks {
    /** Prefix of the student's parameter names. */
    public static final String STUDENT = "student";
    /** Prefix of the segmenter's parameter names. */
    public static final String SEGMENTER = "segmenter";

    private final DmddSettings settings;
    private final int[] levelChannels;
    private final DecoupledStudent student;
    private final MultiPerceptionSegmenter segmenter;

    private DmddNetworks(DmddSettings settings, int[] levelChannels, DecoupledStudent student,
            MultiPerceptionSegmenter segmenter) {
        this.settings = settings;
        this.levelChannels = levelChannels.clone();
        this.student = student;
        this.segmenter = segmenter;
    }

    /**
     * Builds and initialises the networks (He-normal convolution weights from the engine's random
     * generator seeded with {@code settings.seed()}, so two runs start identical).
     *
     * @param settings      model settings
     * @param levelChannels the teacher's level channels
     * @param manager       where the weights live (must outlive the networks)
     * @return initialised networks
     */
    public static DmddNetworks create(DmddSettings settings, int[] levelChannels, NDManager manager) {
        manager.getEngine().setRandomSeed((int) (settings.seed() ^ (settings.seed() >>> 32)));
        DecoupledStudent student = DecoupledStudent.of(settings, levelChannels);
        student.setInitializer(heNormal(), Parameter.Type.WEIGHT);
        student.initialize(manager, DataType.FLOAT32, new Shape(1, 3, settings.imageSize(), settings.imageSize()));
        MultiPerceptionSegmenter segmenter = null;
        if (settings.isDmdd()) {
            segmenter = MultiPerceptionSegmenter.of(settings, levelChannels);
            segmenter.setInitializer(heNormal(), Parameter.Type.WEIGHT);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.initShapes());
        }
        return new DmddNetworks(settings, levelChannels, student, segmenter);
    }

    /**
     * The device a block's weights live on: the student and segmenter are created where the
     * teacher is, so choosing the device means loading the teacher there.
     *
     * @param block an initialised block
     * @return its first parameter's device (the CPU for a block without parameters)
     */
    public static ai.djl.Device deviceOf(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getDevice();
            }
        }
        return ai.djl.Device.cpu();
    }

    private static XavierInitializer heNormal() {
        return new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2f);
    }

    /** @return the settings the networks were built from */
    public DmddSettings settings() {
        return settings;
    }

    /** @return the teacher's level channels */
    public int[] levelChannels() {
        return levelChannels.clone();
    }

    /** @return the student */
    public DecoupledStudent student() {
        return student;
    }

    /** @return the segmenter, or {@code null} for the baseline */
    public MultiPerceptionSegmenter segmenter() {
        return segmenter;
    }

    /** @return the student's parameters with prefixed names */
    public List<Pair<String, Parameter>> studentParameters() {
        return named(STUDENT, student);
    }

    /** @return the segmenter's parameters with prefixed names (empty for the baseline) */
    public List<Pair<String, Parameter>> segmenterParameters() {
        return segmenter == null ? List.of() : named(SEGMENTER, segmenter);
    }

    /**
     * All weights (including batch-norm running statistics) as named arrays. The arrays are the
     * live parameter arrays, not copies: encode them, do not close them.
     *
     * @return named arrays
     */
    public NDList weights() {
        NDList out = new NDList();
        List<Pair<String, Parameter>> all = new ArrayList<>(studentParameters());
        all.addAll(segmenterParameters());
        for (Pair<String, Parameter> p : all) {
            NDArray a = p.getValue().getArray();
            a.setName(p.getKey());
            out.add(a);
        }
        return out;
    }

    /**
     * Overwrites every weight with the array of the same name.
     *
     * @param saved arrays by name
     * @throws IllegalArgumentException naming the first missing or mis-shaped weight
     */
    public void load(Map<String, NDArray> saved) {
        List<Pair<String, Parameter>> all = new ArrayList<>(studentParameters());
        all.addAll(segmenterParameters());
        for (Pair<String, Parameter> p : all) {
            NDArray source = saved.get(p.getKey());
            if (source == null) {
                throw new IllegalArgumentException("saved weights lack '" + p.getKey() + "'");
            }
            NDArray target = p.getValue().getArray();
            target.setName(p.getKey());
            Weights.copyInto(target, source);
        }
    }

    private static List<Pair<String, Parameter>> named(String prefix, Block block) {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(new Pair<>(prefix + "/" + p.getKey(), p.getValue()));
        }
        return out;
    }
}
