package dmdd.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.engine.Devices;
import dmdd.model.export.ModelArchive;
import dmdd.model.infer.ModelFolder;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local mode against the path {@code dmdd infer} takes: the same files through
 * {@link InspectionPipeline#open} and {@link InspectionPipeline#inspectFiles} in one JVM thread give the
 * reference scores, verdicts and failures; the batch job over the same folder must give one row per file
 * with the same score (to 1e-6) and verdict, and the corrupt files as ERROR rows naming the file.
 */
class BatchInspectionTest {
    /** Generated images (a few hundred, small, so the test stays fast on two cores). */
    private static final int IMAGES = 240;
    /** 255 bytes, the most most file systems allow in a name. */
    private static final String LONGEST_NAME = "x".repeat(251) + ".png";

    @TempDir
    static Path root;

    private static SparkSession spark;
    private static Path modelDir;
    private static Path zip;
    private static Path images;
    /** What the infer path gives per file name: the inspection, or the failure's message. */
    private static final Map<String, Inspection> REFERENCE = new HashMap<>();
    private static final Map<String, String> REFERENCE_FAILURES = new HashMap<>();
    private static double threshold;
    private static double ngThreshold;

    @BeforeAll
    static void setUp() throws IOException {
        modelDir = trainTinyModel(root.resolve("train"));
        zip = root.resolve("tiny-model.zip");
        ModelArchive.export(modelDir, zip, "batch-test");
        images = writeImages(Files.createDirectories(root.resolve("images")));

        // Exactly what InferCommand does: the folder's image files, the model folder opened on the chosen
        // device with the user's teacher weights, inspectFiles in input order.
        List<Path> files = ImageFiles.list(images);
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, Devices.system().choose("auto").device(),
                null, null)) {
            threshold = pipeline.thresholds().image();
            ngThreshold = pipeline.thresholds().imageNg();
            pipeline.inspectFiles(files, InspectionPipeline.FULL_SIZE, new InspectionPipeline.Receiver() {
                @Override
                public void inspected(Inspection inspection) {
                    REFERENCE.put(inspection.file().getFileName().toString(), inspection);
                }

                @Override
                public void failed(Path file, IOException reason) {
                    REFERENCE_FAILURES.put(file.getFileName().toString(), reason.getMessage());
                }
            }, null);
        }
        spark = SparkSession.builder().master("local[2]").appName("dmdd-batch-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "localhost")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void localModeGivesTheScoresAndVerdictsOfInferOneRowPerFile() throws IOException {
        // The corrupt files are inputs like any other: infer names them as failures.
        assertThat(REFERENCE_FAILURES).containsOnlyKeys("truncated.png", "empty.png", "notes.png");
        assertThat(REFERENCE).hasSize(IMAGES);

        String out = root.resolve("results.parquet").toString();
        BatchRequest request = new BatchRequest(zip.toString(), List.of(images.toString()), null, false, out,
                null, false, 0, 6, "auto", null);
        BatchJob.Summary summary = BatchJob.run(spark, request, new PrintWriter(new StringWriter()));

        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertThat(rows).hasSize(IMAGES + 3);
        assertThat(summary.images()).isEqualTo(IMAGES + 3);
        assertThat(summary.errors()).isEqualTo(3);
        Map<String, Row> byName = new HashMap<>();
        for (Row row : rows) {
            String path = row.getAs(ResultSchema.PATH);
            assertThat(byName.put(Path.of(java.net.URI.create(path)).getFileName().toString(), row))
                    .as("one row per file: %s", path).isNull();
        }
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(
                ImageFiles.list(images).stream().map(p -> p.getFileName().toString()).toList());
        String zipSha = Checksums.sha256(zip);
        long ng = 0;
        long unsure = 0;
        for (Map.Entry<String, Row> e : byName.entrySet()) {
            Row row = e.getValue();
            assertThat((double) row.getAs(ResultSchema.THRESHOLD)).isEqualTo(threshold);
            assertThat((double) row.getAs(ResultSchema.NG_THRESHOLD)).isEqualTo(ngThreshold);
            assertThat((String) row.getAs(ResultSchema.MODEL_SHA256)).isEqualTo(zipSha);
            assertThat((String) row.getAs(ResultSchema.MODEL_VERSION)).isEqualTo("batch-test");
            Inspection expected = REFERENCE.get(e.getKey());
            if (expected == null) {
                assertThat((String) row.getAs(ResultSchema.VERDICT)).isEqualTo("ERROR");
                assertThat((Object) row.getAs(ResultSchema.SCORE)).isNull();
                assertThat((String) row.getAs(ResultSchema.ERROR)).contains(e.getKey())
                        .isEqualTo(REFERENCE_FAILURES.get(e.getKey()));
            } else {
                assertThat((double) row.getAs(ResultSchema.SCORE)).as(e.getKey())
                        .isCloseTo(expected.score(), within(1e-6));
                assertThat((String) row.getAs(ResultSchema.VERDICT)).as(e.getKey())
                        .isEqualTo(expected.verdict().word());
                assertThat((Object) row.getAs(ResultSchema.ERROR)).isNull();
                if (e.getKey().equals("img-007.png")) {
                    assertThat((String) row.getAs(ResultSchema.WARNING)).startsWith("is 300 x 6 px: squeezed")
                            .endsWith("its verdict is less sure");
                } else {
                    assertThat((Object) row.getAs(ResultSchema.WARNING)).as(e.getKey()).isNull();
                }
                ng += expected.verdict().word().equals("NG") ? 1 : 0;
                unsure += expected.verdict().word().equals("UNSURE") ? 1 : 0;
            }
        }
        assertThat(summary.ng()).isEqualTo(ng);
        assertThat(summary.unsure()).isEqualTo(unsure);
        assertThat(summary.ok()).isEqualTo(IMAGES - ng - unsure);
        // Six partitions on two cores: the model was loaded once per task slot, not once per partition.
        assertThat(ExecutorModels.pipelinesOpened(zipSha)).isBetween(1, 2);
    }

    @Test
    void anImageListGivesOneRowPerLineWithMapsAndACsvCopy() throws IOException {
        List<Path> files = ImageFiles.list(images).stream()
                .filter(p -> REFERENCE.containsKey(p.getFileName().toString())).toList();
        List<String> lines = new ArrayList<>();
        lines.add("# images of line 3");
        lines.add("");
        for (int i = 0; i < 12; i++) {
            lines.add(files.get(i).toString());
        }
        lines.add(files.get(0).toUri().toString()); // the same file again, as a URI: a row of its own
        lines.add(images.resolve("gone.png").toString());
        lines.add(images.resolve("empty.png").toString());
        // a name with a quote and a comma: its CSV cell must not spill into the next column
        Path quoted = Files.copy(files.get(1), root.resolve("line \"3\", left.png"));
        lines.add(quoted.toString());
        Path list = root.resolve("list.txt");
        Files.write(list, lines, StandardCharsets.UTF_8);
        String out = root.resolve("list.parquet").toString();
        String csv = root.resolve("list.csv").toString();
        BatchRequest request = new BatchRequest(zip.toString(), List.of(), list.toString(), false, out, csv,
                false, 48, 0, "cpu", null);
        BatchJob.Summary summary = BatchJob.run(spark, request, new PrintWriter(new StringWriter()));

        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertThat(rows).hasSize(16);
        assertThat(summary.errors()).isEqualTo(2);
        for (Row row : rows) {
            String path = row.getAs(ResultSchema.PATH);
            byte[] png = row.getAs(ResultSchema.FUSED_PNG);
            if (path.endsWith("left.png")) {
                path = files.get(1).toString(); // the same picture under a hostile name
            }
            if (path.endsWith("gone.png")) {
                assertThat((String) row.getAs(ResultSchema.ERROR)).contains(path).contains("does not exist");
                assertThat(png).isNull();
            } else if (path.endsWith("empty.png")) {
                assertThat((String) row.getAs(ResultSchema.ERROR)).contains("empty.png");
                assertThat(png).isNull();
            } else {
                String name = path.substring(path.lastIndexOf('/') + 1);
                assertThat((double) row.getAs(ResultSchema.SCORE)).isCloseTo(REFERENCE.get(name).score(),
                        within(1e-6));
                BufferedImage map = ImageIO.read(new ByteArrayInputStream(png));
                RgbImage picture = REFERENCE.get(name).picture();
                assertThat(Math.max(map.getWidth(), map.getHeight()))
                        .isEqualTo(Math.min(48, Math.max(picture.width(), picture.height())));
            }
        }
        assertThat(spark.read().option("header", true).option("escape", "\"").csv(csv).count()).isEqualTo(16);
        assertThat(spark.read().option("header", true).csv(csv).columns()).doesNotContain(ResultSchema.FUSED_PNG);
        // RFC 4180, as results.csv: a quote inside a quoted cell is doubled, never escaped with a backslash
        String csvText;
        try (var parts = Files.list(Path.of(csv))) {
            csvText = parts.filter(p -> p.getFileName().toString().endsWith(".csv")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(java.util.stream.Collectors.joining());
        }
        assertThat(csvText).contains("line \"\"3\"\", left.png\",").doesNotContain("\\\"");
    }

    @Test
    void filesOnANonLocalFileSystemAreCopiedAndNamedByTheirOwnPaths() throws IOException {
        RemoteTestFileSystem.register(spark.sparkContext().hadoopConfiguration());
        List<String> lines = new ArrayList<>();
        for (String name : List.of("img-000.png", "img-001.png", "img-002.png", "img-003.png", "truncated.png",
                "notes.png", "gone.png")) {
            lines.add(RemoteTestFileSystem.SCHEME + ":" + images.resolve(name));
        }
        // a name as long as a file system allows: its scratch copy must still fit
        Path longest = Files.copy(images.resolve("img-001.png"),
                Files.createDirectories(root.resolve("long-names")).resolve(LONGEST_NAME));
        lines.add(RemoteTestFileSystem.SCHEME + ":" + longest);
        Path list = root.resolve("remote-list.txt");
        Files.write(list, lines, StandardCharsets.UTF_8);
        String out = root.resolve("remote.parquet").toString();
        BatchRequest request = new BatchRequest(zip.toString(), List.of(), list.toString(), false, out, null,
                false, 0, 0, "auto", null);
        BatchJob.run(spark, request, new PrintWriter(new StringWriter()));

        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertThat(rows).hasSize(lines.size());
        for (Row row : rows) {
            String path = row.getAs(ResultSchema.PATH);
            String name = path.substring(path.lastIndexOf('/') + 1);
            Inspection expected = REFERENCE.get(name.equals(LONGEST_NAME) ? "img-001.png" : name);
            if (expected != null) {
                assertThat((double) row.getAs(ResultSchema.SCORE)).as(name).isCloseTo(expected.score(), within(1e-6));
                assertThat((String) row.getAs(ResultSchema.VERDICT)).isEqualTo(expected.verdict().word());
            } else {
                // The reason names the file as the job was given it, never the scratch copy.
                assertThat((String) row.getAs(ResultSchema.VERDICT)).isEqualTo("ERROR");
                assertThat((String) row.getAs(ResultSchema.ERROR)).as(name).contains(path)
                        .doesNotContain("dmdd-batch-task-");
            }
        }
    }

    @Test
    void aDamagedModelZipIsRefusedByNameBeforeAnyImageIsInspected() throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        Path damaged = root.resolve("damaged.zip");
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String out = root.resolve("never.parquet").toString();
        assertThatThrownBy(() -> BatchJob.run(spark, BatchRequest.of(damaged.toString(),
                List.of(images.toString()), out), new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageStartingWith("--model " + damaged);
        assertThat(Path.of(out)).doesNotExist();

        assertThatThrownBy(() -> BatchJob.run(spark, BatchRequest.of(zip.toString(),
                List.of(root.resolve("nowhere").toString()), out), new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("nowhere: no such file or folder");

        // teacher weights that are no weights are named as the person gave them, not as the scratch copy read
        Path notWeights = Files.writeString(root.resolve("weights-list.txt"), "mobilenetv2\n");
        BatchRequest wrongWeights = new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png").toString()),
                null, false, out, null, false, 0, 0, "auto", notWeights.toString());
        assertThatThrownBy(() -> BatchJob.run(spark, wrongWeights, new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("weights-list.txt")
                .hasMessageNotContaining("dmdd-batch-driver-");
        assertThat(Path.of(out)).doesNotExist();

        // --overwrite of a folder that holds the images would delete them.
        BatchRequest overwriteImages = new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png")
                .toString()), null, false, images.toString(), null, true, 0, 0, "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, overwriteImages, new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("holds the input");
        assertThat(images.resolve("img-001.png")).exists();

        // ... also when the images' names start like Spark's own files and the folder is named through a glob, a
        // link or a list (each of these once deleted a camera's images)
        Path camera = Files.createDirectories(root.resolve("camera"));
        Files.copy(images.resolve("img-001.png"), camera.resolve("_0001.png"));
        Files.copy(images.resolve("img-002.png"), camera.resolve("part-0002.png"));
        Path link = Files.createSymbolicLink(root.resolve("camera-link"), camera);
        Path list = Files.writeString(root.resolve("camera.txt"), camera.resolve("_0001.png") + "\n");
        List<BatchRequest> overCamera = List.of(
                new BatchRequest(zip.toString(), List.of(root.resolve("cam*") + "/_*.png"), null, false,
                        camera.toString(), null, true, 0, 0, "auto", null),
                new BatchRequest(zip.toString(), List.of(link.toString()), null, false, camera.toString(), null, true,
                        0, 0, "auto", null),
                new BatchRequest(zip.toString(), List.of(), list.toString(), false, camera.toString(), null, true, 0,
                        0, "auto", null));
        for (BatchRequest r : overCamera) {
            assertThatThrownBy(() -> BatchJob.run(spark, r, new PrintWriter(new StringWriter())))
                    .isInstanceOf(BatchException.class).hasMessageContaining(camera.toString())
                    .hasMessageMatching("(?s).*(holds the input|holds _0001.png|holds part-0002.png).*");
            assertThat(camera.resolve("_0001.png")).exists();
            assertThat(camera.resolve("part-0002.png")).exists();
        }

        // ... nor images someone put into folders named like Spark's working folders
        Path table = root.resolve("table-with-images");
        BatchJob.run(spark, BatchRequest.of(zip.toString(), List.of(images.resolve("img-001.png").toString()),
                table.toString()), new PrintWriter(new StringWriter()));
        Path hidden = Files.createDirectories(table.resolve("_temporary/0"));
        Files.copy(images.resolve("img-002.png"), hidden.resolve("cam0002.png"));
        BatchRequest overHidden = new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png").toString()),
                null, false, table.toString(), null, true, 0, 0, "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, overHidden, new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("holds _temporary");
        assertThat(hidden.resolve("cam0002.png")).exists();

        // --overwrite replaces an earlier results table, never a folder of someone's documents ...
        Path documents = Files.createDirectories(root.resolve("documents"));
        Files.writeString(documents.resolve("thesis.txt"), "years of work");
        BatchRequest overwriteDocuments = new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png")
                .toString()), null, false, documents.toString(), null, true, 0, 0, "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, overwriteDocuments, new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("holds thesis.txt");
        assertThat(documents.resolve("thesis.txt")).hasContent("years of work");
        // ... and the CSV never goes where the table it is read from is written
        BatchRequest csvIntoTable = new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png")
                .toString()), null, false, root.resolve("t").toString(), root.resolve("t").toString(), false, 0, 0,
                "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, csvIntoTable, new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("overlap");
    }

    @Test
    void overwriteKeepsTheEarlierTableUntilTheNewOneIsCompleteAndCleansUpAfterAKilledRun() throws IOException {
        Path out = root.resolve("monthly.parquet");
        BatchJob.run(spark, new BatchRequest(zip.toString(), List.of(images.resolve("img-001.png").toString()), null,
                false, out.toString(), null, false, 0, 0, "auto", null), new PrintWriter(new StringWriter()));
        Map<String, Long> before = listing(out);

        // the re-run fails after inspecting (its CSV cannot be written): the earlier table stays as it was
        Path aFile = Files.writeString(root.resolve("a-file"), "not a folder");
        BatchRequest failing = new BatchRequest(zip.toString(), List.of(images.resolve("img-002.png").toString()),
                null, false, out.toString(), aFile.resolve("csv").toString(), true, 0, 0, "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, failing, new PrintWriter(new StringWriter())));
        assertThat(listing(out)).isEqualTo(before);
        assertThat(siblingsOf(out)).isEmpty();
        // a first run that fails the same way leaves no folder that would make its re-run be refused
        Path fresh = root.resolve("first.parquet");
        BatchRequest failingFirst = new BatchRequest(zip.toString(), List.of(images.resolve("img-002.png").toString()),
                null, false, fresh.toString(), aFile.resolve("csv").toString(), false, 0, 0, "auto", null);
        assertThatThrownBy(() -> BatchJob.run(spark, failingFirst, new PrintWriter(new StringWriter())));
        assertThat(fresh).doesNotExist();

        // a run killed while writing leaves Spark's working folder: --overwrite takes it as its own
        Files.createDirectories(out.resolve("_temporary/0/_temporary/attempt_1"));
        BatchJob.run(spark, new BatchRequest(zip.toString(), List.of(images.resolve("img-002.png").toString()), null,
                false, out.toString(), null, true, 0, 0, "auto", null), new PrintWriter(new StringWriter()));
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertThat(rows).singleElement().satisfies(row -> assertThat((String) row.getAs(ResultSchema.PATH))
                .endsWith("img-002.png"));
        assertThat(siblingsOf(out)).isEmpty();

        // a run killed between the two renames of its swap: the earlier results beside a missing output are
        // named, never buried under a new run's
        Path aside = out.resolveSibling(out.getFileName() + BatchJob.REPLACED + "killed");
        Files.move(out, aside);
        assertThatThrownBy(() -> BatchJob.run(spark, new BatchRequest(zip.toString(),
                List.of(images.resolve("img-003.png").toString()), null, false, out.toString(), null, true, 0, 0,
                "auto", null), new PrintWriter(new StringWriter())))
                .isInstanceOf(BatchException.class).hasMessageContaining("stopped while replacing it")
                .hasMessageContaining(aside.getFileName().toString());
        assertThat(out).doesNotExist();
        assertThat(aside).exists();
    }

    @Test
    void aModelThatGivesNaNIsCountedSoTheRunFailsInsteadOfReportingErrorRowsAsASuccess() throws IOException {
        ModelFolder good = ModelFolder.read(modelDir);
        Path broken = root.resolve("nan-model");
        try (NDManager manager = NDManager.newBaseManager()) {
            // the first saved tensor made NaN: the checksum is right, the numbers are not
            NDList saved = NDList.decode(manager, good.readWeights());
            NDList poisoned = new NDList();
            for (int i = 0; i < saved.size(); i++) {
                NDArray a = saved.get(i);
                NDArray b = i == 0 ? a.mul(Float.NaN) : a;
                b.setName(a.getName());
                poisoned.add(b);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            poisoned.encode(bytes, NDList.Encoding.SAFETENSORS);
            ModelFolder.commit(broken, bytes.toByteArray(), good.description());
        }
        Path brokenZip = root.resolve("nan-model.zip");
        ModelArchive.export(broken, brokenZip, "batch-test");
        List<String> inputs = List.of(images.resolve("img-001.png").toString(), images.resolve("notes.png").toString());
        BatchJob.Summary s = BatchJob.run(spark, BatchRequest.of(brokenZip.toString(), inputs,
                root.resolve("nan.parquet").toString()), new PrintWriter(new StringWriter()));
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.nonFinite()).as("the unreadable file is not the model's fault").isEqualTo(1);
        assertThat(s.ok() + s.unsure() + s.ng()).isZero();
        assertThat(s.earlierKept()).isFalse();

        // a re-run with the broken model fails: its ERROR rows never replace the good results of an earlier run
        Path earlier = root.resolve("good.parquet");
        Path goodCsv = root.resolve("good-csv");
        BatchJob.run(spark, new BatchRequest(zip.toString(), inputs, null, false, earlier.toString(), goodCsv.toString(),
                false, 0, 0, "auto", null), new PrintWriter(new StringWriter()));
        Map<String, Long> table = listing(earlier);
        Map<String, Long> csv = listing(goodCsv);
        BatchJob.Summary rerun = BatchJob.run(spark, new BatchRequest(brokenZip.toString(), inputs, null, false,
                earlier.toString(), goodCsv.toString(), true, 0, 0, "auto", null), new PrintWriter(new StringWriter()));
        assertThat(rerun.nonFinite()).isEqualTo(1);
        assertThat(rerun.earlierKept()).isTrue();
        assertThat(listing(earlier)).isEqualTo(table);
        assertThat(listing(goodCsv)).isEqualTo(csv);
        assertThat(siblingsOf(earlier)).isEmpty();
        assertThat(siblingsOf(goodCsv)).isEmpty();
    }

    @Test
    void aWildcardSkipsHiddenNamesAsAShellDoesAFileNamedOutrightIsKept() throws IOException {
        Path dir = Files.createDirectories(root.resolve("globbed"));
        for (String name : List.of("a.png", "_b.png", ".hidden.png")) {
            Files.copy(images.resolve("img-001.png"), dir.resolve(name));
        }
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        assertThat(InputFiles.list(List.of(dir + "/*.png"), false, conf))
                .extracting(p -> p.substring(p.lastIndexOf('/') + 1)).containsExactly("_b.png", "a.png");
        assertThat(InputFiles.list(List.of(dir.resolve(".hidden.png").toString()), false, conf)).hasSize(1);
    }

    @Test
    void aRecursiveListingFollowsNoLinkLoopAndSkipsResultsThisProgramWrote() throws IOException {
        Path dir = Files.createDirectories(root.resolve("linked/sub"));
        Files.copy(images.resolve("img-001.png"), dir.resolve("a.png"));
        Files.createSymbolicLink(dir.resolve("up"), dir.getParent()); // sub/up -> linked
        Path results = Files.createDirectories(dir.getParent().resolve("inspected"));
        Files.createFile(results.resolve(dmdd.datasets.image.ImageFiles.RESULTS_MARKER));
        Files.copy(images.resolve("img-001.png"), results.resolve("a.fused.png"));
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        assertThat(InputFiles.list(List.of(dir.getParent().toString()), true, conf))
                .as("each image once, no heatmap").singleElement().asString().endsWith("/sub/a.png");
        Files.createSymbolicLink(dir.resolve("moved.png"), dir.resolve("nowhere.png"));
        assertThat(InputFiles.list(List.of(dir.getParent().toString()), true, conf))
                .as("a broken link is an input, to be an ERROR row").hasSize(2).last().asString().endsWith("/sub/moved.png");
    }

    private static Map<String, Long> listing(Path dir) throws IOException {
        Map<String, Long> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString(), Files.size(f));
            }
        }
        return files;
    }

    /** Staged or replaced copies of an output left beside it. */
    private static List<String> siblingsOf(Path out) throws IOException {
        try (var files = Files.list(out.getParent())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(out.getFileName().toString() + ".dmdd-")).toList();
        }
    }

    /** A tiny model trained in seconds (64 px, two steps per stage), as the app's tests make theirs. */
    private static Path trainTinyModel(Path dir) throws IOException {
        Path category = SampleDataset.generateTiny(dir.resolve("data"));
        Path model = dir.resolve("model");
        DmddSettings settings = DmddSettings.defaults().with(Map.of("imageSize", 64, "batchSize", 2,
                "studentSteps", 2, "segmenterSteps", 2, "seed", 7L, "threads", 1));
        List<RgbImage> normals = MvtecCategory.open(category).loadTrainGood(new ImageReader(64)).loaded()
                .stream().map(l -> l.image()).toList();
        DjlRuntime.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingJob.run(settings, normals, Teachers.load(settings.backboneKind(), manager), model, null, null,
                    false);
        }
        return model;
    }

    /** Normal and defective fabric of three sizes, and three files no decoder can read. */
    private static Path writeImages(Path dir) throws IOException {
        int[] sides = {48, 64, 80};
        for (int i = 0; i < IMAGES; i++) {
            int side = sides[i % sides.length];
            RgbImage image = i % 4 == 0
                    ? SampleDataset.defective(side, SampleDataset.DEFECT_TYPES.get(i % 3), 1000 + i).image()
                    : SampleDataset.normalSurface(side, 1000 + i);
            if (i == 7) {
                image = image.resize(300, 6); // a strip: inspected, with a warning that the model saw it squeezed
            }
            // an underscore name is an input like any other (only Spark's own files start with one)
            ImageWriter.writePng(image, dir.resolve(String.format(i == 5 ? "_img-%03d.png" : "img-%03d.png", i)));
        }
        byte[] png = Files.readAllBytes(dir.resolve("img-001.png"));
        Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve("empty.png"), new byte[0]);
        Files.writeString(dir.resolve("notes.png"), "not an image, only named like one\n");
        return dir;
    }
}
