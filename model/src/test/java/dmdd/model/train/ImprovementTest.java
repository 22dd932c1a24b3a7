package dmdd.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TinyBackbone;
import dmdd.model.dmdd.Weights;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Improve model": a short continued training from the current model on more normal images, re-calibrated,
 * with the previous model kept as a version the user can go back to.
 */
class ImprovementTest {
    private static NDManager manager;
    private static TinyBackbone teacher;
    @TempDir
    static Path shared;
    private static Path base;
    private static List<RgbImage> normals;

    @BeforeAll
    static void trainBaseModel() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = TinyBackbone.create(manager);
        normals = TestImages.stripes(8, 64, 5);
        base = shared.resolve("base");
        DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 2,
                "studentWidth", 8, "segmenterWidth", 8, "studentSteps", 2, "segmenterSteps", 2, "asppRates",
                List.of(2), "validationFraction", 0.25, "threads", 1, "topK", 20));
        assertThat(TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, base, null, null, false)
                .completed()).isTrue();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static TrainingListener messagesInto(List<String> said) {
        return new TrainingListener() {
            @Override
            public void onMessage(String message) {
                said.add(message);
            }
        };
    }

    /** The student's batch-norm running statistics of a saved model, by weight name. */
    private static Map<String, float[]> runningStatistics(Path modelDir) throws IOException {
        ModelFolder folder = ModelFolder.read(modelDir);
        Map<String, float[]> out = new java.util.TreeMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList saved = NDList.decode(m, Files.readAllBytes(modelDir.resolve(folder.weightsFile())));
            for (Map.Entry<String, NDArray> e : Weights.byName(saved).entrySet()) {
                if (e.getKey().startsWith("student") && e.getKey().contains("running")) {
                    out.put(e.getKey(), e.getValue().toFloatArray());
                }
            }
        }
        return out;
    }

    private static Path copyOfBase(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        try (var files = Files.list(base)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void trainingAgainIntoAModelFolderKeepsTheModelItReplacesAndNeverTrainsAmongOtherFiles(@TempDir Path tmp)
            throws IOException {
        Path dir = copyOfBase(tmp);
        DmddSettings settings = ModelFolder.read(dir).settings().with("seed", 7L);
        assertThat(TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, dir, null, null, false)
                .completed()).isTrue();
        List<ModelVersions.Version> versions = ModelVersions.list(dir);
        assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
        ModelVersions.Version kept = versions.stream().filter(v -> !v.id().equals(ModelVersions.Version.CURRENT))
                .findFirst().orElseThrow();
        ModelVersions.restore(dir, kept.id());
        assertThat(ModelFolder.read(dir).settings().seed()).isEqualTo(ModelFolder.read(base).settings().seed());

        Path documents = Files.createDirectories(tmp.resolve("documents"));
        Files.writeString(documents.resolve("thesis.txt"), "years of work");
        assertThatThrownBy(() -> TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, documents,
                null, null, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a model folder").hasMessageContaining("thesis.txt");
        try (var files = Files.list(documents)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("thesis.txt");
        }
    }

    @Test
    void resumingAFinishedRunSaysSoAndKeepsNoSecondCopyOfTheSameModel(@TempDir Path tmp) throws IOException {
        Path dir = copyOfBase(tmp); // the finished run's model and its last checkpoint
        DmddSettings settings = ModelFolder.read(dir).settings();
        String weightsBefore = ModelFolder.read(dir).weightsSha256();
        List<String> said = new java.util.ArrayList<>();
        TrainingListener listener = messagesInto(said);
        TrainingResult again = TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, dir, listener,
                null, true);
        assertThat(again.completed()).isTrue();
        assertThat(again.unchanged()).as("the front ends say 'unchanged', not 'trained'").isTrue();
        assertThat(said).anyMatch(m -> m.contains("had already finished its 4 steps") && m.contains("nothing to resume"));
        assertThat(ModelVersions.list(dir)).extracting(ModelVersions.Version::id)
                .containsExactly(ModelVersions.Version.CURRENT);
        assertThat(ModelFolder.read(dir).weightsSha256()).isEqualTo(weightsBefore);

        // improved since: resuming the finished run must not put its old model back over the improved one
        assertThat(TrainingJob.improve(dir, normals, teacher, 2, null, null).completed()).isTrue();
        String improved = ModelFolder.read(dir).weightsSha256();
        List<String> afterImprovement = new java.util.ArrayList<>();
        TrainingResult stale = TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, dir,
                messagesInto(afterImprovement), null, true);
        assertThat(stale.unchanged()).isTrue();
        assertThat(afterImprovement).anyMatch(m -> m.contains("nothing to resume"));
        assertThat(ModelFolder.read(dir).weightsSha256()).isEqualTo(improved);

        // a run that stopped after its last checkpoint but before saving its model still saves it on resume
        Files.delete(dir.resolve(ModelFolder.DESCRIPTION));
        TrainingResult saved = TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, dir, null, null,
                true);
        assertThat(saved.completed()).isTrue();
        assertThat(saved.unchanged()).isFalse();
        assertThat(ModelFolder.read(dir).settings()).isEqualTo(settings);
    }

    @Test
    void aRunOnOtherImagesStoppedBeforeItsSaveIsSavedOnResumeNotTakenForTheFoldersEarlierModel(@TempDir Path tmp)
            throws IOException {
        Path dir = copyOfBase(tmp); // the folder's earlier model, trained on `normals`
        DmddSettings settings = ModelFolder.read(dir).settings();
        List<RgbImage> others = TestImages.stripes(8, 64, 99); // as many images, other ones
        Path finished = tmp.resolve("finished");
        assertThat(TrainingJob.run(settings, others, teacher, TestImages::paintRectangle, finished, null, null, false)
                .completed()).isTrue();
        // The same settings and steps retrained on the other images, stopped after the last checkpoint, before the
        // save: the folder holds that run's final checkpoint beside the earlier model.
        Files.copy(finished.resolve(Checkpoint.FILE_NAME), dir.resolve(Checkpoint.FILE_NAME),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(TrainingJob.hasRunToResume(dir)).isTrue();
        List<String> said = new java.util.ArrayList<>();
        TrainingListener listener = messagesInto(said);
        TrainingResult resumed = TrainingJob.run(settings, others, teacher, TestImages::paintRectangle, dir, listener,
                null, true);
        assertThat(resumed.completed()).isTrue();
        assertThat(resumed.unchanged()).as("the stopped run's model still had to be saved").isFalse();
        assertThat(said).noneMatch(m -> m.contains("nothing to resume"));
        assertThat(ModelFolder.read(dir).training().trainingData()).isNotNull()
                .isEqualTo(ModelFolder.read(finished).training().trainingData())
                .isNotEqualTo(ModelFolder.read(base).training().trainingData());
        assertThat(ModelFolder.read(dir).weightsSha256()).isEqualTo(ModelFolder.read(finished).weightsSha256());
        assertThat(TrainingJob.hasRunToResume(dir)).isFalse();
    }

    @Test
    void improvingContinuesTheModelAndKeepsThePreviousOneAsAVersionToGoBackTo(@TempDir Path tmp) throws IOException {
        Path model = copyOfBase(tmp);
        ModelFolder before = ModelFolder.read(model);
        List<RgbImage> more = new ArrayList<>(normals);
        more.addAll(TestImages.stripes(4, 64, 11)); // images a person marked OK
        TrainingResult result = TrainingJob.improve(model, more, teacher, 3, null, null);

        assertThat(result.completed()).isTrue();
        assertThat(result.completedSteps()).isEqualTo(3);
        ModelFolder after = ModelFolder.read(model);
        assertThat(after.weightsSha256()).as("the weights moved on").isNotEqualTo(before.weightsSha256());
        assertThat(after.training().steps()).isEqualTo(before.training().steps() + 3);
        assertThat(after.training().normalImages()).isEqualTo(12);
        assertThat(after.training().validationFalseAlarmRate()).isBetween(0.0, 1.0);
        assertThat(after.thresholds().imageNg()).isGreaterThanOrEqualTo(after.thresholds().image());
        assertThat(model.resolve(TrainingJob.IMPROVING)).doesNotExist();
        // the base model froze its student's batch-norm statistics (studentNormsFrozenFrom): the improvement trains
        // on with them frozen, from its first student step, so they are the base model's to the bit
        Map<String, float[]> statisticsBefore = runningStatistics(model.resolve("versions/v001"));
        assertThat(statisticsBefore).hasSizeGreaterThan(5);
        Map<String, float[]> statisticsAfter = runningStatistics(model);
        for (Map.Entry<String, float[]> e : statisticsBefore.entrySet()) {
            assertThat(statisticsAfter.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
        }

        List<ModelVersions.Version> versions = ModelVersions.list(model);
        assertThat(versions).extracting(ModelVersions.Version::id).containsExactly("v001", "current");
        assertThat(versions.get(0).steps()).isEqualTo(before.training().steps());
        assertThat(versions.get(0).normalImages()).isEqualTo(8);
        assertThat(ModelFolder.read(versions.get(0).folder()).weightsSha256()).isEqualTo(before.weightsSha256());

        ModelFolder back = ModelVersions.restore(model, "v001");
        assertThat(back.weightsSha256()).isEqualTo(before.weightsSha256());
        assertThat(back.thresholds()).isEqualTo(before.thresholds());
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id)
                .as("the improved model is kept too").containsExactly("v001", "v002", "current");
        assertThat(ModelFolder.read(model.resolve("versions/v002")).weightsSha256()).isEqualTo(after.weightsSha256());
        assertThatThrownBy(() -> ModelVersions.restore(model, "v009")).hasMessageContaining("no model version v009");
    }

    @Test
    void aChangeKilledAfterKeepingItsVersionLeavesOneCopyHoweverOftenItIsTried(@TempDir Path tmp) throws IOException {
        Path model = copyOfBase(tmp);
        ModelFolder before = ModelFolder.read(model);
        // a save killed after its version was kept, tried again and killed again: each attempt kept another copy
        String first = ModelVersions.keep(model).id();
        ModelVersions.Kept again = ModelVersions.keep(model);
        assertThat(again).isEqualTo(new ModelVersions.Kept(first, false));
        // that attempt failing too leaves the version it found: it keeps the model a person was told is kept
        ModelVersions.forget(model, again, new IOException("No space left on device"));
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly(first, "current");
        // the attempt that gets through keeps no third copy, and the model it replaced is the version
        TrainingJob.improve(model, normals, teacher, 2, null, null);
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly(first, "current");
        assertThat(ModelFolder.read(model.resolve("versions").resolve(first)).weightsSha256())
                .isEqualTo(before.weightsSha256()).isNotEqualTo(ModelFolder.read(model).weightsSha256());
        // a last version whose weights were damaged since is no copy of the model: the next change keeps it again
        ModelFolder current = ModelFolder.read(model);
        ModelVersions.Kept second = ModelVersions.keep(model);
        assertThat(second.created()).isTrue();
        Path secondWeights = model.resolve("versions").resolve(second.id()).resolve(current.weightsFile());
        byte[] bytes = Files.readAllBytes(secondWeights);
        bytes[bytes.length - 2] ^= 1;
        Files.write(secondWeights, bytes);
        ModelVersions.Kept third = ModelVersions.keep(model);
        assertThat(third.created()).isTrue();
        assertThat(third.id()).isNotEqualTo(second.id());
        assertThat(ModelFolder.sha256(ModelFolder.read(model.resolve("versions").resolve(third.id())).readWeights()))
                .isEqualTo(current.weightsSha256());
    }

    @Test
    void aRestoreTheDiskRefusesLeavesTheModelAndNoSecondCopyOfIt(@TempDir Path tmp) throws IOException {
        Path model = copyOfBase(tmp);
        TrainingJob.improve(model, normals, teacher, 2, null, null);
        TrainingJob.improve(model, normals, teacher, 2, null, null);
        ModelFolder current = ModelFolder.read(model);
        ModelFolder first = ModelFolder.read(model.resolve("versions/v001"));
        // the first version's weights cannot be written back (what a full disk does to the save)
        Path blocker = Files.createDirectories(model.resolve(first.weightsFile()));
        Files.writeString(blocker.resolve("x"), "in the way");

        assertThatThrownBy(() -> ModelVersions.restore(model, "v001")).isInstanceOf(IOException.class);
        assertThat(ModelFolder.read(model).weightsSha256()).isEqualTo(current.weightsSha256());
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id)
                .as("no copy of the model that stays, per refused attempt").containsExactly("v001", "v002", "current");
    }

    @Test
    void everyImprovementTrainsBothStagesInTheModelsOwnSplitAfterAOneStepImprovement(@TempDir Path tmp)
            throws IOException {
        Path model = copyOfBase(tmp);
        DmddSettings trained = ModelFolder.read(model).settings();
        // one step is all in the first stage; recorded as the model's schedule, it switched the second off for good
        assertThat(TrainingJob.improve(model, normals, teacher, 1, null, null).completed()).isTrue();
        assertThat(ModelFolder.read(model).settings().segmenterSteps()).isEqualTo(trained.segmenterSteps());
        java.util.Map<Integer, Integer> stepsByStage = new java.util.TreeMap<>();
        TrainingResult next = TrainingJob.improve(model, normals, teacher, 4, new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                stepsByStage.merge(p.stage(), 1, Integer::sum);
            }
        }, null);
        assertThat(next.completed()).isTrue();
        assertThat(stepsByStage).containsEntry(1, 2).containsEntry(2, 2);
        ModelFolder after = ModelFolder.read(model);
        assertThat(after.settings().studentSteps()).isEqualTo(trained.studentSteps());
        assertThat(after.training().steps()).isEqualTo(ModelVersions.list(model).get(0).steps() + 5);
    }

    @Test
    void aCancelledOrUnboundedImprovementLeavesTheModelAsItWas(@TempDir Path tmp) throws IOException {
        Path model = copyOfBase(tmp);
        String sha = ModelFolder.read(model).weightsSha256();
        TrainingResult cancelled = TrainingJob.improve(model, normals, teacher, 3, null, () -> true);
        assertThat(cancelled.completed()).isFalse();
        assertThat(ModelFolder.read(model).weightsSha256()).isEqualTo(sha);
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly("current");
        assertThat(model.resolve(TrainingJob.IMPROVING)).doesNotExist();
        // Cancel pressed during the last step: the thresholds are not fitted and nothing is saved or kept
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        TrainingResult late = TrainingJob.improve(model, normals, teacher, 3, new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                done.set(p.completedSteps());
            }
        }, () -> done.get() >= 3);
        assertThat(late.completed()).isFalse();
        assertThat(late.completedSteps()).isEqualTo(3);
        assertThat(ModelFolder.read(model).weightsSha256()).isEqualTo(sha);
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly("current");
        // Stopped while the thresholds are fitted (minutes on a large validation set): it went on, kept a version,
        // replaced the model and said "improved" while the process was being stopped
        java.util.concurrent.atomic.AtomicBoolean fitting = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> said = new java.util.ArrayList<>();
        TrainingListener watch = new TrainingListener() {
            @Override
            public void onMessage(String message) {
                said.add(message);
                fitting.compareAndSet(false, message.startsWith("fitting thresholds"));
            }
        };
        TrainingResult duringFit = TrainingJob.improve(model, normals, teacher, 3, watch, fitting::get);
        assertThat(duringFit.completed()).isFalse();
        assertThat(said).contains("stopped before saving: the model is as it was")
                .noneMatch(m -> m.startsWith("saving the model"));
        assertThat(ModelFolder.read(model).weightsSha256()).isEqualTo(sha);
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly("current");
        // a training stopped there keeps its checkpoint, and the resume fits and saves
        DmddSettings settings = ModelFolder.read(base).settings();
        Path fresh = tmp.resolve("fresh");
        fitting.set(false);
        assertThat(TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, fresh, watch, fitting::get,
                false).completed()).isFalse();
        assertThat(fresh.resolve(ModelFolder.DESCRIPTION)).doesNotExist();
        assertThat(fresh.resolve(Checkpoint.FILE_NAME)).exists();
        assertThat(TrainingJob.run(settings, normals, teacher, TestImages::paintRectangle, fresh, null, null, true)
                .completed()).isTrue();
        assertThat(fresh.resolve(ModelFolder.DESCRIPTION)).exists();
        assertThatThrownBy(() -> TrainingJob.improve(model, normals, teacher, DmddSettings.MAX_IMPROVE_STEPS + 1,
                null, null)).hasMessageContaining("steps");
    }

    @Test
    void everySetOfNormalImagesIsHeldOutForTheThresholds(@TempDir Path tmp) throws IOException {
        DmddSettings settings = ModelFolder.read(base).settings().with("validationFraction", 0.1);
        List<RgbImage> parts = TestImages.stripes(12, 64, 5);
        List<RgbImage> fewOtherParts = TestImages.stripes(2, 64, 9);
        assertThat(TrainingJob.runOnSets(settings, List.of(parts, fewOtherParts), teacher, tmp.resolve("m"), null,
                null, false).completed()).isTrue();
        // One of each set; a pooled split of the 14 would hold out one image, from either set.
        assertThat(ModelFolder.read(tmp.resolve("m")).training().validationImages()).isEqualTo(2);
        // An improvement holds them out the same way (it pooled them: the small set could lose its say)
        assertThat(TrainingJob.improveOnSets(tmp.resolve("m"), List.of(parts, fewOtherParts), teacher, 2, null, null)
                .completed()).isTrue();
        assertThat(ModelFolder.read(tmp.resolve("m")).training().validationImages()).isEqualTo(2);

        // Nothing held out: the thresholds come from training images, and no false-alarm rate is claimed for them.
        assertThat(TrainingJob.runOnSets(settings.with("validationFraction", 0.0), List.of(parts), teacher,
                tmp.resolve("n"), null, null, false).completed()).isTrue();
        assertThat(ModelFolder.read(tmp.resolve("n")).training().validationFalseAlarmRate()).isNull();
    }
}
