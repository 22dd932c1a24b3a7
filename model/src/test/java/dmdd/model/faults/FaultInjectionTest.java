package dmdd.model.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TinyBackbone;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.export.ModelArchive;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelFolderException;
import dmdd.model.infer.ModelLock;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.train.TrainingJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link FaultLoop}) at random moments while it saves a model, imports a model archive and
 * writes results.csv (52 kills in all), and checks after every kill that what is on disk is the old version
 * or the new one, complete: the model folder loads, its weights pass their checksum and give exactly the
 * scores of model A or model B, with that model's thresholds; results.csv is one of the two versions whole.
 * Also: a second writer is refused while a process holds a model folder, naming the holder; leftover
 * temporary files of a killed save are removed by the next save.
 */
class FaultInjectionTest {
    private static final int SAVE_KILLS = 20;
    private static final int IMPORT_KILLS = 20;
    private static final int RESULTS_KILLS = 12;

    @TempDir
    static Path tmp;
    private static NDManager manager;
    private static TinyBackbone teacher;
    private static Path modelA;
    private static Path modelB;
    private static RgbImage probe;
    private static double scoreA;
    private static double scoreB;

    @BeforeAll
    static void twoModels() throws IOException {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager();
        teacher = TinyBackbone.create(manager);
        List<RgbImage> normals = TestImages.stripes(8, 64, 3);
        modelA = tmp.resolve("a");
        modelB = tmp.resolve("b");
        TrainingJob.run(settings(1), normals, teacher, TestImages::paintRectangle, modelA, null, null, false);
        TrainingJob.run(settings(2), normals, teacher, TestImages::paintRectangle, modelB, null, null, false);
        probe = TestImages.stripes(1, 64, 9).get(0);
        scoreA = score(modelA);
        scoreB = score(modelB);
        assertThat(scoreA).isNotEqualTo(scoreB);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static DmddSettings settings(long seed) {
        return DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 2, "studentWidth", 8,
                "segmenterWidth", 8, "studentSteps", 2, "segmenterSteps", 2, "asppRates", List.of(2),
                "validationFraction", 0.3, "threads", 1, "topK", 20)).with("seed", seed);
    }

    private static double score(Path model) throws IOException {
        try (Inspector inspector = Inspector.open(model, teacher)) {
            return inspector.inspect(probe).score();
        }
    }

    /** The folder holds model A or model B whole: checksum, thresholds and scores agree with one of them. */
    private static void assertOneWholeModel(Path dir, String when) throws IOException {
        ModelFolder m = ModelFolder.read(dir);
        byte[] weights = m.readWeights();
        String sha = ModelFolder.sha256(weights);
        String shaA = ModelFolder.sha256(ModelFolder.read(modelA).readWeights());
        String shaB = ModelFolder.sha256(ModelFolder.read(modelB).readWeights());
        assertThat(sha).as(when).isIn(shaA, shaB);
        Path expected = sha.equals(shaA) ? modelA : modelB;
        assertThat(m.thresholds()).as(when + ": thresholds of the same model").isEqualTo(
                ModelFolder.read(expected).thresholds());
        assertThat(score(dir)).as(when + ": scores of the same model").isEqualTo(sha.equals(shaA) ? scoreA : scoreB);
    }

    private static int killRounds(List<String> args, int rounds, long seed, int maxDelayMs, Runnable afterEach)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random rng = new Random(seed);
        int midWrite = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    FaultLoop.class.getName()));
            command.addAll(args);
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("ready")) {
                    // DJL's start-up lines come before "ready".
                }
                assertThat(line).as("child said ready").isEqualTo("ready");
                Thread.sleep(rng.nextInt(maxDelayMs));
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            afterEach.run();
            midWrite++;
        }
        return midWrite;
    }

    @Test
    void killsWhileSavingAModelLeaveTheOldOrTheNewModel() throws Exception {
        Path dir = tmp.resolve("saved");
        ModelArchive.importInto(zipOf(modelA, "start-a.zip"), dir);
        int[] round = {0};
        killRounds(List.of("save", dir.toString(), modelA.toString(), modelB.toString()), SAVE_KILLS, 1, 300, () -> {
            try {
                assertOneWholeModel(dir, "save kill " + round[0]++);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        // The next save removes what killed saves left behind, and at most two weights generations stay.
        try (ModelLock lock = ModelLock.acquire(dir, "test")) {
            ModelFolder a = ModelFolder.read(modelA);
            ModelFolder.commit(dir, a.readWeights(), a.description());
        }
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.endsWith(".part"));
            assertThat(names.stream().filter(n -> n.startsWith("weights-"))).hasSizeLessThanOrEqualTo(2);
        }
        assertOneWholeModel(dir, "after a clean save");
    }

    @Test
    void killsWhileImportingAModelLeaveTheOldOrTheNewModel() throws Exception {
        Path dir = tmp.resolve("imported");
        Path zipA = zipOf(modelA, "a.zip");
        Path zipB = zipOf(modelB, "b.zip");
        ModelArchive.importInto(zipA, dir);
        int[] round = {0};
        killRounds(List.of("import", dir.toString(), zipA.toString(), zipB.toString()), IMPORT_KILLS, 2, 300, () -> {
            try {
                assertOneWholeModel(dir, "import kill " + round[0]++);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        // Staging folders of killed imports are removed by the next import.
        ModelArchive.importInto(zipB, dir);
        try (var files = Files.list(dir.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".import-"));
        }
    }

    @Test
    void killsWhileWritingResultsLeaveTheOldOrTheNewFile() throws Exception {
        Path file = tmp.resolve("out/results.csv");
        Files.createDirectories(file.getParent());
        ResultsCsv.write(FaultLoop.rows(0), file);
        String a = ResultsCsv.format(FaultLoop.rows(0));
        String b = ResultsCsv.format(FaultLoop.rows(1));
        int[] round = {0};
        killRounds(List.of("results", file.toString()), RESULTS_KILLS, 3, 200, () -> {
            try {
                assertThat(Files.readString(file)).as("results kill " + round[0]++).isIn(a, b);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolder() throws Exception {
        Path dir = tmp.resolve("busy");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FaultLoop.class.getName(), "hold", dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            assertThatThrownBy(() -> TrainingJob.run(settings(1), TestImages.stripes(4, 64, 3), teacher,
                    TestImages::paintRectangle, dir, null, null, false))
                    .isInstanceOf(ModelFolderException.class)
                    .hasMessageContaining("in use by another writer")
                    .hasMessageContaining("hold for a test, process " + holder.pid());
            assertThatThrownBy(() -> ModelArchive.importInto(zipOf(modelA, "busy.zip"), dir))
                    .hasMessageContaining("in use by another writer");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // Once the holder is gone (even killed), the folder is free again.
        ModelArchive.importInto(zipOf(modelA, "free.zip"), dir);
        assertOneWholeModel(dir, "after the holder died");
    }

    @Test
    void aWriterRefusedInsideTheProcessLeavesTheFolderLockedForOtherProcesses() throws Exception {
        Path dir = tmp.resolve("held-here");
        try (ModelLock held = ModelLock.acquire(dir, "training in the workstation")) {
            // Improve clicked while training runs: refused by name ...
            assertThatThrownBy(() -> ModelLock.acquire(dir, "improve"))
                    .isInstanceOf(ModelFolderException.class).hasMessageContaining("training in the workstation");
            // ... and a command-line writer in another process is still refused afterwards
            assertThat(tryInAnotherProcess(dir)).isEqualTo("refused");
        }
        assertThat(tryInAnotherProcess(dir)).isEqualTo("acquired");
    }

    private static String tryInAnotherProcess(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FaultLoop.class.getName(),
                "try", dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return line;
        }
    }

    private static Path zipOf(Path model, String name) throws IOException {
        Path zip = tmp.resolve("zips").resolve(name);
        Files.createDirectories(zip.getParent());
        if (!Files.exists(zip)) {
            ModelArchive.export(model, zip, "test");
        }
        return zip;
    }
}
