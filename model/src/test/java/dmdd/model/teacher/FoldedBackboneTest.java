package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dmdd.model.engine.DjlRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folded teacher (batch norm folded into the convolutions, Keras' stride-2 padding folded into a 4x4
 * kernel) must compute the teacher's features: the real nsfwjs MobileNetV2 and ResNet-18 with random batch
 * norm statistics, on even and odd input sizes, agree with the blocks as built to float rounding.
 */
class FoldedBackboneTest {
    @TempDir
    static Path dir;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = DjlRuntime.engine().newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 97})
    void nsfwjsMobileNetV2FoldedGivesTheBlocksFeatures(int side) throws IOException {
        Path converted = dir.resolve("nsfwjs-levels.safetensors");
        if (!converted.toFile().exists()) {
            NsfwjsConverter.convert(BackboneKind.MOBILENET_V2, Fixtures.nsfwjsTarball(), converted);
        }
        try (NDManager m = manager.newSubManager()) {
            BackboneBlock teacher = Teachers.fromFile(BackboneKind.MOBILENET_V2, false, converted, null, null, m);
            assertSameFeatures(teacher, m, side);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 75})
    void resnet18WithRandomStatisticsFoldedGivesTheBlocksFeatures(int side) {
        try (NDManager m = manager.newSubManager()) {
            BackboneBlock teacher = Teachers.untrained(BackboneKind.RESNET18, false, m);
            randomiseBatchNorms(teacher, new Random(7));
            teacher.foldForInference();
            assertSameFeatures(teacher, m, side);
        }
    }

    @Test
    void reloadingWeightsRefoldsThem() {
        try (NDManager m = manager.newSubManager()) {
            BackboneBlock teacher = Teachers.untrained(BackboneKind.MOBILENET_V2, false, m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 64, 64));
            float[] before = teacher.run(x).get(2).toFloatArray();
            randomiseBatchNorms(teacher, new Random(3));
            teacher.foldForInference();
            float[] after = teacher.run(x).get(2).toFloatArray();
            assertThat(after).isNotEqualTo(before);
            assertSameFeatures(teacher, m, 64);
        }
    }

    @Test
    void aTeacherWhoseFoldedWeightsAreNotFiniteRunsUnfusedSoItsFeaturesStayNan() {
        // a running variance below -eps folds into NaN weights; oneDNN's fused ReLU6 would turn them into 0
        try (NDManager m = manager.newSubManager()) {
            BackboneBlock teacher = Teachers.untrained(BackboneKind.MOBILENET_V2, false, m);
            Parameter variance = teacher.namedTensors().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.RUNNING_VAR).findFirst().orElseThrow();
            float[] values = variance.getArray().toFloatArray();
            java.util.Arrays.fill(values, -1f);
            variance.getArray().set(values);
            teacher.foldForInference();
            NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 64, 64));
            for (NDArray level : teacher.run(x)) {
                assertThat(level.isNaN().all().getBoolean()).as("every value of %s is NaN", level.getShape()).isTrue();
            }
        }
    }

    private static void assertSameFeatures(BackboneBlock teacher, NDManager m, int side) {
        NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, side, side));
        NDList folded = teacher.run(x);
        NDList blocks = teacher.runUnfolded(x);
        assertThat(folded).hasSize(blocks.size());
        for (int level = 0; level < blocks.size(); level++) {
            NDArray expected = blocks.get(level);
            assertThat(folded.get(level).getShape()).as("level %d shape", level).isEqualTo(expected.getShape());
            float range = expected.abs().max().getFloat();
            float difference = folded.get(level).sub(expected).abs().max().getFloat();
            assertThat(range).as("level %d carries signal", level).isGreaterThan(0.1f);
            assertThat(difference).as("level %d, side %d: largest difference against range %f", level, side, range)
                    .isLessThan(1e-5f * range + 1e-6f);
        }
    }

    /** Batch norm statistics far from the identity, so that folding them wrongly cannot pass. */
    private static void randomiseBatchNorms(BackboneBlock teacher, Random random) {
        for (Map.Entry<String, Parameter> entry : teacher.namedTensors().entrySet()) {
            Parameter.Type type = entry.getValue().getType();
            boolean variance = type == Parameter.Type.RUNNING_VAR;
            if (!variance && type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.GAMMA
                    && type != Parameter.Type.BETA) {
                continue;
            }
            NDArray array = entry.getValue().getArray();
            int n = (int) array.size();
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = variance ? 0.2f + 2 * random.nextFloat() : (float) random.nextGaussian() * 0.5f + 0.3f;
            }
            array.set(values);
        }
    }
}
