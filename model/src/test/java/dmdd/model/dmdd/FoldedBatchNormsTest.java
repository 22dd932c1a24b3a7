package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inference with folded batch norms computes what the networks' blocks compute: the DMDD student and
 * segmenter and AAND's amplifier and student, with batch norm statistics far from the identity, agree to
 * float rounding; the folded form holds the weights of the moment it was made; training forwards never use it.
 * The trainable folds (the student's frozen batch-norm statistics) compute the same in training forwards, with the
 * same gradients, and leave the running statistics alone.
 */
class FoldedBatchNormsTest {

    @ParameterizedTest
    @CsvSource({"dmdd, resnet", "aand, resnet", "dmdd, inverted_residual"})
    void foldedInferenceGivesTheBlocksOutputs(String method, String studentEncoder) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Networks n = networks(manager, method, studentEncoder, 11);
            DmddNetworks nets = n.nets();
            NDArray x = n.x();
            NDList t = n.t();
            try (FoldedBatchNorms folded = nets.foldBatchNorms(manager); NDManager call = manager.newSubManager()) {
                assertThat(folded.size()).isGreaterThan(3);
                // inference runs the convolutions followed by a ReLU fused with it, and still computes the same
                assertThat(folded.fused()).isGreaterThan(3);
                NDList plain = outputs(nets, new ParameterStore(call, false), x, t, false);
                NDList fast = outputs(nets, folded.parameterStore(call), x, t, false);
                assertClose(fast, plain);

                // training forwards run the blocks (batch statistics), whatever store they get
                NDList trainingPlain = outputs(nets, new ParameterStore(call, false), x, t, true);
                NDList trainingFolded = outputs(nets, folded.parameterStore(call), x, t, true);
                for (int i = 0; i < trainingPlain.size(); i++) {
                    assertThat(trainingFolded.get(i).toFloatArray()).containsExactly(trainingPlain.get(i).toFloatArray());
                }

                // the folded form keeps the weights it was made from
                randomiseBatchNorms(nets, manager, new Random(12));
                NDList changed = outputs(nets, new ParameterStore(call, false), x, t, false);
                NDList stale = outputs(nets, folded.parameterStore(call), x, t, false);
                assertClose(stale, plain);
                assertThat(maxDifference(changed, plain)).isGreaterThan(1e-2f);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"weight", "variance"})
    void aNetworkWithWeightsThatAreNotFiniteRunsUnfusedSoItsMapsStayNan(String broken) {
        // oneDNN's ReLU turns NaN into 0: fused, a broken first convolution would give finite maps and verdicts. A NaN
        // weight, or a running variance below -eps, whose parameters are finite but whose folded weights are NaN.
        try (NDManager manager = NDManager.newBaseManager()) {
            Networks n = networks(manager, "dmdd", "inverted_residual", 14);
            DmddNetworks nets = n.nets();
            if (broken.equals("weight")) {
                nets.student().getParameters().values().get(0).getArray().muli(Float.NaN);
            } else {
                Parameter variance = nets.student().getParameters().values().stream()
                        .filter(p -> p.getType() == Parameter.Type.RUNNING_VAR).findFirst().orElseThrow();
                float[] values = variance.getArray().toFloatArray();
                values[0] = -1f;
                variance.getArray().set(values);
            }
            try (FoldedBatchNorms folded = nets.foldBatchNorms(manager); NDManager call = manager.newSubManager()) {
                assertThat(folded.fused()).isZero();
                NDList out = outputs(nets, folded.parameterStore(call), n.x(), n.t(), false);
                for (NDArray map : out) {
                    assertThat(map.isNaN().all().getBoolean()).as("every value of %s is NaN", map.getShape()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"dmdd, inverted_residual", "dmdd, resnet", "aand, resnet"})
    void trainableFoldsComputeTheBlocksInInferenceWithTheirGradientsAndLeaveTheStatistics(String method,
            String studentEncoder) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Networks n = networks(manager, method, studentEncoder, 13);
            DmddNetworks nets = n.nets();
            NDList in = nets.amplifier() != null
                    ? nets.amplifier().forward(new ParameterStore(manager, false), n.t(), false) : new NDList(n.x());
            List<Parameter> trained = new ArrayList<>();
            List<float[]> statistics = new ArrayList<>();
            for (Parameter p : nets.student().getParameters().values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                    trained.add(p);
                } else {
                    statistics.add(p.getArray().toFloatArray());
                }
            }
            assertThat(statistics).as("the student has batch norms").isNotEmpty();
            FoldedBatchNorms frozen = FoldedBatchNorms.trainable(nets.student());
            try (NDManager call = manager.newSubManager()) {
                // the blocks in inference (running statistics), as a reference with gradients
                Forward plain = forward(nets, new ParameterStore(call, false), in, false, trained);
                Forward folded = forward(nets, frozen.parameterStore(call), in, true, trained);
                assertClose(folded.outputs(), plain.outputs());
                for (int i = 0; i < trained.size(); i++) {
                    float[] expected = plain.gradients().get(i);
                    float[] actual = folded.gradients().get(i);
                    float range = 0;
                    float difference = 0;
                    for (int k = 0; k < expected.length; k++) {
                        range = Math.max(range, Math.abs(expected[k]));
                        difference = Math.max(difference, Math.abs(actual[k] - expected[k]));
                    }
                    assertThat(difference).as("gradient of %s against range %f", trained.get(i).getName(), range)
                            .isLessThanOrEqualTo(1e-4f * range + 1e-9f);
                }
                assertThat(trained.stream().filter(p -> p.getType() == Parameter.Type.GAMMA).count())
                        .as("the batch norms' scales learn too").isGreaterThan(3);
                // a training forward through the folds leaves the running statistics where they were
                int k = 0;
                for (Parameter p : nets.student().getParameters().values()) {
                    if (!p.requiresGradient()) {
                        assertThat(p.getArray().toFloatArray()).as(p.getName()).containsExactly(statistics.get(k++));
                    }
                }
                // while a training forward of the blocks themselves moves them (batch statistics)
                nets.student().forward(new ParameterStore(call, false), in, true);
                float[] firstStatistics = statistics.get(0);
                Parameter first = nets.student().getParameters().values().stream().filter(p -> !p.requiresGradient())
                        .findFirst().orElseThrow();
                assertThat(first.getArray().toFloatArray()).isNotEqualTo(firstStatistics);
            }
        }
    }

    private record Forward(NDList outputs, List<float[]> gradients) {
    }

    /** Small networks of a method with batch-norm statistics far from the identity, an input and its teacher levels. */
    private record Networks(DmddNetworks nets, NDArray x, NDList t) {
    }

    private static Networks networks(NDManager manager, String method, String studentEncoder, int seed) {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("method", method).with("imageSize", 64)
                .with("studentEncoder", studentEncoder).with("studentWidth", 8).with("segmenterWidth", 8);
        TinyBackbone teacher = TinyBackbone.create(manager);
        DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), manager);
        randomiseBatchNorms(nets, manager, new Random(seed));
        NDArray x = teacher.normalize(manager.randomUniform(0f, 1f, new Shape(2, 3, 64, 64)));
        NDList t = teacher.forward(new ParameterStore(manager, false), new NDList(x), false);
        return new Networks(nets, x, t);
    }

    /** The student's outputs and the gradients of a fixed random weighting of them, then zeroes the gradients. */
    private static Forward forward(DmddNetworks nets, ParameterStore ps, NDList in, boolean training,
            List<Parameter> trained) {
        NDList out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = nets.student().forward(ps, in, training);
            NDArray loss = null;
            for (int i = 0; i < out.size(); i++) {
                NDArray weights = out.get(i).getManager().create(seeded(out.get(i).size(), i), out.get(i).getShape());
                NDArray term = out.get(i).mul(weights).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        List<float[]> gradients = new ArrayList<>();
        for (Parameter p : trained) {
            try (NDArray g = p.getArray().getGradient()) {
                gradients.add(g.toFloatArray());
            }
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
        return new Forward(out, gradients);
    }

    private static float[] seeded(long size, int seed) {
        Random random = new Random(100 + seed);
        float[] values = new float[(int) size];
        for (int i = 0; i < values.length; i++) {
            values[i] = 2 * random.nextFloat() - 1;
        }
        return values;
    }

    /** The method's inference outputs: DMDD's six student levels and the segmenter's logits, AAND's three. */
    private static NDList outputs(DmddNetworks nets, ParameterStore ps, NDArray x, NDList t, boolean training) {
        NDList out = new NDList();
        if (nets.amplifier() != null) {
            NDList amplified = nets.amplifier().forward(ps, t, training);
            out.addAll(nets.student().forward(ps, amplified, training));
            return out;
        }
        NDList s = nets.student().forward(ps, new NDList(x), training);
        out.addAll(s);
        NDList inputs = Discrepancy.segmenterInputs(Discrepancy.unitProducts(t.subList(0, 3), s), true);
        out.add(nets.segmenter().forward(ps, inputs, training).singletonOrThrow());
        return out;
    }

    private static void assertClose(NDList actual, NDList expected) {
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            float range = expected.get(i).abs().max().getFloat();
            float difference = actual.get(i).sub(expected.get(i)).abs().max().getFloat();
            assertThat(range).as("output %d carries signal", i).isGreaterThan(1e-3f);
            assertThat(difference).as("output %d: largest difference against range %f", i, range)
                    .isLessThan(2e-5f * range);
        }
    }

    private static float maxDifference(NDList a, NDList b) {
        float max = 0;
        for (int i = 0; i < a.size(); i++) {
            float range = b.get(i).abs().max().getFloat();
            max = Math.max(max, a.get(i).sub(b.get(i)).abs().max().getFloat() / range);
        }
        return max;
    }

    private static void randomiseBatchNorms(DmddNetworks nets, NDManager manager, Random random) {
        ai.djl.nn.Block[] blocks = {nets.student(), nets.segmenter(), nets.amplifier()};
        for (ai.djl.nn.Block block : blocks) {
            if (block == null) {
                continue;
            }
            for (Parameter p : block.getParameters().values()) {
                Parameter.Type type = p.getType();
                NDArray array = p.getArray();
                float[] values = new float[(int) array.size()];
                if (type == Parameter.Type.RUNNING_VAR) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = 0.3f + 2 * random.nextFloat();
                    }
                } else if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.BETA
                        || type == Parameter.Type.GAMMA) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (type == Parameter.Type.GAMMA ? 1f : 0f) + 0.4f * (float) random.nextGaussian();
                    }
                } else {
                    continue;
                }
                array.set(values);
            }
        }
    }
}
