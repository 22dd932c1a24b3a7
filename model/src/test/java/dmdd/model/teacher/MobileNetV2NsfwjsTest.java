package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.model.engine.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The converted nsfwjs MobileNetV2s must be the real networks, not just loadable: with their whole
 * bodies and heads they have to classify real photos the way nsfwjs does. The Keras model (width 1.0) calls three
 * photos "Neutral"; the TensorFlow graph whose tensors the converter renames and whose folded batch norms it
 * rebuilds (width 1.4) must give the class probabilities an independent run of that graph gives, within 0.002; a
 * wrong name, layout, padding or input scaling would not.
 */
class MobileNetV2NsfwjsTest {
    private static final int NSFWJS_INPUT_SIZE = 224;

    @TempDir
    static Path dir;
    private static Path converted;
    private static NDManager manager;
    private static Path converted140;
    private static BackboneBlock classifier;
    private static BackboneBlock classifier140;

    @BeforeAll
    static void convertWholeNetwork() throws IOException {
        converted = dir.resolve("nsfwjs.safetensors");
        NsfwjsConverter.convert(BackboneKind.MOBILENET_V2, Fixtures.nsfwjsTarball(), converted);
        converted140 = dir.resolve("nsfwjs-140.safetensors");
        NsfwjsConverter.convert(BackboneKind.MOBILENET_V2_140, Fixtures.nsfwjsTarball(), converted140);
        manager = DjlRuntime.engine().newBaseManager();
        classifier = Teachers.fromFile(BackboneKind.MOBILENET_V2, true, converted, null, null, manager);
        classifier140 = Teachers.fromFile(BackboneKind.MOBILENET_V2_140, true, converted140, null, null, manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"coffee.png", "astronaut.png", "chelsea.png"})
    void classifiesRealPhotosAsNeutralLikeNsfwjs(String photo) throws IOException {
        assertNeutral(classifier, photo);
    }

    /**
     * The width-1.4 network against an independent run of nsfwjs's own graph: {@code
     * docs/dev-benchmark/offline/nsfwjs_graph_reference.py} executes the graph's nodes from the tarball with PyTorch
     * as TensorFlow defines them (its probabilities below). That graph calls the cat and the motorcycle drawings.
     */
    @ParameterizedTest
    @CsvSource({"coffee.png, Neutral, 0.99675", "astronaut.png, Neutral, 0.93767",
        "motorcycle_left.png, Drawing, 0.94298", "chelsea.png, Drawing, 0.7339"})
    void wideNetworkClassifiesRealPhotosAsNsfwjsGraphDoes(String photo, String expectedClass, float reference)
            throws IOException {
        float[] probabilities = classify(classifier140, photo);
        int expected = java.util.Arrays.asList(MobileNetV2.NSFWJS_CLASSES).indexOf(expectedClass);
        assertThat(probabilities[expected]).as("P(%s) of %s", expectedClass, photo)
                .isCloseTo(reference, org.assertj.core.data.Offset.offset(0.002f));
    }

    private static void assertNeutral(BackboneBlock network, String photo) throws IOException {
        float[] probabilities = classify(network, photo);
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        assertThat(MobileNetV2.NSFWJS_CLASSES[best]).as("class of %s", photo).isEqualTo("Neutral");
        assertThat(probabilities[best]).as("P(Neutral) of %s", photo).isGreaterThan(0.9f);
    }

