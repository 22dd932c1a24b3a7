package dmdd.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint whose record is damaged is refused naming the file, never resumed from a made-up step. */
class CheckpointRecordTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedRecordIsRefusedNamingTheFile() throws IOException {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().withTotalSteps(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            Path good = dir.resolve("good.safetensors");
            NDArray weight = manager.ones(new Shape(2));
            weight.setName("w");
            Checkpoint.write(good, 4, settings, new NDList(weight), manager);
            assertThat(Checkpoint.read(good, manager).completedSteps()).isEqualTo(4);

            for (String record : new String[] {"{not json", "[1, 2]",
                    "{\"format\": 1, \"completedSteps\": \"abc\", \"settings\": {}}",
                    "{\"format\": 1, \"completedSteps\": -1, \"settings\": {}}",
                    "{\"format\": 1, \"completedSteps\": 2.5, \"settings\": " + settings.toJson() + "}"}) {
                Path file = dir.resolve("damaged-" + Math.abs(record.hashCode()) + ".safetensors");
                withRecord(file, record, manager);
                assertThatThrownBy(() -> Checkpoint.read(file, manager)).as(record).isInstanceOf(IOException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("damaged");
            }
        }
    }

    private static void withRecord(Path file, String record, NDManager manager) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        NDArray meta = manager.create(java.nio.ByteBuffer.wrap(bytes), new Shape(bytes.length), DataType.UINT8);
        meta.setName(Checkpoint.META);
        NDArray weight = manager.ones(new Shape(2));
        weight.setName("w");
        NDList all = new NDList(weight, meta);
        AtomicFiles.write(file, out -> all.encode(out, NDList.Encoding.SAFETENSORS));
    }
}
