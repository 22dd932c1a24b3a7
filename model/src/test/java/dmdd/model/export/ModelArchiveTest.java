package dmdd.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TinyBackbone;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.OlderModels;
import dmdd.model.train.TrainingJob;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export a trained model as a zip, import it elsewhere, get identical scores; bad zips are refused clearly. */
class ModelArchiveTest {
    private static NDManager manager;
    private static TinyBackbone teacher;
    @TempDir
    static Path shared;
    private static Path modelDir;
    private static Path zip;
    private static List<RgbImage> normals;

    @BeforeAll
    static void trainAndExport() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = TinyBackbone.create(manager);
        normals = TestImages.stripes(6, 32, 3);
        DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 32, "batchSize", 2,
                "studentWidth", 8, "segmenterWidth", 8, "studentSteps", 2, "segmenterSteps", 2,
                "asppRates", List.of(2), "validationFraction", 0.3, "threads", 1, "topK", 20))
                // the attention of the models saved before the seal, so that OlderModels makes their descriptions
                .with("segmenterAttention", "input");
        modelDir = shared.resolve("workstation-a/model");
        assertThat(TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, modelDir, null, null,
                false).completed()).isTrue();
        zip = shared.resolve("exported.zip");
        ModelArchive.export(modelDir, zip, "test-1.0");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void anImportedModelScoresExactlyLikeTheOriginal() throws IOException {
        ModelArchive.Manifest manifest = ModelArchive.inspect(zip);
        assertThat(manifest.applicationVersion()).isEqualTo("test-1.0");
        assertThat(manifest.files()).containsOnlyKeys(ModelFolder.DESCRIPTION, ModelFolder.WEIGHTS);

        Path imported = shared.resolve("workstation-b/model");
        ModelFolder model = ModelArchive.importInto(zip, imported);
        ModelFolder original = ModelFolder.read(modelDir);
        assertThat(model.settings()).isEqualTo(original.settings());
        assertThat(model.thresholds()).isEqualTo(original.thresholds());

        List<RgbImage> images = List.of(normals.get(0), TestImages.paintRectangle(normals.get(1),
                new java.util.Random(3)).augmented());
        try (Inspector a = Inspector.open(modelDir, teacher); Inspector b = Inspector.open(imported, teacher)) {
            List<AnomalyMaps> before = a.inspect(images);
            List<AnomalyMaps> after = b.inspect(images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(after.get(i).score()).isEqualTo(before.get(i).score());
                assertThat(after.get(i).fused()).isEqualTo(before.get(i).fused());
            }
        }
    }

    @Test
    void importReplacesAnExistingModelAndARefusedImportLeavesItAlone(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("model");
        ModelArchive.importInto(zip, target);
        byte[] weights = ModelFolder.read(target).readWeights();
        Path notZip = Files.writeString(tmp.resolve("notes.zip"), "these are my notes");
        assertThatThrownBy(() -> ModelArchive.importInto(notZip, target))
                .isInstanceOf(ModelArchiveException.class).hasMessageContaining("not a zip file");
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
        ModelArchive.importInto(zip, target);
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
        // the same zip again: no version that is a copy of the model replacing it
        assertThat(dmdd.model.infer.ModelVersions.list(target)).extracting(dmdd.model.infer.ModelVersions.Version::id)
                .containsExactly("current");
        // but weights damaged since are repaired by it, as the damage's message advises
        Path weightsFile = target.resolve(ModelFolder.read(target).weightsFile());
        byte[] damaged = weights.clone();
        damaged[damaged.length / 2] ^= 1;
        Files.write(weightsFile, damaged);
        ModelArchive.importInto(zip, target);
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model", "notes.zip");
        }
        // a training run into the folder that has not finished: the import deleted its checkpoint without a word
        // (a finished run's checkpoint, whatever its file time, does not stop an import)
        Path checkpoint = target.resolve(dmdd.model.train.Checkpoint.FILE_NAME);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            dmdd.model.dmdd.DmddSettings settings = ModelFolder.read(target).settings();
            ai.djl.ndarray.NDList arrays = new ai.djl.ndarray.NDList(m.zeros(new ai.djl.ndarray.types.Shape(2)));
            arrays.get(0).setName("w");
            dmdd.model.train.Checkpoint.write(checkpoint, settings.totalSteps(), settings, arrays, m);
            ModelArchive.importInto(zip, target);
            dmdd.model.train.Checkpoint.write(checkpoint, settings.totalSteps() - 1, settings, arrays, m);
        }
        assertThatThrownBy(() -> ModelArchive.importInto(zip, target)).isInstanceOf(ModelArchiveException.class)
                .hasMessageContaining("holds the checkpoint of a training run that has not finished")
                .hasMessageContaining("Nothing was changed");
        assertThat(checkpoint).exists();
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
    }

    @Test
    void anImportNeverReplacesAFolderThatIsNotAModel(@TempDir Path tmp) throws IOException {
        Path documents = Files.createDirectories(tmp.resolve("Documents"));
        Files.writeString(documents.resolve("thesis.txt"), "four years of work");
        assertThatThrownBy(() -> ModelArchive.importInto(zip, documents))
                .isInstanceOf(ModelArchiveException.class)
                .hasMessageContaining("is not a model folder").hasMessageContaining("Nothing was changed");
        assertThat(Files.readString(documents.resolve("thesis.txt"))).isEqualTo("four years of work");
        try (var left = Files.list(documents)) {
            assertThat(left).hasSize(1);
        }
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> ModelArchive.importInto(zip, file)).hasMessageContaining("is a file");
        assertThat(Files.readString(file)).isEqualTo("x");
        // An empty folder is fine.
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(ModelArchive.importInto(zip, empty).folder()).isEqualTo(empty.toAbsolutePath().normalize());
    }

    @Test
    void damagedForeignAndUnsafeArchivesAreRefusedWithTheReason(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(zip);

        Path truncated = tmp.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> ModelArchive.importInto(truncated, tmp.resolve("m1")))
                .isInstanceOf(ModelArchiveException.class).hasMessageContaining(truncated.toString())
                .hasMessageContaining("damaged");

        Path foreign = tmp.resolve("holiday.zip");
        writeZip(foreign, Map.of("photo.txt", "sun".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ModelArchive.importInto(foreign, tmp.resolve("m2")))
                .hasMessageContaining("not a DMDD model archive");

        Path newer = tmp.resolve("newer.zip");
        writeZip(newer, Map.of(ModelArchive.MANIFEST, ("{\"format\":\"dmdd-model-archive\",\"formatVersion\":7,"
                + "\"applicationVersion\":\"9.0\",\"files\":{}}").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ModelArchive.importInto(newer, tmp.resolve("m3")))
                .hasMessageContaining("format version 7").hasMessageContaining("newer version 9.0");

        // Same manifest, but the weights entry replaced by other bytes: checksum mismatch.
        Path altered = tmp.resolve("altered.zip");
        String manifest = readEntry(ModelArchive.MANIFEST);
        writeZip(altered, Map.of(ModelArchive.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8),
                ModelFolder.DESCRIPTION, readEntry(ModelFolder.DESCRIPTION).getBytes(StandardCharsets.UTF_8),
                ModelFolder.WEIGHTS, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> ModelArchive.importInto(altered, tmp.resolve("m4")))
                .hasMessageContaining("is damaged").hasMessageContaining(ModelFolder.WEIGHTS);

        // Zip-slip: an entry that would unpack outside the model folder, even when the manifest lists it.
        Path slip = tmp.resolve("slip.zip");
        String slipManifest = manifest.replace("\"" + ModelFolder.WEIGHTS + "\"", "\"../evil.sh\"");
        writeZip(slip, Map.of(ModelArchive.MANIFEST, slipManifest.getBytes(StandardCharsets.UTF_8),
                "../evil.sh", "rm -rf /".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ModelArchive.importInto(slip, tmp.resolve("sub/m5")))
                .isInstanceOf(ModelArchiveException.class);
        assertThat(tmp.resolve("evil.sh")).doesNotExist();
        assertThat(tmp.resolve("sub/evil.sh")).doesNotExist();

        Path slip2 = tmp.resolve("slip2.zip");
        writeZip(slip2, Map.of(ModelArchive.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8),
                "../../evil.sh", "x".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ModelArchive.importInto(slip2, tmp.resolve("sub/m6")))
                .hasMessageContaining("unsafe path");
        assertThat(tmp.resolve("sub/m6")).doesNotExist();
    }

    @Test
    void anArchiveListingMoreThanTheModelIsRefusedBeforeAnythingIsUnpacked(@TempDir Path tmp) throws IOException {
        // A checksummed extra entry: 300 MB of zeros would compress to a few hundred kilobytes.
        byte[] pad = new byte[1000];
        String manifest = readEntry(ModelArchive.MANIFEST).replaceFirst("\"files\"\\s*:\\s*\\{",
                "\"files\" : { \"pad\" : { \"size\" : 1000, \"sha256\" : \"" + ModelFolder.sha256(pad) + "\" },");
        assertThat(manifest).contains("\"pad\"");
        Path padded = tmp.resolve("padded.zip");
        writeZip(padded, Map.of(ModelArchive.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8),
                ModelFolder.DESCRIPTION, readEntry(ModelFolder.DESCRIPTION).getBytes(StandardCharsets.UTF_8),
                ModelFolder.WEIGHTS, readBytes(ModelFolder.WEIGHTS), "pad", pad));
        assertThatThrownBy(() -> ModelArchive.importInto(padded, tmp.resolve("m")))
                .isInstanceOf(ModelArchiveException.class).hasMessageContaining("lists files besides")
                .hasMessageContaining("[pad]");
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("padded.zip");
        }
    }

    @Test
    void anImportRemovesOnlyStagingFoldersThatNoRunningImportHolds(@TempDir Path tmp) throws IOException {
        Path stale = Files.createDirectories(tmp.resolve(".import-" + java.util.UUID.randomUUID()));
        Files.writeString(stale.resolve("in-use.lock"), "");
        Files.write(stale.resolve(ModelFolder.WEIGHTS), new byte[] {1});
        Path running = Files.createDirectories(tmp.resolve(".import-" + java.util.UUID.randomUUID()));
        Path older = Files.createDirectories(tmp.resolve(".import-" + java.util.UUID.randomUUID()));
        Files.write(older.resolve(ModelFolder.WEIGHTS), new byte[] {3}); // an older version's: no mark
        Files.setLastModifiedTime(older, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(java.time.Duration.ofDays(2))));
        Path young = Files.createDirectories(tmp.resolve(".import-" + java.util.UUID.randomUUID()));
        Files.write(young.resolve(ModelFolder.WEIGHTS), new byte[] {4}); // an older version's, still unpacking
        // killed between making its folder and marking it (the mark is the first file): empty, nothing to lose
        Path killedBeforeMark = Files.createDirectories(tmp.resolve(".import-" + java.util.UUID.randomUUID()));
        Path notOurs = Files.createDirectories(tmp.resolve(".import-notes"));
        Files.writeString(notOurs.resolve("todo.txt"), "mine");
        // Held as a running import holds its mark (the process's one channel on it).
        try (dmdd.model.paths.ProcessFileLock held = dmdd.model.paths.ProcessFileLock.acquire(
                running.resolve("in-use.lock"), "import-model other.zip", false)) {
            Files.write(running.resolve(ModelFolder.WEIGHTS), new byte[] {2});
            ModelArchive.importInto(zip, tmp.resolve("model"));
            assertThat(running.resolve(ModelFolder.WEIGHTS)).as("another import's unpacked files").exists();
        }
        assertThat(stale).as("a killed import's staging folder").doesNotExist();
        assertThat(older).as("an older version's staging folder, two days old").doesNotExist();
        assertThat(young.resolve(ModelFolder.WEIGHTS)).as("unmarked, not empty and new: maybe an older version's "
                + "import still unpacking").exists();
        assertThat(killedBeforeMark).as("unmarked and empty: an import that marks it makes it again").doesNotExist();
        assertThat(notOurs.resolve("todo.txt")).hasContent("mine");
        assertThat(ModelFolder.read(tmp.resolve("model")).weightsSha256())
                .isEqualTo(ModelFolder.read(modelDir).weightsSha256());
    }

    @Test
    void anArchiveWhoseWeightsDoNotFitItsNetworksChangesNothingInTheTarget(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("model");
        ModelArchive.importInto(zip, target);
        byte[] weights = ModelFolder.read(target).readWeights();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        // a description re-packed with a wider student (and without its seal, as a model of an older version):
        // its checksums are right, its weights belong to other networks
        com.fasterxml.jackson.databind.node.ObjectNode description =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(readEntry(ModelFolder.DESCRIPTION));
        OlderModels.savedBeforeTheSeal(description);
        ((com.fasterxml.jackson.databind.node.ObjectNode) description.get("settings")).put("studentWidth", 16);
        Path wider = repacked(tmp.resolve("wider.zip"), json.writeValueAsBytes(description));
        assertThatThrownBy(() -> ModelArchive.importInto(wider, target)).isInstanceOf(ModelArchiveException.class)
                .hasMessageContaining(wider.toString()).hasMessageContaining("does not hold a usable model")
                .hasMessageNotContaining(".import-");
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
        assertThat(target.resolve("versions")).as("no version kept for a refused import").doesNotExist();

        // its top-level method says AAND while its settings (which decide the networks) are DMDD's
        com.fasterxml.jackson.databind.node.ObjectNode relabelled =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(readEntry(ModelFolder.DESCRIPTION));
        OlderModels.savedBeforeTheSeal(relabelled);
        relabelled.put("method", "aand");
        Path aand = repacked(tmp.resolve("relabelled.zip"), json.writeValueAsBytes(relabelled));
        assertThatThrownBy(() -> ModelArchive.method(aand)).isInstanceOf(ModelArchiveException.class)
                .hasMessageContaining("'method' says \"aand\" but the settings are those of dmdd");
        assertThatThrownBy(() -> ModelArchive.importInto(aand, target)).isInstanceOf(ModelArchiveException.class);
        assertThat(ModelFolder.read(target).readWeights()).isEqualTo(weights);
        assertThat(target.resolve("versions")).doesNotExist();
    }

    @Test
    void anExportReplacesOnlyAnEarlierArchiveAndNeverWritesIntoAModelFolder(@TempDir Path tmp) throws IOException {
        Path picture = Files.write(tmp.resolve("000.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> ModelArchive.export(modelDir, picture, "test-1.0"))
                .isInstanceOf(ModelArchiveException.class).hasMessageContaining("is not a model archive");
        assertThat(Files.readAllBytes(picture)).containsExactly((byte) 0x89, 'P', 'N', 'G', 1, 2, 3);
        byte[] description = Files.readAllBytes(modelDir.resolve(ModelFolder.DESCRIPTION));
        assertThatThrownBy(() -> ModelArchive.export(modelDir, modelDir.resolve(ModelFolder.DESCRIPTION), "test-1.0"))
                .hasMessageContaining("is inside the model folder");
        assertThatThrownBy(() -> ModelArchive.export(modelDir, modelDir.resolve("model.zip"), "test-1.0"))
                .hasMessageContaining("is inside the model folder");
        assertThatThrownBy(() -> ModelArchive.export(modelDir, modelDir.resolve("new/deeper/model.zip"), "test-1.0"))
                .hasMessageContaining("is inside the model folder");
        assertThat(modelDir.resolve("new")).doesNotExist();
        assertThat(Files.readAllBytes(modelDir.resolve(ModelFolder.DESCRIPTION))).isEqualTo(description);
        // an earlier archive is replaced
        Path again = tmp.resolve("again.zip");
        Files.copy(zip, again);
        ModelArchive.export(modelDir, again, "test-2.0");
        assertThat(ModelArchive.inspect(again).applicationVersion()).isEqualTo("test-2.0");
    }

    @Test
    void aSealedModelStaysSealedThroughAZipAndAnUnsealedOneIsNeverCertified(@TempDir Path tmp) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(readEntry(ModelFolder.DESCRIPTION)).path(ModelFolder.SEAL).asText())
                .matches("[0-9a-f]{64}");
        Path sealedCopy = tmp.resolve("sealed");
        ModelArchive.importInto(zip, sealedCopy);
        assertThat(json.readTree(sealedCopy.resolve(ModelFolder.DESCRIPTION).toFile()).path(ModelFolder.SEAL).asText())
                .isEqualTo(json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile()).path(ModelFolder.SEAL)
                        .asText());
        // an older model's description (no seal) with thresholds edited: imported as it is, not sealed over them
        com.fasterxml.jackson.databind.node.ObjectNode description =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(readEntry(ModelFolder.DESCRIPTION));
        OlderModels.savedBeforeTheSeal(description);
        ((com.fasterxml.jackson.databind.node.ObjectNode) description.get("thresholds")).put("image", 0.99)
                .put("imageNg", 0.995);
        Path unsealed = repacked(tmp.resolve("unsealed.zip"), json.writeValueAsBytes(description));
        Path target = tmp.resolve("unsealed-model");
        ModelArchive.importInto(unsealed, target);
        assertThat(json.readTree(target.resolve(ModelFolder.DESCRIPTION).toFile()).has(ModelFolder.SEAL)).isFalse();
        assertThat(ModelFolder.read(target).thresholds().image()).isEqualTo(0.99);
    }

    /** The exported zip with another description, its manifest's size and checksum made to match. */
    private static Path repacked(Path file, byte[] description) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode manifest =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(readEntry(ModelArchive.MANIFEST));
        com.fasterxml.jackson.databind.node.ObjectNode info = (com.fasterxml.jackson.databind.node.ObjectNode)
                manifest.get("files").get(ModelFolder.DESCRIPTION);
        info.put("size", description.length);
        info.put("sha256", ModelFolder.sha256(description));
        writeZip(file, Map.of(ModelArchive.MANIFEST, json.writeValueAsBytes(manifest), ModelFolder.DESCRIPTION,
                description, ModelFolder.WEIGHTS, readBytes(ModelFolder.WEIGHTS)));
        return file;
    }

    private static byte[] readBytes(String name) throws IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        }
    }

    private static String readEntry(String name) throws IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }
}