    private static float[] classify(BackboneBlock network, String photo) throws IOException {
        // nsfwjs divides by 255, then tf.image.resizeBilinear(224 x 224, alignCorners = true).
        RgbImage image = new ImageReader(4096).read(Fixtures.skimagePhoto(photo));
        float[] input = resizeAlignCorners(image, NSFWJS_INPUT_SIZE);
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(input, new Shape(1, 3, NSFWJS_INPUT_SIZE, NSFWJS_INPUT_SIZE));
            NDList out = network.features(x);
            float[] probabilities = out.get(3).toFloatArray();
            assertThat(probabilities).hasSize(MobileNetV2.NSFWJS_CLASSES.length);
            return probabilities;
        }
    }

    @Test
    void teacherLevelsHaveStrides4816AndKerasChannels() {
        try (NDManager batch = manager.newSubManager()) {
            BackboneBlock teacher = Teachers.untrained(BackboneKind.MOBILENET_V2, false, batch);
            NDList levels = teacher.features(batch.ones(new Shape(2, 3, 256, 256)));
            assertThat(levels).hasSize(3);
            assertThat(levels.get(0).getShape()).isEqualTo(new Shape(2, 24, 64, 64));
            assertThat(levels.get(1).getShape()).isEqualTo(new Shape(2, 32, 32, 32));
            assertThat(levels.get(2).getShape()).isEqualTo(new Shape(2, 96, 16, 16));
            BackboneBlock wide = Teachers.untrained(BackboneKind.MOBILENET_V2_140, false, batch);
            NDList wideLevels = wide.features(batch.ones(new Shape(2, 3, 256, 256)));
            assertThat(wideLevels.get(0).getShape()).isEqualTo(new Shape(2, 32, 64, 64));
            assertThat(wideLevels.get(1).getShape()).isEqualTo(new Shape(2, 48, 32, 32));
            assertThat(wideLevels.get(2).getShape()).isEqualTo(new Shape(2, 136, 16, 16));
            assertThat(BackboneKind.MOBILENET_V2_140.levelChannels()).containsExactly(32, 48, 136);
        }
    }

    @Test
    void wideConverterRenamesTheGraphToKerasNamesAndRebuildsItsBatchNorms() throws IOException {
        assertThat(WeightFiles.sha256(converted140)).isEqualTo(NsfwjsConverter.CONVERTED_140_SHA256);
        try (NDManager scratch = manager.newSubManager()) {
            NDList tensors = NDList.decode(scratch, Files.newInputStream(converted140));
            // 52 convolutions with a folded batch norm each (one kernel + four norm tensors), the classifier's two
            assertThat(tensors).hasSize(52 * 5 + 2);
            assertThat(find(tensors, "Conv1/kernel").getShape()).isEqualTo(new Shape(48, 3, 3, 3));
            assertThat(find(tensors, "block_13_expand/kernel").getShape()).isEqualTo(new Shape(816, 136, 1, 1));
            assertThat(find(tensors, "block_13_depthwise/depthwise_kernel").getShape())
                    .isEqualTo(new Shape(816, 1, 3, 3));
            assertThat(find(tensors, "logits/kernel").getShape()).isEqualTo(new Shape(5, 1792));
            assertThat(find(tensors, "block_4_project_BN/gamma").toFloatArray()).containsOnly(1f);
            assertThat(find(tensors, "block_4_project_BN/moving_variance").toFloatArray()).containsOnly(1f);
            assertThat(find(tensors, "block_4_project_BN/moving_mean").toFloatArray()).containsOnly(0f);
            assertThat(find(tensors, "block_4_project_BN/beta").toFloatArray()).doesNotContain(Float.NaN)
                    .isNotEqualTo(new float[48]);
        }
    }

    @Test
    void converterWritesAllKerasTensorsInDjlLayout() throws IOException {
        // the same bytes on every platform: the pin that imports of converted files are checked against
        assertThat(WeightFiles.sha256(converted)).isEqualTo(NsfwjsConverter.CONVERTED_SHA256);
        try (NDManager scratch = manager.newSubManager()) {
            NDList tensors = NDList.decode(scratch, Files.newInputStream(converted));
            assertThat(tensors).hasSize(266);
            NDArray conv1 = tensors.get(tensors.indexOf(find(tensors, "Conv1/kernel")));
            assertThat(conv1.getShape()).isEqualTo(new Shape(32, 3, 3, 3));
            assertThat(find(tensors, "block_1_depthwise/depthwise_kernel").getShape())
                    .isEqualTo(new Shape(96, 1, 3, 3));
            assertThat(find(tensors, "dense_1/kernel").getShape()).isEqualTo(new Shape(256, 1280));
        }
    }

    /** TensorFlow's bilinear resize with aligned corners, as nsfwjs calls it; CHW output. */
    private static float[] resizeAlignCorners(RgbImage image, int size) {
        float[] out = new float[3 * size * size];
        float sx = (image.width() - 1f) / (size - 1);
        float sy = (image.height() - 1f) / (size - 1);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                float fy = y * sy;
                int y0 = (int) fy;
                int y1 = Math.min(y0 + 1, image.height() - 1);
                float wy = fy - y0;
                for (int x = 0; x < size; x++) {
                    float fx = x * sx;
                    int x0 = (int) fx;
                    int x1 = Math.min(x0 + 1, image.width() - 1);
                    float wx = fx - x0;
                    float top = image.get(c, x0, y0) * (1 - wx) + image.get(c, x1, y0) * wx;
                    float bottom = image.get(c, x0, y1) * (1 - wx) + image.get(c, x1, y1) * wx;
                    out[(c * size + y) * size + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return out;
    }

    private static NDArray find(NDList tensors, String name) {
        return tensors.stream().filter(t -> name.equals(t.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no tensor " + name));
    }
}
