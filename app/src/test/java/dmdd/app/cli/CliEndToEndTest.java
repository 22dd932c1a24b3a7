package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import dmdd.model.infer.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end, in-process, on the tiny sample dataset (64 px, a few steps):
 * train -> eval JSON -> infer PNGs and CSV -> bench, plus failures on a real model folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTest {
    @TempDir
    static Path tmp;
    static Path data;
    static String category;
    static Path model;

    @BeforeAll
    static void trainOnce() throws IOException {
        Path dir = SampleDataset.generateTiny(tmp.resolve("data"));
        data = dir.getParent();
        category = dir.getFileName().toString();
        model = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--category", category, "--out", model.toString(),
                "--image-size", "64", "--steps", "4", "--batch", "2", "--seed", "7", "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("model saved to");
        assertThat(r.err()).contains("100%");
    }

    @Test
    @Order(1)
    void trainWritesAModelFolderWithTheRequestedSettings() throws IOException {
        ModelFolder m = ModelFolder.read(model);
        assertThat(m.settings().imageSize()).isEqualTo(64);
        assertThat(m.settings().totalSteps()).isEqualTo(4);
        assertThat(m.settings().seed()).isEqualTo(7);
        assertThat(m.teacher().cliName()).isEqualTo("mobilenetv2");
        assertThat(m.training().validationImages()).isPositive();
    }

    @Test
    @Order(2)
    void evalWritesEveryKeyWithSaneValues() throws IOException {
        Path json = tmp.resolve("eval/result.json");
        // the category as a shell completes a folder's name, with its trailing slash
        CliRun r = CliRun.of("eval", "--data", data.toString(), "--category", category + "/", "--model",
                model.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("image_auroc", "pixel_auroc", "aupro", "pixel_ap", "image_f1max",
                "test_images", "evaluated_pixels", "seconds", "maps", "model", "method", "pixel_resolution", "image_threshold",
                "ng_threshold", "images", "image_auroc_by_kind", "verdicts");
        // the verdicts' counts are the per-image verdicts' (UNSURE counts as flagged)
        int goodImages = 0;
        int flagged = 0;
        int defective = 0;
        int calledOk = 0;
        for (JsonNode img : j.get("images")) {
            boolean ok = img.get("verdict").asText().equals("OK");
            if (img.get("label").asText().equals("ok")) {
                goodImages++;
                flagged += ok ? 0 : 1;
            } else {
                defective++;
                calledOk += ok ? 1 : 0;
            }
        }
        JsonNode verdicts = j.get("verdicts");
        assertThat(List.of(verdicts.get("good_images").asInt(), verdicts.get("false_alarms").asInt(),
                verdicts.get("defective_images").asInt(), verdicts.get("misses").asInt()))
                .containsExactly(goodImages, flagged, defective, calledOk);
        assertThat(j.get("method").asText()).isEqualTo("dmdd");
        assertThat(j.get("pixel_resolution").asText()).isEqualTo("mask");
        // Per image: the label comes from the folder, the verdict from the one rule.
        assertThat(j.get("images")).hasSize(8);
        double imageThreshold = j.get("image_threshold").asDouble();
        double ngThreshold = j.get("ng_threshold").asDouble();
        assertThat(ngThreshold).isGreaterThanOrEqualTo(imageThreshold);
        for (JsonNode img : j.get("images")) {
            String file = img.get("file").asText();
            assertThat(img.get("label").asText()).as(file).isEqualTo(file.startsWith("good/") ? "ok" : "defect");
            double score = img.get("score").asDouble();
            assertThat(img.get("verdict").asText()).as(file)
                    .isEqualTo(score > ngThreshold ? "NG" : score > imageThreshold ? "UNSURE" : "OK");
        }
        // Each kind of defect against the good images, counted pair by pair here (a tie is half a pair).
        List<String> kinds = new ArrayList<>();
        j.get("image_auroc_by_kind").fieldNames().forEachRemaining(kinds::add);
        assertThat(kinds).isNotEmpty().isSorted().doesNotContain("good");
        for (String kind : kinds) {
            double pairs = 0;
            double won = 0;
            for (JsonNode bad : j.get("images")) {
                if (!bad.get("file").asText().startsWith(kind + "/")) {
                    continue;
                }
                for (JsonNode good : j.get("images")) {
                    if (good.get("label").asText().equals("ok")) {
                        double d = bad.get("score").asDouble() - good.get("score").asDouble();
                        pairs++;
                        won += d > 0 ? 1 : d == 0 ? 0.5 : 0;
                    }
                }
            }
            assertThat(pairs).as(kind).isPositive();
            assertThat(j.get("image_auroc_by_kind").get(kind).asDouble()).as(kind)
                    .isCloseTo(won / pairs, org.assertj.core.data.Offset.offset(1e-6));
        }
        for (String k : new String[] {"image_auroc", "pixel_auroc", "aupro", "pixel_ap", "image_f1max"}) {
            assertThat(j.get(k).isNumber()).as(k).isTrue();
            assertThat(j.get(k).asDouble()).as(k).isBetween(0.0, 1.0);
        }
        // 2 good + 3 defect types x 2 images in the tiny sample.
        assertThat(j.get("test_images").asInt()).isEqualTo(8);
        assertThat(j.get("seconds").asDouble()).isPositive();
        for (String map : new String[] {"normality", "abnormality", "fused"}) {
            assertThat(j.get("maps").get(map).get("pixel_auroc").asDouble()).as(map).isBetween(0.0, 1.0);
            assertThat(j.get("maps").get(map).get("aupro").asDouble()).as(map).isBetween(0.0, 1.0);
        }
        assertThat(r.out()).contains("pixel AUROC").contains("AUPRO@0.3").contains(json.toString());
    }

    @Test
    @Order(3)
    void inferWritesThreeHeatmapsAnOverlayAndTheCsv() throws IOException {
        Path images = data.resolve(category).resolve("test/hole");
        Path out = tmp.resolve("infer");
        CliRun r = CliRun.of("infer", "--model", model.toString(), "--images", images.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        ImageReader reader = new ImageReader(4096);
        RgbImage source = reader.read(images.resolve("000.png"));
        for (String kind : new String[] {"normality", "abnormality", "fused", "overlay"}) {
            RgbImage png = reader.read(out.resolve("000." + kind + ".png"));
            assertThat(png.width()).as(kind).isEqualTo(source.width());
        }
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo("file,score,verdict,threshold,ng_threshold,annotated_label,error,fused_map");
        assertThat(csv).hasSize(3);
        double threshold = ModelFolder.read(model).thresholds().image();
        double ngThreshold = ModelFolder.read(model).thresholds().imageNg();
        for (String line : csv.subList(1, 3)) {
            String[] f = line.split(",", -1);
            assertThat(f[0]).matches("00[01]\\.png");
            assertThat(Double.parseDouble(f[3])).isEqualTo(threshold);
            assertThat(Double.parseDouble(f[4])).isEqualTo(ngThreshold);
            double score = Double.parseDouble(f[1]);
            assertThat(f[2]).isEqualTo(score > ngThreshold ? "NG" : score > threshold ? "UNSURE" : "OK");
            assertThat(f[6]).isEmpty();
            assertThat(f[7]).isEqualTo(f[0].replace(".png", ".fused.png"));
            assertThat(out.resolve(f[7])).exists();
        }
    }

    @Test
    @Order(3)
    void inferReplacesOnlyItsOwnEarlierResults() throws IOException {
        Path images = data.resolve(category).resolve("test/hole");
        Path out = tmp.resolve("infer-twice");
        assertThat(infer(images, out).code()).isZero();
        CliRun again = infer(images, out);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("replacing the results of an earlier run");

        // a results.csv someone else wrote is not ours to delete
        Path theirs = Files.createDirectories(tmp.resolve("their-folder"));
        Files.writeString(theirs.resolve("results.csv"), "a spreadsheet of their own");
        CliRun refused = infer(images, theirs);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("results.csv").contains("not replacing it");
        assertThat(theirs.resolve("results.csv")).hasContent("a spreadsheet of their own");
    }

    @Test
    @Order(3)
    void aRunThatFailsPartWayPutsTheEarlierResultsBackAndLeavesNoneOfItsOwn() throws IOException {
        Path images = data.resolve(category).resolve("test/hole");
        Path out = tmp.resolve("infer-fails");
        assertThat(infer(images, out).code()).isZero();
        Map<Path, byte[]> earlier = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
                earlier.put(f, Files.readAllBytes(f));
            }
        }
        assertThat(earlier).isNotEmpty();
        // the table cannot be written at the end (what a full disk does to the last write): a folder is in its way
        Files.delete(out.resolve("results.csv"));
        Files.writeString(Files.createDirectories(out.resolve("results.csv")).resolve("x"), "in the way");
        Path other = Files.createDirectories(tmp.resolve("other-pictures"));
        Files.copy(images.resolve("000.png"), other.resolve("new-part.png"));

        CliRun failed = infer(other, out);
        assertThat(failed.code()).isNotZero();
        assertThat(failed.err()).contains("what it wrote in " + out + " was removed")
                .contains("the earlier run's results there are back as they were");
        for (Map.Entry<Path, byte[]> e : earlier.entrySet()) {
            assertThat(e.getKey()).hasBinaryContent(e.getValue());
        }
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("new-part"))
                    .doesNotContain(CliInputs.ASIDE);
        }
    }

    /** {@code infer} with the trained model. */
    private static CliRun infer(Path images, Path out) {
        return CliRun.of("infer", "--model", model.toString(), "--images", images.toString(), "--out", out.toString());
    }

    @Test
    @Order(4)
    void anUnreadableImageIsReportedAndTheOthersStillInspected() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(data.resolve(category).resolve("test/good/000.png"), images.resolve("ok.png"));
        Files.writeString(images.resolve("broken.png"), "not a png");
        Path out = tmp.resolve("mixed-out");
        CliRun r = CliRun.of("infer", "--model", model.toString(), "--images", images.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_FAILURE);
        assertThat(r.err()).contains("broken.png").contains("1 of 2 images has no result").doesNotContain("\tat ");
        assertThat(out.resolve("ok.fused.png")).exists();
        assertThat(Files.readString(out.resolve("results.csv"))).contains("broken.png,,ERROR,");
        assertThat(r.err()).as("a normal image gets no size warning").doesNotContain("less sure");

        // A line-scan strip squeezed into the square input: inspected, and the person told.
        java.awt.image.BufferedImage strip = new java.awt.image.BufferedImage(300, 6,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(strip, "png", images.resolve("strip.png").toFile());
        CliRun odd = CliRun.of("infer", "--model", model.toString(), "--images", images.toString(), "--out",
                out.toString());
        assertThat(odd.err()).contains("strip.png is 300 x 6 px: squeezed into the square input")
                .contains("its verdict is less sure");
        assertThat(Files.readString(out.resolve("results.csv"))).containsPattern("(?m)^strip\\.png,[0-9.eE-]+,");
    }

    @Test
    @Order(4)
    void imagesWhoseNamesClashKeepTheirOwnMapsEvenWhereCaseIsIgnored() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("clashing"));
        Path good = data.resolve(category).resolve("test/good/000.png");
        // a.jpg.png takes the stem a.jpg before a.jpg comes; A.png and a.png are one file where case is ignored
        for (String name : new String[] {"a.jpg.png", "a.png", "a.jpg", "A.png"}) {
            Files.copy(good, images.resolve(name));
        }
        Path out = tmp.resolve("clashing-out");
        CliRun r = CliRun.of("infer", "--model", model.toString(), "--images", images.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> maps = Files.readAllLines(out.resolve("results.csv")).stream().skip(1)
                .map(line -> line.split(",", -1)[7]).toList();
        assertThat(maps).hasSize(4).allSatisfy(m -> assertThat(out.resolve(m)).exists());
        assertThat(maps.stream().map(m -> m.toLowerCase(java.util.Locale.ROOT)).distinct()).hasSize(4);
    }

    @Test
    @Order(4)
    void anImageWithTheLongestNameTheFileSystemAllowsIsInspectedWithTheOthers() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("long-names"));
        Path good = data.resolve(category).resolve("test/good/000.png");
        String longest = "a".repeat(251) + ".png"; // 255 bytes: its maps' names would be longer
        Files.copy(good, images.resolve(longest));
        Files.copy(good, images.resolve("b.png"));
        for (String command : new String[] {"infer", "export"}) {
            Path out = tmp.resolve("long-names-" + command);
            CliRun r = CliRun.of(command, "--model", model.toString(), "--images", images.toString(), "--out",
                    out.toString());
            assertThat(r.code()).as(command + ": " + r.err()).isZero();
            List<String> rows = Files.readAllLines(out.resolve("results.csv")).stream().skip(1).toList();
            assertThat(rows).as(command).hasSize(2).allSatisfy(row -> {
                String[] f = row.split(",", -1);
                assertThat(f[2]).isIn("OK", "UNSURE", "NG");
                assertThat(out.resolve(f[7])).exists();
            });
        }
    }

    @Test
    @Order(5)
    void benchReportsSpeedAndMemory() throws IOException {
        CliRun r = CliRun.of("bench", "--model", model.toString(), "--seconds", "0.3", "--train-steps", "4",
                "--soak", "20", "--views", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("inspection views: 2, shifts: 2 (each image passes 4 times through the networks");
        // the thread count each figure ran with, so two runs' figures can be compared
        assertThat(r.out()).containsPattern("inference batch 1: .*images in .* s, \\d+(-\\d+)? threads\\)")
                .containsPattern("training stage 1 .*intra-op threads \\d+\\)");
        // 5 student steps, the batch norms frozen from the third (a quarter, rounded up): after the warm-up one timed
        // step with batch statistics and three frozen ones, each kind timed apart
        assertThat(r.out()).containsPattern("  of which 1 with batch statistics, \\d+ ms/step, and 3 with the batch "
                + "norms' statistics frozen \\(studentNormsFrozenFrom\\), \\d+ ms/step");
        // an unreadable file among the images is skipped with a warning, as every other command does
        Path images = Files.createDirectories(tmp.resolve("bench-images"));
        Files.copy(data.resolve(category).resolve("test/good/000.png"), images.resolve("good.png"));
        Files.writeString(images.resolve("broken.png"), "not a png");
        CliRun withImages = CliRun.of("bench", "--model", model.toString(), "--images", images.toString(),
                "--seconds", "0.2", "--train-steps", "0", "--views", "1", "--shifts", "1");
        assertThat(withImages.code()).as(withImages.err()).isZero();
        assertThat(withImages.err()).containsPattern("warning: .*broken.png.* \\(skipped\\)");
        CliRun onePass = CliRun.of("bench", "--model", model.toString(), "--seconds", "0.2", "--train-steps", "0",
                "--views", "1", "--shifts", "1");
        assertThat(onePass.code()).as(onePass.err()).isZero();
        assertThat(onePass.out()).contains("inspection views: 1, shifts: 1 (each image passes 1 time through");
        CliRun badShifts = CliRun.of("bench", "--model", model.toString(), "--shifts", "3");
        assertThat(badShifts.code()).isNotZero();
        assertThat(badShifts.err()).contains("--shifts 3").contains("inspectionShifts must be 1, 2 or 4");
        CliRun badViews = CliRun.of("bench", "--model", model.toString(), "--views", "3");
        assertThat(badViews.code()).isNotZero();
        assertThat(badViews.err()).contains("--views 3").contains("inspectionViews must be 1, 2, 4 or 8");
        assertThat(r.out()).contains("inference batch 1:").contains("inference batch 8:").contains("ms/image")
                .contains("training stage 1 (student):").contains("training stage 2 (segmenter):")
                .contains("peak memory: Java heap").contains("GFLOP/s (").contains("engine ceiling:")
                .containsPattern("operations per \\d+ px network input \\(DMDD\\): teacher \\d+\\.\\d\\d, student")
                .containsPattern("anomaly synthesis: \\d+\\.\\d pairs/s")
                .containsPattern("resident memory over 20 inference calls \\(MiB\\):( \\d+){10}")
                .containsPattern("native allocator: (glibc keeps freed memory|the system's defaults)")
                .contains("float32 convolutions agree with float64");
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            assertThat(r.out()).containsPattern("inference batch 8: .*, \\d+ page faults per image");
        }
    }

    @Test
    @Order(6)
    void aFolderThatIsNotAModelIsOneLine() throws IOException {
        Path notModel = Files.createDirectories(tmp.resolve("not-a-model"));
        CliRun r = CliRun.of("eval", "--data", data.toString(), "--category", category, "--model", notModel.toString(),
                "--json", tmp.resolve("x.json").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("model.json").doesNotContain("\tat ");
    }

    @Test
    @Order(7)
    void everyMethodTrainsAndEvalComparesThemSideBySide() throws IOException {
        List<String> args = new ArrayList<>(List.of("eval", "--data", data.toString(), "--category", category,
                "--model", model.toString()));
        for (String method : List.of("baseline", "aand", "dcam")) {
            Path dir = tmp.resolve(method);
            CliRun t = CliRun.of("train", "--data", data.toString(), "--category", category, "--out", dir.toString(),
                    "--method", method, "--image-size", "64", "--steps", "3", "--batch", "2");
            assertThat(t.code()).as(t.err()).isZero();
            assertThat(ModelFolder.read(dir).settings().method().cliName()).isEqualTo(method);
            args.addAll(List.of("--model", dir.toString()));
        }
        Path json = tmp.resolve("side-by-side.json");
        args.addAll(List.of("--json", json.toString()));
        CliRun e = CliRun.of(args.toArray(String[]::new));
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode models = new ObjectMapper().readTree(json.toFile()).get("models");
        assertThat(models).hasSize(4);
        List<String> methods = new ArrayList<>();
        models.forEach(m -> methods.add(m.get("method").asText()));
        assertThat(methods).containsExactly("dmdd", "baseline", "aand", "dcam");
        models.forEach(m -> assertThat(m.get("pixel_auroc").asDouble()).isBetween(0.0, 1.0));
        assertThat(e.out()).contains("side by side").contains("AAND (aand)").contains("DCAM (dcam)")
                .contains("fine level").contains("coarse levels").contains("abnormality");
        // A per-level method's fused map is the sum of its fine and coarse maps, not a copy of either.
        JsonNode baseline = models.get(1).get("maps");
        assertThat(baseline.get("normality").get("pixel_auroc").asDouble())
                .isNotEqualTo(baseline.get("abnormality").get("pixel_auroc").asDouble());
        // and the files say which maps they are
        Path out = tmp.resolve("infer-aand");
        CliRun i = CliRun.of("infer", "--model", tmp.resolve("aand").toString(), "--images",
                data.resolve(category).resolve("test/hole").toString(), "--out", out.toString());
        assertThat(i.code()).as(i.err()).isZero();
        assertThat(out.resolve("000.fine.png")).isRegularFile();
        assertThat(out.resolve("000.coarse.png")).isRegularFile();
        assertThat(out.resolve("000.normality.png")).doesNotExist();
    }

    @Test
    @Order(8)
    void oneModelTrainsOnSeveralCategoriesAndEvalTakesOneAtATime() throws IOException {
        Path second = dmdd.app.testing.TinyModel.copyTree(data.resolve(category), data.resolve("second"));
        Path shared = tmp.resolve("shared");
        CliRun t = CliRun.of("train", "--data", data.toString(), "--category", category + ",second", "--out",
                shared.toString(), "--method", "dcam", "--image-size", "64", "--steps", "2", "--batch", "2");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("2 categories (" + category + ", second)");
        ModelFolder m = ModelFolder.read(shared);
        int oneCategory = ModelFolder.read(model).training().trainImages() + ModelFolder.read(model).training()
                .validationImages();
        assertThat(m.training().trainImages() + m.training().validationImages()).isEqualTo(2 * oneCategory);
        CliRun all = CliRun.of("train", "--data", data.toString(), "--category", "all", "--out",
                tmp.resolve("all").toString(), "--method", "dcam", "--image-size", "64", "--steps", "1", "--batch", "2");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("2 categories");
        CliRun e = CliRun.of("eval", "--data", data.toString(), "--category", category + ",second", "--model",
                shared.toString(), "--json", tmp.resolve("shared.json").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("takes one category");
        assertThat(second).isDirectory();
    }

    @Test
    @Order(6)
    void aMaskOfAnotherSizeIsNamedAndLeftOutNeverStretched() throws IOException {
        Path copy = dmdd.app.testing.TinyModel.copyTree(data.resolve(category), tmp.resolve("wrong-mask").resolve(category));
        Path mask = first(Files.walk(copy.resolve("ground_truth")), p -> p.toString().endsWith("_mask.png"));
        boolean[] square = new boolean[10 * 7];
        java.util.Arrays.fill(square, true);
        dmdd.datasets.image.MaskIo.write(dmdd.datasets.image.Mask.of(10, 7, square), mask);
        Path json = tmp.resolve("wrong-mask.json");
        CliRun r = CliRun.of("eval", "--data", copy.getParent().toString(), "--category", category, "--model",
                model.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(DmddCli.EXIT_FAILURE);
        assertThat(r.err()).contains(mask.getParent().getFileName().toString()).contains("its mask is 10 x 7 px")
                .contains("1 of 8 test images are left out of the metrics").doesNotContain("could not be inspected")
                .doesNotContain("\tat ");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("test_images").asInt()).isEqualTo(7);
        assertThat(j.get("images")).hasSize(8);
    }

    @Test
    @Order(6)
    void anInvertedMaskIsNamedInAWarning() throws IOException {
        Path copy = dmdd.app.testing.TinyModel.copyTree(data.resolve(category), tmp.resolve("inverted").resolve(category));
        Path maskFile = first(Files.walk(copy.resolve("ground_truth")), p -> p.toString().endsWith("_mask.png"));
        dmdd.datasets.image.Mask mask = dmdd.datasets.image.MaskIo.read(maskFile);
        boolean[] inverted = mask.toBooleans();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = !inverted[i];
        }
        dmdd.datasets.image.MaskIo.write(dmdd.datasets.image.Mask.of(mask.width(), mask.height(), inverted), maskFile);
        CliRun r = CliRun.of("eval", "--data", copy.getParent().toString(), "--category", category, "--model",
                model.toString(), "--json", tmp.resolve("inverted.json").toString());
        // measured as it is (pixel AUROC near chance), and said, instead of a quiet fall of the pixel metrics
        assertThat(r.code()).as(r.err()).isZero();
        String image = maskFile.getParent().getFileName() + "/" + maskFile.getFileName().toString().replace("_mask.png", "");
        assertThat(r.err()).contains("covers more than half of the image (the first: " + image).contains("inverted");
    }

    @Test
    @Order(6)
    void anUnreadableTestImageIsAnErrorRowOfTheEvalJson() throws IOException {
        Path copy = dmdd.app.testing.TinyModel.copyTree(data.resolve(category),
                tmp.resolve("broken-test").resolve(category));
        Files.writeString(copy.resolve("test/good/broken.png"), "not a png");
        Path json = tmp.resolve("broken-test.json");
        CliRun r = CliRun.of("eval", "--data", copy.getParent().toString(), "--category", category, "--model",
                model.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(DmddCli.EXIT_FAILURE);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("images")).hasSize(9); // the 8 inspected and the unreadable one
        JsonNode broken = null;
        for (JsonNode row : j.get("images")) {
            if (row.get("file").asText().equals("good/broken.png")) {
                broken = row;
            }
        }
        assertThat(broken).as(j.get("images").toString()).isNotNull();
        assertThat(broken.get("verdict").asText()).isEqualTo("ERROR");
        assertThat(broken.get("score").isNull()).isTrue();
        assertThat(broken.get("evaluated").asBoolean()).isFalse();
        assertThat(broken.get("error").asText()).contains("broken.png");
    }

    @Test
    @Order(6)
    void testImagesEvalCannotLabelAreNamedPerFolder() throws IOException {
        Path copy = dmdd.app.testing.TinyModel.copyTree(data.resolve(category), tmp.resolve("odd-names").resolve(category));
        Path kind = first(Files.list(copy.resolve("test")), p -> !p.getFileName().toString().equals("good"));
        // a folder name that cannot be a defect type, with its masks, and one image outside any folder
        Path renamed = Files.move(kind, kind.resolveSibling(kind.getFileName() + ".v2"));
        Files.move(copy.resolve("ground_truth").resolve(kind.getFileName()),
                copy.resolve("ground_truth").resolve(renamed.getFileName()));
        Path loose = first(Files.list(copy.resolve("test").resolve("good")), p -> true);
        Files.copy(loose, copy.resolve("test").resolve("loose.png"));
        // and a folder of the same kind without masks: named in a warning too, not a broken layout
        Path odd = Files.createDirectories(copy.resolve("test").resolve("bad folder!"));
        Files.copy(loose, odd.resolve("x.png"));
        // masks of a defect type without test images (renamed in one place only)
        Path ghost = Files.createDirectories(copy.resolve("ground_truth").resolve("ghost"));
        long inRenamed;
        try (var images = Files.list(renamed)) {
            inRenamed = images.count();
        }
        CliRun r = CliRun.of("eval", "--data", copy.getParent().toString(), "--category", category, "--model",
                model.toString(), "--json", tmp.resolve("odd-names.json").toString());
        assertThat(r.err()).contains("warning: " + inRenamed + " test images in " + renamed
                        + " left out of the metrics: defect type '" + renamed.getFileName() + "' may only hold")
                .contains("warning: 1 test image in " + copy.resolve("test") + " left out of the metrics: they are "
                        + "not in a folder")
                .contains("warning: 1 test image in " + odd + " left out of the metrics")
                .contains("warning: " + ghost + " has no test/ghost folder beside it: its masks are not used");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    @Order(6)
    void aTestOnlyCategoryIsEvaluatedAndAnImageWithoutAMaskIsMarkedImageOnly() throws IOException {
        // the test split and its masks, without the training images: eval reads neither train/ nor its images
        Path copy = tmp.resolve("test-only").resolve(category);
        dmdd.app.testing.TinyModel.copyTree(data.resolve(category).resolve("test"), copy.resolve("test"));
        dmdd.app.testing.TinyModel.copyTree(data.resolve(category).resolve("ground_truth"),
                copy.resolve("ground_truth"));
        Path kind = first(Files.list(copy.resolve("ground_truth")), p -> true);
        Path dropped = first(Files.list(kind), p -> true);
        Files.delete(dropped);
        String stem = dropped.getFileName().toString().replace("_mask", "");
        stem = stem.substring(0, stem.lastIndexOf('.'));
        Path json = tmp.resolve("test-only.json");
        CliRun r = CliRun.of("eval", "--data", copy.getParent().toString(), "--category", category, "--model",
                model.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode images = new ObjectMapper().readTree(json.toFile()).get("images");
        assertThat(images).hasSize(8);
        List<String> imageOnly = new ArrayList<>();
        for (JsonNode img : images) {
            assertThat(img.get("evaluated").asBoolean()).as(img.toString()).isTrue();
            if (!img.get("pixel_metrics").asBoolean()) {
                imageOnly.add(img.get("file").asText());
            }
        }
        assertThat(imageOnly).hasSize(1);
        assertThat(imageOnly.get(0)).startsWith(kind.getFileName() + "/" + stem + ".");
        // training still needs its images, and says so
        Files.createDirectories(copy.resolve("train/good"));
        CliRun train = CliRun.of("train", "--data", copy.getParent().toString(), "--category", category, "--out",
                tmp.resolve("never").toString());
        assertThat(train.code()).isNotZero();
        assertThat(train.err()).contains("empty training set");
    }

    /** The first of {@code paths} (in name order) that {@code wanted} accepts; closes the stream. */
    private static Path first(java.util.stream.Stream<Path> paths, java.util.function.Predicate<Path> wanted) {
        try (paths) {
            return paths.filter(wanted).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    @Order(9)
    void noUserFileIsOverwrittenAndASettingsFileChoosesTheMethod() throws IOException {
        // eval --json replaces an earlier eval result, never another JSON document such as a project's settings
        Path settingsLike = tmp.resolve("project.json");
        Files.writeString(settingsLike, "{\"name\": \"my project\"}");
        CliRun e = CliRun.of("eval", "--data", data.toString(), "--category", category, "--model", model.toString(),
                "--json", settingsLike.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains(settingsLike.toString()).contains("not an earlier eval result");
        assertThat(Files.readString(settingsLike)).contains("my project");
        // infer --out into a folder of other files (here: the training images) is refused
        Path trainGood = data.resolve(category).resolve("train/good");
        long before;
        try (var files = Files.list(trainGood)) {
            before = files.count();
        }
        CliRun i = CliRun.of("infer", "--model", model.toString(), "--images",
                data.resolve(category).resolve("test/hole").toString(), "--out", trainGood.toString());
        assertThat(i.code()).isEqualTo(2);
        assertThat(i.err()).contains("already holds");
        try (var files = Files.list(trainGood)) {
            assertThat(files.count()).isEqualTo(before);
        }
        // a settings file's method is used unless --method says otherwise
        Path settings = tmp.resolve("aand-settings.json");
        Files.writeString(settings, "{\"method\": \"aand\"}");
        Path fromFile = tmp.resolve("from-settings");
        CliRun t = CliRun.of("train", "--data", data.toString(), "--category", category, "--out", fromFile.toString(),
                "--settings", settings.toString(), "--image-size", "64", "--steps", "2", "--batch", "2");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(ModelFolder.read(fromFile).settings().method().cliName()).isEqualTo("aand");
        // an imported model never silently replaces another: the replaced one is kept as a version
        Path zip = tmp.resolve("aand.zip");
        assertThat(CliRun.of("export", "--model", fromFile.toString(), "--model-zip", zip.toString(), "--images",
                data.resolve(category).resolve("test/hole").toString()).code()).isZero();
        Path target = tmp.resolve("import-target");
        dmdd.app.testing.TinyModel.copyTree(model, target);
        CliRun im = CliRun.of("import-model", zip.toString(), "--model", target.toString());
        assertThat(im.code()).as(im.err()).isZero();
        assertThat(im.out()).contains("DMDD model it replaced is kept");
        assertThat(ModelFolder.read(target).settings().method().cliName()).isEqualTo("aand");
        assertThat(ModelFolder.read(target.resolve("versions/v001")).settings().method().cliName()).isEqualTo("dmdd");

        // a project keeps each method's model in its own folder, shown and measured as that method's: another
        // method's model is refused there, named with the folder it belongs in
        Path project = dmdd.app.testing.TinyModel.get().project(tmp.resolve("project"), true);
        Files.writeString(project.resolve("project.json"),
                "{\"version\":1,\"name\":\"p\",\"training\":{\"method\":\"dmdd\"},\"device\":\"auto\"}");
        String dmddModel = ModelFolder.read(project.resolve("model")).identity();
        CliRun wrongSlot = CliRun.of("import-model", zip.toString(), "--model", project.resolve("model").toString());
        assertThat(wrongSlot.code()).isEqualTo(2);
        assertThat(wrongSlot.err()).contains("is the project's DMDD model folder")
                .contains(project.resolve("models").resolve("aand").toString());
        CliRun trainWrongSlot = CliRun.of("train", "--data", data.toString(), "--category", category, "--out",
                project.resolve("model").toString(), "--method", "aand", "--image-size", "64", "--steps", "2",
                "--batch", "2");
        assertThat(trainWrongSlot.code()).isNotZero();
        assertThat(trainWrongSlot.err()).contains("is the project's DMDD model folder");
        assertThat(ModelFolder.read(project.resolve("model")).identity()).isEqualTo(dmddModel);
        CliRun routed = CliRun.of("import-model", zip.toString(), "--project", project.toString());
        assertThat(routed.code()).as(routed.err()).isZero();
        assertThat(ModelFolder.read(project.resolve("models/aand")).settings().method().cliName()).isEqualTo("aand");
    }
}
