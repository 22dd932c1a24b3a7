package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.app.testing.TinyModel;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code review-queue} lists exactly the unsure images (then NG ones); {@code improve} continues a model as a new version. */
class ReviewAndImproveCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A copy of the tiny model whose two image thresholds are set to given values. */
    private static Path modelWithBand(Path tmp, double okBelow, double ngAbove) throws IOException {
        Path model = TinyModel.copyTree(TinyModel.get().model(), tmp.resolve("model"));
        Path description = model.resolve(ModelFolder.DESCRIPTION);
        ObjectNode root = (ObjectNode) JSON.readTree(description.toFile());
        ObjectNode thresholds = (ObjectNode) root.get("thresholds");
        thresholds.put("image", okBelow);
        thresholds.put("imageNg", ngAbove);
        ModelFolder.seal(root); // as if calibrated with this band
        Files.writeString(description, root.toString());
        return model;
    }

    private static Map<String, Double> scores(Path csv) throws IOException {
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            scores.put(f[0], Double.parseDouble(f[1]));
        }
        return scores;
    }

    @Test
    void theQueueListsTheUnsureImagesHighestFirstThenTheNgOnes(@TempDir Path tmp) throws IOException {
        // Every test image of the tiny category in one folder (review-queue reads a flat folder, as infer does).
        Path images = Files.createDirectories(tmp.resolve("images"));
        try (var files = Files.walk(TinyModel.get().category().resolve("test"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, images.resolve(f.getParent().getFileName() + "_" + f.getFileName()));
            }
        }
        CliRun infer = CliRun.of("infer", "--model", TinyModel.get().model().toString(), "--images",
                images.toString(), "--out", tmp.resolve("infer").toString());
        assertThat(infer.code()).as(infer.err()).isZero();
        Map<String, Double> all = scores(tmp.resolve("infer/results.csv"));
        double[] sorted = all.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertThat(sorted).hasSize(8);
        // OK up to the lowest score, NG above the second highest: the rest is unsure.
        double okBelow = sorted[0];
        double ngAbove = sorted[sorted.length - 2];
        Path model = modelWithBand(tmp, okBelow, ngAbove);

        CliRun queue = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString());
        assertThat(queue.code()).as(queue.err()).isZero();
        List<String> lines = queue.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map");
        List<Double> listed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f[2]).isEqualTo("UNSURE");
            listed.add(Double.parseDouble(f[1]));
        }
        long expected = Arrays.stream(sorted).filter(s -> s > okBelow && s <= ngAbove).count();
        assertThat(expected).as("images in the band").isGreaterThanOrEqualTo(5);
        assertThat(listed).hasSize((int) expected).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(queue.err()).contains(expected + " unsure");

        Path out = tmp.resolve("queue.csv");
        CliRun withNg = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString(),
                "--with-ng", "--out", out.toString());
        assertThat(withNg.code()).as(withNg.err()).isZero();
        List<String> rows = Files.readAllLines(out);
        assertThat(rows).hasSize((int) expected + 2);
        assertThat(rows.get(rows.size() - 1)).contains(",NG,");
        assertThat(scores(out).values()).contains(sorted[sorted.length - 1]);
        // infer's results.csv belongs with its maps: a queue written over it would leave them without their rows
        Path inferCsv = tmp.resolve("infer/results.csv");
        byte[] inferRows = Files.readAllBytes(inferCsv);
        CliRun overInfer = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString(),
                "--out", inferCsv.toString());
        assertThat(overInfer.code()).isEqualTo(2);
        assertThat(overInfer.err()).contains("results folder of an earlier run").contains(inferCsv.toString());
        assertThat(Files.readAllBytes(inferCsv)).isEqualTo(inferRows);
        // a file put there later, not the run's (this queue written a first time), is replaced as anywhere else
        Path laterQueue = tmp.resolve("infer/queue.csv");
        for (int run = 0; run < 2; run++) {
            CliRun queueThere = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString(),
                    "--out", laterQueue.toString());
            assertThat(queueThere.code()).as(queueThere.err()).isZero();
        }

        // A picture that cannot be read has no verdict: it leads the queue as an ERROR row (it was left out, as
        // if it had passed), and the run says so and fails.
        Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        CliRun withBroken = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString());
        assertThat(withBroken.code()).isEqualTo(1);
        List<String> queued = withBroken.out().lines().toList();
        assertThat(queued).hasSize((int) expected + 2);
        assertThat(queued.get(1)).startsWith("broken.png,,ERROR,").contains("broken.png");
        assertThat(queued.subList(2, queued.size())).allMatch(l -> l.contains(",UNSURE,"));
        assertThat(withBroken.err()).contains("1 not inspected (ERROR rows), " + expected + " unsure");
        // an image in a sub-folder is not inspected, and the run says so instead of dropping it without a word
        Files.copy(images.resolve("good_000.png"), Files.createDirectories(images.resolve("line-2")).resolve("a.png"));
        CliRun withSubfolder = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString());
        assertThat(withSubfolder.err()).contains("note: 1 image in sub-folders of " + images + " not inspected");
        assertThat(withSubfolder.out().lines()).hasSize((int) expected + 2);
        // a picture saved without an extension is named too; the folder caches of Windows are not
        Files.copy(images.resolve("good_000.png"), images.resolve("camera-frame"));
        Files.writeString(images.resolve("Thumbs.db"), "cache");
        CliRun withOther = CliRun.of("review-queue", "--model", model.toString(), "--images", images.toString());
        assertThat(withOther.err()).contains("note: 1 file in " + images + " left out, not an image file (supported: "
                + "bmp, gif, jpeg, jpg, png, tif, tiff): camera-frame").doesNotContain("Thumbs.db");
        Files.delete(images.resolve("camera-frame"));
        // a folder whose images all lie in sub-folders says where they are
        Path onlyBelow = Files.createDirectories(tmp.resolve("line-3/cam-1"));
        Files.copy(images.resolve("good_000.png"), onlyBelow.resolve("a.png"));
        CliRun nothingDirect = CliRun.of("review-queue", "--model", model.toString(), "--images",
                tmp.resolve("line-3").toString());
        assertThat(nothingDirect.code()).isEqualTo(2);
        assertThat(nothingDirect.err()).contains("no image files").contains("its sub-folders hold 1");
    }

    @Test
    void improveContinuesTheModelAndListsThePreviousOneAsAVersion(@TempDir Path tmp) throws IOException {
        Path model = TinyModel.copyTree(TinyModel.get().model(), tmp.resolve("model"));
        ModelFolder before = ModelFolder.read(model);
        Path normal = TinyModel.get().category().resolve("train/good");
        CliRun run = CliRun.of("improve", "--model", model.toString(), "--normal", normal.toString(), "--steps", "2");
        assertThat(run.code()).as(run.err()).isZero();
        ModelFolder after = ModelFolder.read(model);
        assertThat(after.training().steps()).isEqualTo(before.training().steps() + 2);
        assertThat(after.weightsSha256()).isNotEqualTo(before.weightsSha256());
        assertThat(ModelVersions.list(model)).extracting(ModelVersions.Version::id).containsExactly("v001", "current");
        assertThat(run.out()).contains("v001").contains("current").contains("false alarms")
                .contains(": 2 steps at " + before.settings().imageSize() + " px from the current model");
        // the versions' dates to the second (nanoseconds pushed the columns out of line under the header)
        assertThat(run.out().lines().filter(l -> l.startsWith("v001") || l.startsWith("current")).toList())
                .hasSize(2).allMatch(l -> l.matches("\\S+ +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\d+ .*"));

        // a kept version damaged since (its description emptied) is named, not dropped from the table unseen
        Files.writeString(model.resolve("versions/v001/model.json"), "");
        CliRun again = CliRun.of("improve", "--model", model.toString(), "--normal", normal.toString(), "--steps", "2");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("cannot be restored: v001: ").contains("empty");

        CliRun tooMany = CliRun.of("improve", "--model", model.toString(), "--normal", normal.toString(), "--steps",
                "999999");
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--steps");
    }
}
