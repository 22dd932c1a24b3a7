package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.app.gui.inspection.DmddInspectionEngine;
import dmdd.app.gui.metrics.DmddMetricsEngine;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import dmdd.app.testing.TinyModel;
import dmdd.datasets.bench.CameraBenchmarkGenerator;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.layout.MvtecCategory;
import dmdd.datasets.layout.Split;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same file gets the same score through every front end: {@code infer}, {@code export}, {@code eval}'s
 * per-image output, and the workstation's inspection and measure engines, on camera-sized images (1024 x 1024
 * and 2448 x 2048 fine weave with 1-px scratches and 2-px pits, masks at full resolution), and the thresholds
 * fitted in training hold for them.
 */
class OneScoreEverywhereTest {
    private static final double SAME = 1e-6;

    @TempDir
    static Path tmp;
    static Path data;
    static Path categoryDir;
    static Path model;

    @BeforeAll
    static void trainOnCameraImages() throws IOException {
        data = tmp.resolve("data");
        categoryDir = new CameraBenchmarkGenerator(new CameraBenchmarkGenerator.Settings(
                List.of(new int[] {1024, 1024}, new int[] {2448, 2048}), 10, 4, 2, 5)).generate(data, "weave");
        model = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--category", "weave", "--out", model.toString(),
                "--image-size", "64", "--steps", "4", "--batch", "2", "--seed", "7", "--device", "cpu",
                "--set", "validationFraction=0.3");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void everyFrontEndGivesTheSameFileTheSameScore() throws Exception {
        // infer, one folder at a time
        Map<String, Double> infer = new LinkedHashMap<>();
        for (String folder : new String[] {"good", "scratch", "pit"}) {
            Path out = tmp.resolve("infer-" + folder);
            CliRun r = CliRun.of("infer", "--model", model.toString(), "--images",
                    categoryDir.resolve("test").resolve(folder).toString(), "--out", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            csvScores(out.resolve("results.csv")).forEach((file, score) -> infer.put(folder + "/" + file, score));
        }
        assertThat(infer).hasSize(8);

        // export of the MVTec category
        Path exportDir = tmp.resolve("export");
        CliRun ex = CliRun.of("export", "--data", data.toString(), "--category", "weave", "--model", model.toString(),
                "--out", exportDir.toString(), "--no-html", "--no-maps");
        assertThat(ex.code()).as(ex.err()).isZero();
        assertSame("export", csvScores(exportDir.resolve("results.csv")), infer);

        // eval's per-image output
        Path json = tmp.resolve("eval.json");
        CliRun ev = CliRun.of("eval", "--data", data.toString(), "--category", "weave", "--model", model.toString(),
                "--json", json.toString());
        assertThat(ev.code()).as(ev.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        Map<String, Double> eval = new LinkedHashMap<>();
        report.get("images").forEach(i -> eval.put(i.get("file").asText(), i.get("score").asDouble()));
        assertSame("eval", eval, infer);

        // the workstation: inspection screen and Measure, on a project holding the same files
        Path projectDir = tmp.resolve("project");
        Project project = ProjectStore.create(projectDir, "weave");
        TinyModel.copyTree(categoryDir.resolve("test"), projectDir.resolve("inspect"));
        TinyModel.copyTree(categoryDir.resolve("ground_truth"), projectDir.resolve("ground_truth"));
        TinyModel.copyTree(model, projectDir.resolve("model"));
        DmddInspectionEngine inspection = new DmddInspectionEngine();
        Map<String, Double> screen = new LinkedHashMap<>();
        try {
            for (Path f : ImageFiles.listRecursively(projectDir.resolve("inspect"))) {
                String name = projectDir.resolve("inspect").relativize(f).toString().replace('\\', '/');
                screen.put(name, inspection.inspect(project, f).score());
            }
        } finally {
            inspection.close();
        }
        assertSame("inspection screen", screen, infer);
        AnnotatedInspection.Result measured = new DmddMetricsEngine().measure(projectDir, null, null);
        Map<String, Double> measure = new LinkedHashMap<>();
        measured.outcomes().forEach(o -> measure.put(o.item().name(), o.score()));
        assertSame("Measure", measure, infer);
    }

    @Test
    void evalCountsEveryDefectiveImageAsDefectiveAtEitherResolution() throws IOException {
        // any case, as every option of a fixed set of words
        for (String resolution : new String[] {"mask", "INPUT"}) {
            Path json = tmp.resolve("eval-" + resolution + ".json");
            CliRun ev = CliRun.of("eval", "--data", data.toString(), "--category", "weave", "--model", model.toString(),
                    "--json", json.toString(), "--pixel-resolution", resolution);
            assertThat(ev.code()).as(ev.err()).isZero();
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.get("test_images").asInt()).isEqualTo(8);
            long defective = 0;
            int falseAlarms = 0;
            int misses = 0;
            for (JsonNode i : report.get("images")) {
                boolean fromDefectFolder = !i.get("file").asText().startsWith("good/");
                assertThat(i.get("label").asText()).isEqualTo(fromDefectFolder ? "defect" : "ok");
                assertThat(i.get("evaluated").asBoolean()).isTrue();
                defective += fromDefectFolder ? 1 : 0;
                boolean calledOk = i.get("verdict").asText().equals("OK");
                falseAlarms += !fromDefectFolder && !calledOk ? 1 : 0;
                misses += fromDefectFolder && calledOk ? 1 : 0;
            }
            assertThat(defective).isEqualTo(4);
            // the verdict people act on, counted as the per-image verdicts say, and printed
            JsonNode verdicts = report.get("verdicts");
            assertThat(verdicts.get("good_images").asInt()).isEqualTo(4);
            assertThat(verdicts.get("defective_images").asInt()).isEqualTo(4);
            assertThat(verdicts.get("false_alarms").asInt()).isEqualTo(falseAlarms);
            assertThat(verdicts.get("misses").asInt()).isEqualTo(misses);
            assertThat(ev.out()).contains("at the calibrated thresholds: " + falseAlarms + " of 4 good images flagged "
                    + "(NG or UNSURE), " + misses + " of 4 defective images called OK");
            // Every image counts its pixels at the resolution measured at: its own size (good images too, not the
            // decoded picture's, which is smaller for a 2448 px frame), or the network's 64 x 64 input.
            long expected = 0;
            for (Path f : ImageFiles.listRecursively(categoryDir.resolve("test"))) {
                int[] d = dmdd.datasets.image.ImageReader.dimensions(f);
                expected += resolution.equals("mask") ? (long) d[0] * d[1] : 64 * 64;
            }
            assertThat(report.get("evaluated_pixels").asLong()).as(resolution).isEqualTo(expected);
            assertThat(report.get("image_auroc").isNumber()).isTrue();
            assertThat(report.get("pixel_auroc").isNumber()).isTrue();
            if (resolution.equals("input")) {
                // 1-px scratches and 2-px pits of a 2448 px image do not survive nearest resizing to 64 px.
                assertThat(ev.err()).contains("vanish at the network's resolution").contains("(64 x 64 px)");
            }
        }
    }

    @Test
    void thresholdsFittedInTrainingHoldForInfer() throws IOException {
        // The held-out normal images the thresholds were fitted on, scored again through infer, give the
        // calibration's own scores: the same false-alarm rate at the image threshold, whoever scores them.
        ModelFolder folder = ModelFolder.read(model);
        List<Path> train = MvtecCategory.open(categoryDir).trainGood();
        List<Path> heldOut = Split.of(train, folder.settings().validationFraction(), folder.settings().seed())
                .validation();
        assertThat(heldOut).hasSize(3);
        Path out = tmp.resolve("infer-train");
        CliRun r = CliRun.of("infer", "--model", model.toString(), "--images", categoryDir.resolve("train/good").toString(),
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Double> scores = csvScores(out.resolve("results.csv"));
        double[] held = heldOut.stream().mapToDouble(p -> scores.get(p.getFileName().toString())).sorted().toArray();
        Thresholds t = folder.thresholds();
        assertThat(t.fittedOn()).isEqualTo("validation");
        assertThat(t.scores().count()).isEqualTo(3);
        assertThat(held[0]).isCloseTo(t.scores().min(), within(SAME));
        assertThat(held[1]).isCloseTo(t.scores().median(), within(SAME));
        assertThat(held[2]).isCloseTo(t.scores().max(), within(SAME));
        assertThat(Arrays.stream(held).average().orElseThrow()).isCloseTo(t.scores().mean(), within(SAME));
    }

    private static void assertSame(String frontEnd, Map<String, Double> actual, Map<String, Double> expected) {
        assertThat(actual.keySet()).as(frontEnd).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((file, score) -> assertThat(actual.get(file)).as(frontEnd + ": " + file)
                .isCloseTo(score, within(SAME)));
    }

    /** file -> score of a results.csv (plain file names, no quoting needed here). */
    private static Map<String, Double> csvScores(Path csv) throws IOException {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",", -1);
            assertThat(f[2]).isIn("OK", "UNSURE", "NG");
            scores.put(f[0], Double.parseDouble(f[1]));
        }
        return scores;
    }
}
