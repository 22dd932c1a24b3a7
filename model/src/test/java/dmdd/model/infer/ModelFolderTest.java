package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.Split;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TinyBackbone;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.train.Checkpoint;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving, loading and inspecting with a model folder; clear errors for bad folders. */
class ModelFolderTest {
    private static NDManager manager;
    private static TinyBackbone teacher;
    @TempDir
    static Path shared;
    private static Path modelDir;
    private static List<RgbImage> normals;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = TinyBackbone.create(manager);
        normals = TestImages.stripes(10, 64, 3);
        modelDir = shared.resolve("model");
        TrainingResult r = TrainingJob.run(settings(), normals, teacher, TestImages::paintRectangle, modelDir,
                new dmdd.model.train.TrainingListener() {
                    @Override
                    public void onMessage(String message) {
                        MESSAGES.add(message);
                    }
                }, null, false);
        assertThat(r.completed()).isTrue();
    }

    /** What training the shared model said. */
    private static final List<String> MESSAGES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void thresholdsFittedOnAFewHeldOutImagesAreSaidToBeAGuess() {
        // 10 images, 30 % held out: the OK-below threshold is the top of three scores, and nothing said so
        assertThat(MESSAGES).contains("fitting thresholds on 3 held-out normal images")
                .contains("warning: only 3 normal images were held out for the thresholds: the verdicts' "
                        + "thresholds are a guess; add normal images (about 17 or more) for thresholds to trust");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static DmddSettings settings() {
        return DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 2, "studentWidth", 8,
                "segmenterWidth", 8, "studentSteps", 4, "segmenterSteps", 4, "asppRates", List.of(2),
                "validationFraction", 0.3, "threads", 1, "topK", 20))
                // the attention of the models saved before the seal, so that OlderModels makes their descriptions
                .with("segmenterAttention", "input");
    }

    @Test
    void savedModelReloadsExactlyAndInspectsAtTheOriginalResolution() throws IOException {
        ModelFolder model = ModelFolder.read(modelDir);
        assertThat(model.settings()).isEqualTo(settings());
        assertThat(model.teacher().cliName()).isEqualTo("mobilenetv2");
        assertThat(model.training().validationImages()).isEqualTo(3);
        assertThat(model.training().trainImages()).isEqualTo(7);
        Thresholds saved = model.thresholds();
        assertThat(saved.fittedOn()).isEqualTo("validation");
        assertThat(saved.fused().high()).isGreaterThan(saved.fused().low());

        List<RgbImage> validation = Split.of(normals, 0.3, settings().seed()).validation();
        try (Inspector inspector = Inspector.open(modelDir, teacher)) {
            // re-fitting on the same held-out images from the reloaded weights gives the saved numbers
            Thresholds refit = Thresholds.fit(inspector.inspect(validation), model.settings(), "validation");
            assertThat(refit.image()).isCloseTo(saved.image(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(refit.imageNg()).isCloseTo(saved.imageNg(), org.assertj.core.data.Offset.offset(1e-5))
                    .isGreaterThan(saved.image());
            assertThat(refit.pixel()).isCloseTo(saved.pixel(), org.assertj.core.data.Offset.offset(1e-5));

            RgbImage odd = normals.get(0).resize(80, 48);
            List<AnomalyMaps> maps = inspector.inspect(List.of(odd, normals.get(1), odd));
            assertThat(maps).hasSize(3);
            AnomalyMaps a = maps.get(0);
            assertThat(a.width()).isEqualTo(80);
            assertThat(a.height()).isEqualTo(48);
            assertThat(a.fused()).hasSize(80 * 48);
            assertThat(a.normality()).hasSize(80 * 48).isNotEqualTo(a.abnormality());
            assertThat(a.score()).isBetween(0.0, 1.0);
            // batching does not change results
            assertThat(maps.get(2).score()).isEqualTo(a.score());
            assertThat(inspector.inspect(odd).fused()).containsExactly(a.fused(),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void aFusedMapMadeWithTheBranchRangesIsCalibratedOnItself(@TempDir Path tmp) throws IOException {
        DmddSettings mean = settings().with("fusion", "mean_with_branches");
        Path dir = tmp.resolve("mean");
        assertThat(TrainingJob.run(mean, normals, teacher, TestImages::paintRectangle, dir, null, null, false)
                .completed()).isTrue();
        Thresholds saved = ModelFolder.read(dir).thresholds();
        List<RgbImage> validation = Split.of(normals, 0.3, mean.seed()).validation();
        try (Inspector inspector = Inspector.open(dir, teacher)) {
            List<AnomalyMaps> maps = inspector.inspect(validation);
            // the saved thresholds are those of the fused maps this model makes, not of the segmenter's output alone
            Thresholds refit = Thresholds.fit(maps, mean, "validation");
            assertThat(refit.pixel()).isCloseTo(saved.pixel(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(refit.image()).isCloseTo(saved.image(), org.assertj.core.data.Offset.offset(1e-5));
            // a mean of a probability and clipped branch maps stays in [0, 1]
            for (AnomalyMaps m : maps) {
                for (float v : m.fused()) {
                    assertThat(v).isBetween(0f, 1f);
                }
            }
        }
    }

    @Test
    void missingFilesAndOtherVersionsAreClearErrors(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> ModelFolder.read(tmp.resolve("nowhere")))
                .isInstanceOf(ModelFolderException.class).hasMessageContaining("no model folder");

        Path unfinished = Files.createDirectories(tmp.resolve("unfinished"));
        Files.copy(modelDir.resolve(Checkpoint.FILE_NAME), unfinished.resolve(Checkpoint.FILE_NAME));
        assertThatThrownBy(() -> ModelFolder.read(unfinished))
                .hasMessageContaining("model.json is missing").hasMessageContaining("training has not finished");

        Path noWeights = Files.createDirectories(tmp.resolve("noWeights"));
        Files.copy(modelDir.resolve(ModelFolder.DESCRIPTION), noWeights.resolve(ModelFolder.DESCRIPTION));
        String weightsFile = ModelFolder.read(modelDir).weightsFile();
        assertThat(weightsFile).matches("weights-[0-9a-f]{16}\\.safetensors");
        assertThatThrownBy(() -> ModelFolder.read(noWeights)).hasMessageContaining(weightsFile + " is missing");

        Path newer = Files.createDirectories(tmp.resolve("newer"));
        Files.copy(modelDir.resolve(weightsFile), newer.resolve(weightsFile));
        ObjectMapper json = new ObjectMapper();
        ObjectNode description = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        description.put("formatVersion", 99);
        Files.writeString(newer.resolve(ModelFolder.DESCRIPTION), description.toString());
        assertThatThrownBy(() -> ModelFolder.read(newer))
                .hasMessageContaining("format version 99").hasMessageContaining("newer version");

        // a hand-edited description whose thresholds are out of order: the record's own words, not Jackson's
        Path edited = Files.createDirectories(tmp.resolve("edited"));
        Files.copy(modelDir.resolve(weightsFile), edited.resolve(weightsFile));
        ObjectNode editedDescription = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        OlderModels.savedBeforeTheSeal(editedDescription); // as a model saved before the seal
        ObjectNode editedThresholds = (ObjectNode) editedDescription.get("thresholds");
        editedThresholds.put("imageNg", editedThresholds.get("image").asDouble() - 1);
        Files.writeString(edited.resolve(ModelFolder.DESCRIPTION), editedDescription.toString());
        assertThatThrownBy(() -> ModelFolder.read(edited)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("bad model description").hasMessageContaining("must not be below the OK-below")
                .hasMessageNotContaining("Cannot construct").hasMessageNotContaining("Source:");

        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.copy(modelDir.resolve(ModelFolder.DESCRIPTION), corrupt.resolve(ModelFolder.DESCRIPTION));
        Files.writeString(corrupt.resolve(weightsFile), "garbage");
        assertThatThrownBy(() -> Inspector.open(corrupt, teacher))
                .isInstanceOf(ModelFolderException.class).hasMessageContaining("is damaged")
                .hasMessageContaining(weightsFile);
        // A single flipped byte is caught too (the checksum, not the decoder, refuses it).
        Path flipped = Files.createDirectories(tmp.resolve("flipped"));
        Files.copy(modelDir.resolve(ModelFolder.DESCRIPTION), flipped.resolve(ModelFolder.DESCRIPTION));
        byte[] bytes = Files.readAllBytes(modelDir.resolve(weightsFile));
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(flipped.resolve(weightsFile), bytes);
        assertThatThrownBy(() -> Inspector.open(flipped, teacher)).hasMessageContaining("is damaged");
        // A model saved before the checksum pointer (weights.safetensors, no "weights" entry) still loads.
        Path old = Files.createDirectories(tmp.resolve("old"));
        ObjectNode oldDescription = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        oldDescription.remove("weights");
        OlderModels.savedBeforeTheSeal(oldDescription);
        Files.writeString(old.resolve(ModelFolder.DESCRIPTION), oldDescription.toString());
        Files.copy(modelDir.resolve(weightsFile), old.resolve(ModelFolder.WEIGHTS));
        try (Inspector inspector = Inspector.open(old, teacher)) {
            assertThat(inspector.model().weightsFile()).isEqualTo(ModelFolder.WEIGHTS);
        }
        // A model saved before the unsure band (one image threshold) reads with no band: NG-above = OK-below.
        Path single = Files.createDirectories(tmp.resolve("single"));
        ObjectNode singleDescription = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        ((ObjectNode) singleDescription.get("thresholds")).remove("imageNg");
        OlderModels.savedBeforeTheSeal(singleDescription);
        Files.writeString(single.resolve(ModelFolder.DESCRIPTION), singleDescription.toString());
        Files.copy(modelDir.resolve(weightsFile), single.resolve(weightsFile));
        Thresholds oneThreshold = ModelFolder.read(single).thresholds();
        assertThat(oneThreshold.imageNg()).isEqualTo(oneThreshold.image())
                .isNotEqualTo(ModelFolder.read(modelDir).thresholds().imageNg());
        // A model a newer version saved, with a setting this one does not know: it said "bad model description"
        Path newerSettings = Files.createDirectories(tmp.resolve("newer-settings"));
        ObjectNode newerDescription = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        ((ObjectNode) newerDescription.get("settings")).put("laterSetting", 3);
        ModelFolder.seal(newerDescription);
        Files.writeString(newerSettings.resolve(ModelFolder.DESCRIPTION), newerDescription.toString());
        Files.copy(modelDir.resolve(weightsFile), newerSettings.resolve(weightsFile));
        assertThatThrownBy(() -> ModelFolder.read(newerSettings)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("was saved by a newer version of DMDD Inspector: its settings hold setting "
                        + "'laterSetting', which this version does not know");
    }

    @Test
    void aDescriptionEditedAfterItsModelWasSavedIsRefusedAndAReformattedOneIsNot(@TempDir Path tmp) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String weightsFile = ModelFolder.read(modelDir).weightsFile();
        ObjectNode saved = (ObjectNode) json.readTree(modelDir.resolve(ModelFolder.DESCRIPTION).toFile());
        assertThat(saved.path(ModelFolder.SEAL).asText()).matches("[0-9a-f]{64}");

        // another topK: the scores move away from the thresholds fitted with the saved one
        ObjectNode topK = saved.deepCopy();
        ((ObjectNode) topK.get("settings")).put("topK", 2147483647);
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("topK"), topK, weightsFile)))
                .isInstanceOf(ModelFolderException.class).hasMessageContaining("was changed after the model was saved")
                .hasMessageContaining(ModelFolder.DESCRIPTION);
        // an OK-below threshold raised so far that every image is OK
        ObjectNode raised = saved.deepCopy();
        ((ObjectNode) raised.get("thresholds")).put("image", 1e300).put("imageNg", 1e300);
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("raised"), raised, weightsFile)))
                .hasMessageContaining("was changed after the model was saved");
        // the weights' checksum taken out (its check would be skipped)
        ObjectNode unverified = saved.deepCopy();
        ((ObjectNode) unverified.get("weights")).remove("sha256");
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("unverified"), unverified, weightsFile)))
                .hasMessageContaining("weights.sha256").hasMessageContaining("missing");
        // the whole weights pointer taken out: the checksum's check would be skipped
        ObjectNode noPointer = saved.deepCopy();
        noPointer.remove("weights");
        Path unpointed = folderWith(tmp.resolve("unpointed"), noPointer, weightsFile);
        Files.copy(modelDir.resolve(weightsFile), unpointed.resolve(ModelFolder.WEIGHTS));
        assertThatThrownBy(() -> ModelFolder.read(unpointed)).hasMessageContaining("weights.sha256");
        // another model's weights under this description, their own checksum written in: thresholds fitted on other
        // weights
        ObjectNode swapped = saved.deepCopy();
        byte[] other = Files.readAllBytes(modelDir.resolve(weightsFile));
        other[other.length - 5] ^= 0x10;
        ((ObjectNode) swapped.get("weights")).put("sha256", ModelFolder.sha256(other));
        Path swappedFolder = folderWith(tmp.resolve("swapped"), swapped, weightsFile);
        Files.write(swappedFolder.resolve(weightsFile), other);
        assertThatThrownBy(() -> ModelFolder.read(swappedFolder)).hasMessageContaining("was changed after");
        // the seal itself taken out, thresholds raised: this version sealed the model, so it is no older model
        ObjectNode unsealedRaised = raised.deepCopy();
        unsealedRaised.remove(ModelFolder.SEAL);
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("unsealedRaised"), unsealedRaised,
                weightsFile))).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("has lost its " + ModelFolder.SEAL).hasMessageContaining(ModelFolder.DESCRIPTION);
        // and so is one that lost the seal and any of the settings added after it but not all
        ObjectNode partlyOlder = unsealedRaised.deepCopy();
        ((ObjectNode) partlyOlder.get("settings")).remove(ModelFolder.SETTINGS_AFTER_SEAL.get(0));
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("partlyOlder"), partlyOlder, weightsFile)))
                .hasMessageContaining("has lost its " + ModelFolder.SEAL);
        // an older model (no seal, no checksum) whose weights file holds other bytes than its name says
        ObjectNode older = OlderModels.savedBeforeTheSeal(saved.deepCopy());
        ((ObjectNode) older.get("weights")).remove("sha256");
        Path olderFolder = folderWith(tmp.resolve("older"), older, weightsFile);
        assertThat(ModelFolder.read(olderFolder).readWeights()).as("its own weights")
                .isEqualTo(Files.readAllBytes(modelDir.resolve(weightsFile)));
        Files.write(olderFolder.resolve(weightsFile), other);
        assertThatThrownBy(() -> ModelFolder.read(olderFolder).readWeights())
                .isInstanceOf(ModelFolderException.class).hasMessageContaining(weightsFile)
                .hasMessageContaining("does not hold the weights its name says");
        // numbers written another way (jq writes 4.0 as 4, Python 0.001 as 0.001 or 1e-03) are the same numbers
        String jqStyle = saved.toString().replace("\"gaussianSigma\":4.0", "\"gaussianSigma\":4")
                .replace("\"studentLearningRate\":0.001", "\"studentLearningRate\":1e-03");
        assertThat(jqStyle).contains("\"gaussianSigma\":4,").contains("1e-03");
        Path reformatted = folderWith(tmp.resolve("jq"), saved, weightsFile);
        Files.writeString(reformatted.resolve(ModelFolder.DESCRIPTION), jqStyle);
        assertThat(ModelFolder.read(reformatted).settings()).isEqualTo(ModelFolder.read(modelDir).settings());
        // the same description written compactly with its keys in another order is the same model
        ObjectNode reordered = json.createObjectNode();
        List<String> names = new java.util.ArrayList<>();
        saved.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(n -> reordered.set(n, saved.get(n)));
        ModelFolder same = ModelFolder.read(folderWith(tmp.resolve("reordered"), reordered, weightsFile));
        assertThat(same.thresholds()).isEqualTo(ModelFolder.read(modelDir).thresholds());

        // without a seal (a model saved before it), thresholds still have to be numbers
        ObjectNode unsealed = saved.deepCopy();
        OlderModels.savedBeforeTheSeal(unsealed);
        for (String value : new String[] {"\"Infinity\"", "null", "\"0.5\""}) {
            ObjectNode bad = unsealed.deepCopy();
            ((ObjectNode) bad.get("thresholds")).set("image", json.readTree(value));
            Path folder = folderWith(tmp.resolve("bad" + value.hashCode()), bad, weightsFile);
            assertThatThrownBy(() -> ModelFolder.read(folder)).isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("'thresholds.image' must be a number");
        }
        ObjectNode noFusedRange = unsealed.deepCopy();
        ((ObjectNode) noFusedRange.get("thresholds")).remove("fused");
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("noFused"), noFusedRange, weightsFile)))
                .hasMessageContaining("'thresholds.fused' is missing");
        ObjectNode otherMethod = unsealed.deepCopy();
        otherMethod.put("method", "aand");
        assertThatThrownBy(() -> ModelFolder.read(folderWith(tmp.resolve("method"), otherMethod, weightsFile)))
                .hasMessageContaining("'method' says \"aand\" but the settings are those of dmdd");
        // a key given twice: which one was meant is a guess
        Path twice = folderWith(tmp.resolve("twice"), unsealed, weightsFile);
        String text = Files.readString(twice.resolve(ModelFolder.DESCRIPTION));
        Files.writeString(twice.resolve(ModelFolder.DESCRIPTION), text.replaceFirst("\"thresholds\"\\s*:\\s*\\{",
                "\"thresholds\": {\"image\": 1e300, "));
        assertThatThrownBy(() -> ModelFolder.read(twice)).hasMessageContaining("unreadable model description")
                .hasMessageContaining("image");
    }

    private static Path folderWith(Path folder, ObjectNode description, String weightsFile) throws IOException {
        Files.createDirectories(folder);
        Files.copy(modelDir.resolve(weightsFile), folder.resolve(weightsFile));
        Files.writeString(folder.resolve(ModelFolder.DESCRIPTION), description.toString());
        return folder;
    }

    @Test
    void aRunIntoAFolderWhoseModelCannotBeReadIsRefusedBeforeItsFirstStep(@TempDir Path tmp) throws IOException {
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        String weightsFile = ModelFolder.read(modelDir).weightsFile();
        Files.copy(modelDir.resolve(weightsFile), damaged.resolve(weightsFile));
        Files.writeString(damaged.resolve(ModelFolder.DESCRIPTION), "");
        List<String> steps = new java.util.ArrayList<>();
        dmdd.model.train.TrainingListener listener = new dmdd.model.train.TrainingListener() {
            @Override
            public void onProgress(dmdd.model.train.TrainingProgress p) {
                steps.add("step");
            }
        };
        assertThatThrownBy(() -> TrainingJob.run(settings(), normals, teacher, TestImages::paintRectangle, damaged,
                listener, null, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(damaged.resolve(ModelFolder.DESCRIPTION).toString())
                .hasMessageContaining("train into a new folder");
        assertThat(steps).isEmpty();
        assertThat(damaged.resolve(Checkpoint.FILE_NAME)).doesNotExist();
    }
}
