package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dmdd.model.engine.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A torchvision-layout safetensors file (names and shapes as in timm's {@code resnet18.tv_in1k},
 * random values) must load into ResNet-18 exactly, and every kind of misfit must be a clear error
 * that names the tensor and leaves the network untouched.
 */
class TorchvisionWeightsTest {
    @TempDir
    static Path dir;
    private static NDManager manager;
    private static Path file;

    @BeforeAll
    static void writeTorchvisionFile() throws IOException {
        manager = DjlRuntime.engine().newBaseManager();
        file = dir.resolve("resnet18.safetensors");
        writeFile(file, tensors -> tensors);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Writes a file with every tensor of ResNet-18 incl. fc, plus torchvision's num_batches_tracked. */
    private static void writeFile(Path target, UnaryOperator<NDList> edit) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            BackboneBlock full = Teachers.untrained(BackboneKind.RESNET18, true, scratch);
            NDList tensors = new NDList();
            for (Map.Entry<String, Parameter> entry : full.namedTensors().entrySet()) {
                NDArray values = scratch.randomNormal(entry.getValue().getShape());
                values.setName(entry.getKey());
                tensors.add(values);
            }
            NDArray counter = scratch.create(new long[] {1234L}, new Shape());
            counter.setName("bn1.num_batches_tracked");
            tensors.add(counter);
            NDList edited = edit.apply(tensors);
            try (OutputStream out = Files.newOutputStream(target)) {
                edited.encode(out, NDList.Encoding.SAFETENSORS);
            }
        }
    }

    @Test
    void torchvisionFileRoundTripsIntoResNet18Exactly() throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            BackboneBlock network = Teachers.fromFile(BackboneKind.RESNET18, true, file, null, null, scratch);
            NDList stored = NDList.decode(scratch, Files.newInputStream(file));
            assertThat(network.namedTensors()).hasSize(stored.size() - 1);
            for (NDArray tensor : stored) {
                Parameter parameter = network.namedTensors().get(tensor.getName());
                if (tensor.getName().endsWith("num_batches_tracked")) {
                    assertThat(parameter).isNull();
                    continue;
                }
                // Arrays.equals, not containsExactly: AssertJ's diff of millions of floats is too slow.
                assertThat(Arrays.equals(parameter.getArray().toFloatArray(), tensor.toFloatArray()))
                        .as("values of %s loaded exactly", tensor.getName()).isTrue();
                assertThat(parameter.requiresGradient()).as("frozen %s", tensor.getName()).isFalse();
            }
            assertThat(network.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.FILE);

            NDList out = network.features(scratch.randomUniform(0, 1, new Shape(1, 3, 256, 256)));
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, 64, 64, 64));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, 128, 32, 32));
            assertThat(out.get(2).getShape()).isEqualTo(new Shape(1, 256, 16, 16));
            assertThat(out.get(3).getShape()).isEqualTo(new Shape(1, 1000));
        }
    }

    @Test
    void missingTensorIsNamedAndNothingIsLoaded() throws IOException {
        Path broken = dir.resolve("missing.safetensors");
        writeFile(broken, tensors -> {
            tensors.remove("layer2.1.bn1.running_var");
            return tensors;
        });
        assertMisfitLeavesNetworkUntouched(broken, null, "tensor 'layer2.1.bn1.running_var' is missing");
    }

    @Test
    void wrongShapeIsNamedAndNothingIsLoaded() throws IOException {
        Path broken = dir.resolve("shape.safetensors");
        writeFile(broken, tensors -> {
            NDArray wrong = tensors.get(0).getManager().zeros(new Shape(128, 64, 1, 1));
            wrong.setName("layer3.0.conv1.weight");
            tensors.remove("layer3.0.conv1.weight");
            tensors.add(wrong);
            return tensors;
        });
        assertMisfitLeavesNetworkUntouched(broken, null,
                "tensor 'layer3.0.conv1.weight' has shape (128, 64, 1, 1), the network needs (256, 128, 3, 3)");
    }

    @Test
    void aTensorWithANaNIsNamedAndNothingIsLoaded() throws IOException {
        Path broken = dir.resolve("nan.safetensors");
        writeFile(broken, tensors -> {
            NDArray damaged = tensors.get("layer1.0.bn2.weight");
            damaged.set(new ai.djl.ndarray.index.NDIndex("3"), Float.NaN);
            return tensors;
        });
        assertMisfitLeavesNetworkUntouched(broken, null,
                "tensor 'layer1.0.bn2.weight' holds values that are not finite numbers");
    }

    @Test
    void fileThatIsNotSafetensorsIsAClearError() throws IOException {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, "this is not a weights file at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertMisfitLeavesNetworkUntouched(junk, null, "not a readable safetensors file");
    }

    @Test
    void wrongChecksumIsAnErrorAndNothingIsLoaded() throws IOException {
        String otherSha = "0".repeat(64);
        assertMisfitLeavesNetworkUntouched(file, otherSha, "wrong checksum");
    }

    @Test
    void importOfTheWrongNetworksFileIsRejectedAndTheCacheStaysEmpty() {
        // A ResNet-18 file offered as MobileNetV2 weights: not the pinned conversion, refused before any tensor.
        Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> Teachers.importWeights(BackboneKind.MOBILENET_V2, file, cache, manager))
                .isInstanceOf(TeacherWeightsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("wrong checksum")
                .hasMessageContaining(NsfwjsConverter.CONVERTED_SHA256);
        assertThat(cache.resolve(TeacherWeights.cacheFileName(BackboneKind.MOBILENET_V2))).doesNotExist();
    }

    @Test
    void importRejectsAFileThatIsNotThePinnedDownload() {
        Path cache = dir.resolve("cache-pin");
        assertThatThrownBy(() -> Teachers.importWeights(BackboneKind.RESNET18, file, cache, manager))
                .isInstanceOf(TeacherWeightsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("wrong checksum")
                .hasMessageContaining(TeacherWeights.RESNET18_HUB.sha256());
        assertThat(cache.resolve(TeacherWeights.cacheFileName(BackboneKind.RESNET18))).doesNotExist();
    }

    private static void assertMisfitLeavesNetworkUntouched(Path weights, String sha, String expectedMessage) {
        try (NDManager scratch = manager.newSubManager()) {
            BackboneBlock network = Teachers.untrained(BackboneKind.RESNET18, false, scratch);
            float[] before = network.namedTensors().get("conv1.weight").getArray().toFloatArray();
            WeightsOrigin origin = new WeightsOrigin(WeightsOrigin.Source.FILE, weights, sha, "test");
            assertThatThrownBy(() -> TeacherWeights.load(network, weights, sha, origin, scratch))
                    .isInstanceOf(TeacherWeightsException.class)
                    .hasMessageContaining(weights.toString())
                    .hasMessageContaining(expectedMessage);
            assertThat(Arrays.equals(network.namedTensors().get("conv1.weight").getArray().toFloatArray(), before))
                    .as("conv1.weight unchanged").isTrue();
            assertThat(network.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.RANDOM);
        }
    }

    @Test
    void wideResNetLevelsHaveTorchvisionChannels() {
        try (NDManager scratch = manager.newSubManager()) {
            BackboneBlock network = Teachers.untrained(BackboneKind.WIDE_RESNET50_2, false, scratch);
            assertThat(network.namedTensors()).containsKey("layer3.5.bn3.running_var")
                    .containsKey("layer1.0.downsample.0.weight");
            assertThat(network.namedTensors().get("layer2.0.conv2.weight").getShape())
                    .isEqualTo(new Shape(256, 256, 3, 3));
            NDList out = network.features(scratch.zeros(new Shape(1, 3, 64, 64), DataType.FLOAT32));
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, 256, 16, 16));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, 512, 8, 8));
            assertThat(out.get(2).getShape()).isEqualTo(new Shape(1, 1024, 4, 4));
        }
    }
}
