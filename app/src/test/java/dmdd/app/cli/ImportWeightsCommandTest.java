package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.testing.TinyModel;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.TeacherWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import-weights}: the command a failed download names, for machines without internet. */
class ImportWeightsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckedWeightsFileLandsInTheCacheAndAWrongOneChangesNothing() throws IOException {
        TinyModel.get(); // the default teacher is in this user's cache from here on
        String name = TeacherWeights.cacheFileName(BackboneKind.MOBILENET_V2);
        Path usbStick = Files.copy(UserDataDirs.weightsDir().resolve(name), tmp.resolve("model.safetensors"));
        Path cache = tmp.resolve("cache");

        CliRun imported = CliRun.of("import-weights", "--backbone", "mobilenetv2", "--weights-dir", cache.toString(),
                usbStick.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported the mobilenetv2 teacher's weights into " + cache.resolve(name));
        assertThat(Files.readAllBytes(cache.resolve(name))).isEqualTo(Files.readAllBytes(usbStick));

        // MobileNetV2's file offered as ResNet-18's: refused by name, nothing cached
        CliRun wrong = CliRun.of("import-weights", "--backbone", "resnet18", "--weights-dir", cache.toString(),
                usbStick.toString());
        assertThat(wrong.code()).isNotZero();
        assertThat(wrong.err()).contains(usbStick.toString()).doesNotContain("\tat ");
        assertThat(cache.resolve(TeacherWeights.cacheFileName(BackboneKind.RESNET18))).doesNotExist();

        // one weight changed, still a finite number: not the conversion, refused before the cache is touched
        byte[] changed = Files.readAllBytes(usbStick);
        changed[changed.length - 4] ^= 1; // the lowest mantissa byte of the last little-endian float
        Path edited = Files.write(tmp.resolve("edited.safetensors"), changed);
        CliRun refused = CliRun.of("import-weights", "--backbone", "mobilenetv2", "--weights-dir", cache.toString(),
                edited.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains(edited.toString()).contains("wrong checksum").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(cache.resolve(name))).isEqualTo(Files.readAllBytes(usbStick));

        CliRun missing = CliRun.of("import-weights", "--backbone", "resnet18", tmp.resolve("nowhere.safetensors")
                .toString());
        assertThat(missing.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(missing.err()).contains("nowhere.safetensors: no such file");
    }
}
