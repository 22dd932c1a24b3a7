package dmdd.model.teacher;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dmdd.model.engine.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Teachers#load} converts the nsfwjs tarball found on this machine once, says so, and uses
 * the verified cache afterwards; a damaged cache is converted again rather than used.
 */
class TeachersLoadTest {
    @TempDir
    Path cache;

    @Test
    void convertsLocalTarballOnceThenUsesTheCache() throws IOException {
        List<String> tasks = new ArrayList<>();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Backbone first = Teachers.load(BackboneKind.MOBILENET_V2, manager, cache,
                    (task, done, total) -> tasks.add(task));
            assertThat(first.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.NSFWJS_LOCAL_TARBALL);
            assertThat(first.weightsOrigin().description()).contains("nsfwjs@4.3.0").contains("MIT");
            assertThat(tasks).anyMatch(t -> t.startsWith("Converting"));
            Path file = cache.resolve(TeacherWeights.cacheFileName(BackboneKind.MOBILENET_V2));
            assertThat(file).isRegularFile();
            assertThat(first.weightsOrigin().file()).isEqualTo(file);

            Backbone second = Teachers.load(BackboneKind.MOBILENET_V2, manager, cache, DownloadProgress.NONE);
            assertThat(second.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.CACHE);
            assertThat(second.weightsOrigin().sha256()).isEqualTo(first.weightsOrigin().sha256());
            for (Parameter parameter : second.getParameters().values()) {
                assertThat(parameter.requiresGradient()).as("frozen %s", parameter.getName()).isFalse();
            }
            NDList levels = second.features(manager.randomUniform(0, 1, new Shape(1, 3, 256, 256)));
            assertThat(levels).hasSize(3);
            assertThat(levels.get(2).getShape()).isEqualTo(new Shape(1, 96, 16, 16));

            // A damaged cache is not used: the tarball is converted again.
            Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            Backbone third = Teachers.load(BackboneKind.MOBILENET_V2, manager, cache, DownloadProgress.NONE);
            assertThat(third.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.NSFWJS_LOCAL_TARBALL);
            assertThat(third.weightsOrigin().sha256()).isEqualTo(first.weightsOrigin().sha256());
        }
    }

    @Test
    void importsAConvertedFileForAnAirGappedMachine() throws IOException {
        Path elsewhere = cache.resolve("usb-stick").resolve("weights.safetensors");
        NsfwjsConverter.convert(BackboneKind.MOBILENET_V2, Fixtures.nsfwjsTarball(), elsewhere);
        Path weights = cache.resolve("weights");
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            WeightsOrigin imported = Teachers.importWeights(BackboneKind.MOBILENET_V2, elsewhere, weights, manager);
            assertThat(imported.source()).isEqualTo(WeightsOrigin.Source.LOCAL_IMPORT);
            assertThat(imported.description()).contains(elsewhere.toString());
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, manager, weights, DownloadProgress.NONE);
            assertThat(teacher.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.CACHE);
            assertThat(teacher.weightsOrigin().sha256()).isEqualTo(imported.sha256());
        }
    }

    @Test
    void bothNsfwjsTeachersComeFromOneTarballIntoTheirOwnFiles() throws IOException {
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Backbone narrow = Teachers.load(BackboneKind.MOBILENET_V2, manager, cache, DownloadProgress.NONE);
            Backbone wide = Teachers.load(BackboneKind.MOBILENET_V2_140, manager, cache, DownloadProgress.NONE);
            assertThat(wide.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.NSFWJS_LOCAL_TARBALL);
            assertThat(wide.weightsOrigin().description()).contains("MobileNetV2 1.4").contains("MIT");
            assertThat(wide.weightsOrigin().sha256()).isEqualTo(NsfwjsConverter.CONVERTED_140_SHA256);
            assertThat(narrow.weightsOrigin().file()).isNotEqualTo(wide.weightsOrigin().file());
            NDList levels = wide.features(manager.randomUniform(0, 1, new Shape(1, 3, 128, 128)));
            assertThat(levels.get(0).getShape()).isEqualTo(new Shape(1, 32, 32, 32));
            assertThat(levels.get(2).getShape()).isEqualTo(new Shape(1, 136, 8, 8));
            // the one network's converted file is not the other's
            Path weights = cache.resolve("weights");
            assertThatThrownBy(() -> Teachers.importWeights(BackboneKind.MOBILENET_V2_140,
                    narrow.weightsOrigin().file(), weights, manager))
                    .isInstanceOf(TeacherWeightsException.class)
                    .hasMessageContaining(NsfwjsConverter.CONVERTED_140_SHA256);
            assertThat(weights.resolve(TeacherWeights.cacheFileName(BackboneKind.MOBILENET_V2_140))).doesNotExist();
        }
    }

    @Test
    void theTarballIsKnownByItsContentWhateverItsName() throws IOException {
        Path renamed = cache.resolve("download").resolve("weights.bin");
        Files.createDirectories(renamed.getParent());
        Files.copy(Fixtures.nsfwjsTarball(), renamed);
        Path weights = cache.resolve("weights");
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            WeightsOrigin imported = Teachers.importWeights(BackboneKind.MOBILENET_V2_140, renamed, weights, manager);
            assertThat(imported.sha256()).isEqualTo(NsfwjsConverter.CONVERTED_140_SHA256);
            // the tarball holds no ResNet: said so, not a checksum riddle
            assertThatThrownBy(() -> Teachers.importWeights(BackboneKind.RESNET18, renamed, weights, manager))
                    .isInstanceOf(TeacherWeightsException.class)
                    .hasMessageContaining("holds the weights of mobilenetv2 and mobilenetv2_140, not of resnet18");
            // a converted file named like a tarball is taken as the converted file it is
            Path converted = weights.resolve(TeacherWeights.cacheFileName(BackboneKind.MOBILENET_V2_140));
            Path named = cache.resolve("download").resolve("converted.tgz");
            Files.copy(converted, named);
            Path other = cache.resolve("other");
            assertThat(Teachers.importWeights(BackboneKind.MOBILENET_V2_140, named, other, manager).sha256())
                    .isEqualTo(NsfwjsConverter.CONVERTED_140_SHA256);
        }
    }
}
