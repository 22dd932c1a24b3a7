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
 * The trainable networks of one model: the student (DMDD's {@link DecoupledStudent}, the baseline's and DCAM's
 * single-branch one, AAND's {@link ReverseDistillationStudent}) and, by method, DMDD's segmenter, AAND's
 * {@link AnomalyAmplifier} or DCAM's training-only {@link DistributedAttention}. Parameter names are prefixed
 * {@code student/}, {@code segmenter/}, {@code amplifier/} and {@code attention/}; this naming is what checkpoints
 * and model folders store.
 */
public final class DmddNetworks {
    /** Prefix of the student's parameter names. */
    public static final String STUDENT = "student";
    /** Prefix of the segmenter's parameter names. */
    public static final String SEGMENTER = "segmenter";
    /** Prefix of AAND's amplifier's parameter names. */
    public static final String AMPLIFIER = "amplifier";
    /** Prefix of DCAM's attention module's parameter names. */
    public static final String ATTENTION = "attention";

    private final DmddSettings settings;
    private final int[] levelChannels;
    private final Block student;
    private final MultiPerceptionSegmenter segmenter;
    private final AnomalyAmplifier amplifier;
    private final DistributedAttention attention;

    private DmddNetworks(DmddSettings settings, int[] levelChannels, Block student, MultiPerceptionSegmenter segmenter,
            AnomalyAmplifier amplifier, DistributedAttention attention) {
        this.settings = settings;
        this.levelChannels = levelChannels.clone();
        this.student = student;
        this.segmenter = segmenter;
        this.amplifier = amplifier;
        this.attention = attention;
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
        Shape image = new Shape(1, 3, settings.imageSize(), settings.imageSize());
        Block student = settings.method() == Method.AAND ? ReverseDistillationStudent.of(settings, levelChannels)
                : DecoupledStudent.of(settings, levelChannels);
        student.setInitializer(heNormal(), Parameter.Type.WEIGHT);
        student.initialize(manager, DataType.FLOAT32, image); // composed blocks initialise each child alone
        MultiPerceptionSegmenter segmenter = null;
        AnomalyAmplifier amplifier = null;
        DistributedAttention attention = null;
        if (settings.isDmdd()) {
            segmenter = MultiPerceptionSegmenter.of(settings, levelChannels);
            segmenter.setInitializer(heNormal(), Parameter.Type.WEIGHT);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.initShapes());
        } else if (settings.method() == Method.AAND) {
            amplifier = AnomalyAmplifier.of(settings, levelChannels);
            amplifier.setInitializer(heNormal(), Parameter.Type.WEIGHT);
            amplifier.initialize(manager, DataType.FLOAT32, image);
        } else if (settings.method() == Method.DCAM) {
            attention = DistributedAttention.of(settings, levelChannels);
            attention.setInitializer(heNormal(), Parameter.Type.WEIGHT);
            attention.initialize(manager, DataType.FLOAT32, image);
        }
        return new DmddNetworks(settings, levelChannels, student, segmenter, amplifier, attention);
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

    /** @return the student: a {@link DecoupledStudent}, or for AAND a {@link ReverseDistillationStudent} */
    public Block student() {
        return student;
    }

    /** @return AAND's amplifier, or {@code null} for the other methods */
    public AnomalyAmplifier amplifier() {
        return amplifier;
    }

    /** @return DCAM's training-only attention module, or {@code null} for the other methods */
    public DistributedAttention attention() {
        return attention;
    }

    /**
     * What one training stage's optimiser updates: the student (with DCAM's attention module) in
     * {@link TrainingStage#STUDENT}, the segmenter or the amplifier in theirs. The amplifier's prototypes are chosen,
     * not learned, and are never among them.
     *
     * @param stage a stage of this model's method
     * @return the parameters with prefixed names
     */
    public List<Pair<String, Parameter>> trainedIn(TrainingStage stage) {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        switch (stage) {
            case STUDENT -> {
                out.addAll(studentParameters());
                if (attention != null) {
                    out.addAll(named(ATTENTION, attention));
                }
            }
            case SEGMENTER -> out.addAll(segmenterParameters());
            case AMPLIFIER -> {
                for (Pair<String, Parameter> p : named(AMPLIFIER, amplifier)) {
                    if (!p.getValue().getName().startsWith(AnomalyAmplifier.PROTOTYPES)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /** @return the segmenter, or {@code null} for the baseline */
    public MultiPerceptionSegmenter segmenter() {
        return segmenter;
    }

    /**
     * The networks' batch norms folded into their convolutions, from the weights as they are now
     * ({@link FoldedBatchNorms}): valid while the weights do not change.
     *
     * @param device a manager on the networks' device
     * @return the folded forms; close them
     */
    public FoldedBatchNorms foldBatchNorms(NDManager device) {
        return FoldedBatchNorms.of(device, student(), amplifier(), segmenter());
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
        for (Pair<String, Parameter> p : allParameters()) {
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
        for (Pair<String, Parameter> p : allParameters()) {
            NDArray source = saved.get(p.getKey());
            if (source == null) {
                throw new IllegalArgumentException("saved weights lack '" + p.getKey() + "'");
            }
            NDArray target = p.getValue().getArray();
            target.setName(p.getKey());
            Weights.copyInto(target, source);
        }
    }

    private List<Pair<String, Parameter>> allParameters() {
        List<Pair<String, Parameter>> all = new ArrayList<>(studentParameters());
        all.addAll(segmenterParameters());
        if (amplifier != null) {
            all.addAll(named(AMPLIFIER, amplifier));
        }
        if (attention != null) {
            all.addAll(named(ATTENTION, attention));
        }
        return all;
    }

    private static List<Pair<String, Parameter>> named(String prefix, Block block) {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(new Pair<>(prefix + "/" + p.getKey(), p.getValue()));
        }
        return out;
    }
}
