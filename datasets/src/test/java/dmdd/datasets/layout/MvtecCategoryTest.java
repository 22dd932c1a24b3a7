package dmdd.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.image.FolderWalk;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecCategoryTest {
    @TempDir
    Path dir;

    private final ImageReader reader = new ImageReader(1024);

    /** 8-bit exact pixels, so that a PNG round trip gives the very same floats. */
    private static RgbImage randomImage(Random random, int w, int h) {
        float[] chw = new float[3 * w * h];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextInt(256) / 255f;
        }
        return RgbImage.of(w, h, chw);
    }

    private static Mask randomMask(Random random, int w, int h) {
        boolean[] flags = new boolean[w * h];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = random.nextInt(5) == 0;
        }
        return Mask.of(w, h, flags);
    }

    @Test
    void writtenCategoryReadsBackWithTheSameImagesAndMasks() throws IOException {
        Random random = new Random(11);
        Path root = dir.resolve("widget");
        MvtecCategory.Writer writer = MvtecCategory.create(root);
        List<RgbImage> train = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            train.add(randomImage(random, 24, 16));
            writer.addTrainGood(train.get(i));
        }
        RgbImage good = randomImage(random, 24, 16);
        writer.addTestGood(good);
        RgbImage crack0 = randomImage(random, 24, 16);
        Mask crackMask0 = randomMask(random, 24, 16);
        RgbImage crack1 = randomImage(random, 24, 16);
        Mask crackMask1 = randomMask(random, 24, 16);
        RgbImage cut = randomImage(random, 24, 16);
        Mask cutMask = randomMask(random, 24, 16);
        writer.addTestDefect("crack", crack0, crackMask0);
        writer.addTestDefect("crack", crack1, crackMask1);
        writer.addTestDefect("cut", cut, cutMask);

        MvtecCategory category = MvtecCategory.open(root);

        assertThat(category.name()).isEqualTo("widget");
        assertThat(category.trainGood()).containsExactly(
                root.resolve("train/good/000.png"), root.resolve("train/good/001.png"), root.resolve("train/good/002.png"));
        ImportReport<LoadedImage> trainReport = category.loadTrainGood(reader);
        assertThat(trainReport.skipped()).isEmpty();
        assertThat(trainReport.loaded()).extracting(LoadedImage::image).containsExactlyElementsOf(train);
        assertThat(category.defectTypes()).containsExactly("crack", "cut");
        assertThat(category.test()).containsExactly(
                new MvtecCategory.TestSample(root.resolve("test/good/000.png"), "good", null),
                new MvtecCategory.TestSample(root.resolve("test/crack/000.png"), "crack",
                        root.resolve("ground_truth/crack/000_mask.png")),
                new MvtecCategory.TestSample(root.resolve("test/crack/001.png"), "crack",
                        root.resolve("ground_truth/crack/001_mask.png")),
                new MvtecCategory.TestSample(root.resolve("test/cut/000.png"), "cut",
                        root.resolve("ground_truth/cut/000_mask.png")));
        ImportReport<MvtecCategory.LoadedTestSample> test = category.loadTest(reader);
        assertThat(test.skipped()).isEmpty();
        assertThat(test.loaded()).extracting(MvtecCategory.LoadedTestSample::image)
                .containsExactly(good, crack0, crack1, cut);
        assertThat(test.loaded()).extracting(MvtecCategory.LoadedTestSample::mask)
                .containsExactly(Mask.empty(24, 16), crackMask0, crackMask1, cutMask);
        assertThat(root.resolve("ground_truth/good")).doesNotExist();
        assertThat(category.testLinksNotFollowed()).isEmpty();

        // test/crack2 -> crack (and its masks linked the same way): one defect type under two names, whose images
        // counted twice in every test metric; it is named instead, and a link to a folder elsewhere still reads
        Files.createSymbolicLink(root.resolve("test/crack2"), root.resolve("test/crack"));
        Files.createSymbolicLink(root.resolve("ground_truth/crack2"), root.resolve("ground_truth/crack"));
        Path elsewhere = Files.createDirectories(dir.resolve("shared/hole"));
        Files.copy(root.resolve("test/cut/000.png"), elsewhere.resolve("000.png"));
        Files.createSymbolicLink(root.resolve("test/hole"), elsewhere);
        Files.createDirectories(root.resolve("ground_truth/hole"));
        Files.copy(root.resolve("ground_truth/cut/000_mask.png"), root.resolve("ground_truth/hole/000_mask.png"));
        Files.createSymbolicLink(root.resolve("test/hole2"), root.resolve("test/hole"));
        assertThat(category.defectTypes()).containsExactly("crack", "cut", "hole");
        assertThat(category.test()).hasSize(5);
        assertThat(category.testLinksNotFollowed()).containsExactly(
                new FolderWalk.NotFollowed(root.resolve("test/crack2"), "a link to a folder read as crack"),
                new FolderWalk.NotFollowed(root.resolve("test/hole2"), "a link to a folder read as hole"));
        // a link to a folder inside a type's folder is a type of its own: test() reads only a type's own images, so
        // they are read nowhere else
        Files.createDirectories(root.resolve("test/cut/sub"));
        Files.copy(root.resolve("test/cut/000.png"), root.resolve("test/cut/sub/001.png"));
        Files.createSymbolicLink(root.resolve("test/cut2"), root.resolve("test/cut/sub"));
        assertThat(category.defectTypes()).containsExactly("crack", "cut", "cut2", "hole");
        assertThat(category.test()).extracting(MvtecCategory.TestSample::image).contains(root.resolve("test/cut2/001.png"));
    }

    @Test
    void aMaskOfAnotherSizeThanItsImageIsNamedNotStretched() throws IOException {
        Path root = dir.resolve("sized");
        MvtecCategory.Writer writer = MvtecCategory.create(root);
        writer.addTrainGood(RgbImage.of(32, 32, new float[3 * 32 * 32]));
        writer.addTestDefect("crack", RgbImage.of(32, 32, new float[3 * 32 * 32]), Mask.of(32, 32, new boolean[32 * 32]));
        Path mask = root.resolve("ground_truth/crack/000_mask.png");
        MaskIo.write(Mask.of(16, 16, new boolean[16 * 16]), mask);

        var report = MvtecCategory.open(root).loadTest(new dmdd.datasets.image.ImageReader(64));
        assertThat(report.loaded()).isEmpty();
        assertThat(report.skipped()).singleElement().satisfies(skipped -> assertThat(skipped.reason())
                .contains(mask.toString()).contains("is 16 x 16 px but the image is 32 x 32 px"));
    }

    @Test
    void addingToAnExistingCategoryContinuesTheNumbering() throws IOException {
        Path root = dir.resolve("more");
        MvtecCategory.create(root).addTrainGood(RgbImage.of(2, 2, new float[12]));

        Path next = MvtecCategory.create(root).addTrainGood(RgbImage.of(2, 2, new float[12]));

        assertThat(next).isEqualTo(root.resolve("train/good/001.png"));
    }

    @Test
    void missingTrainGoodNamesTheExpectedFolder() throws IOException {
        Path root = Files.createDirectories(dir.resolve("bottle/test/good"));
        Path category = root.getParent().getParent();

        assertThatThrownBy(() -> MvtecCategory.open(category))
                .isInstanceOf(InvalidLayoutException.class)
                .hasMessageContaining(category.resolve("train").resolve("good").toString());
    }

    @Test
    void aFolderOfCategoriesOrATrainFolderGetsAHint() throws IOException {
        Files.createDirectories(dir.resolve("mvtec/bottle/train/good"));
        Files.createDirectories(dir.resolve("mvtec/cable/train/good"));

        assertThatThrownBy(() -> MvtecCategory.open(dir.resolve("mvtec")))
                .hasMessageContaining("bottle, cable").hasMessageContaining("open one of them");
        assertThatThrownBy(() -> MvtecCategory.open(dir.resolve("mvtec/bottle/train")))
                .hasMessageContaining("category folder above");
        assertThatThrownBy(() -> MvtecCategory.open(dir.resolve("nowhere")))
                .isInstanceOf(InvalidLayoutException.class).hasMessageContaining("does not exist");
    }

    /** A category of one 8 x 8 training image and {@code defects} random 8 x 8 defects of one type with masks. */
    private Path categoryWithDefects(String name, String type, int defects, long seed) throws IOException {
        Random random = new Random(seed);
        Path root = dir.resolve(name);
        MvtecCategory.Writer writer = MvtecCategory.create(root);
        writer.addTrainGood(randomImage(random, 8, 8));
        for (int i = 0; i < defects; i++) {
            writer.addTestDefect(type, randomImage(random, 8, 8), randomMask(random, 8, 8));
        }
        return root;
    }

    @Test
    void twoImagesOfOneNameBeforeTheExtensionGetNeitherTheMaskOfThatName() throws IOException {
        Path root = categoryWithDefects("twins", "pit", 2, 9);
        // another picture beside 000.png, under the name a camera gave it
        Files.copy(root.resolve("test/pit/001.png"), root.resolve("test/pit/000.bmp.tmp"));
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(root.resolve("test/pit/000.bmp.tmp").toFile()), "bmp",
                root.resolve("test/pit/000.bmp").toFile());
        Files.delete(root.resolve("test/pit/000.bmp.tmp"));

        MvtecCategory category = MvtecCategory.open(root);
        assertThat(category.test()).filteredOn(t -> t.image().getFileName().toString().startsWith("000"))
                .hasSize(2).allMatch(t -> t.maskOrNull() == null);
        ImportReport<MvtecCategory.LoadedTestSample> test = category.loadTest(reader);
        assertThat(test.loaded()).extracting(t -> t.sample().image()).containsExactly(root.resolve("test/pit/001.png"));
        assertThat(test.skipped()).extracting(ImportReport.Skipped::file)
                .containsExactlyInAnyOrder(root.resolve("test/pit/000.png"), root.resolve("test/pit/000.bmp"));
        assertThat(test.skipped()).allSatisfy(skipped -> assertThat(skipped.reason())
                .contains("same name before its extension").contains("000_mask.png"));
    }

    @Test
    void badFilesAreSkippedWithReasonsAndTheRestLoads() throws IOException {
        Path root = categoryWithDefects("pill", "chip", 3, 5);
        Files.writeString(root.resolve("train/good/001.png"), "not a picture");
        Files.delete(root.resolve("ground_truth/chip/001_mask.png"));
        Files.write(root.resolve("ground_truth/chip/002_mask.png"), new byte[0]);

        MvtecCategory category = MvtecCategory.open(root);
        ImportReport<LoadedImage> train = category.loadTrainGood(reader);
        ImportReport<MvtecCategory.LoadedTestSample> test = category.loadTest(reader);

        assertThat(train.loaded()).hasSize(1);
        assertThat(train.skipped()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo(root.resolve("train/good/001.png"));
            assertThat(s.reason()).contains("text file");
        });
        assertThat(test.loaded()).extracting(t -> t.sample().image()).containsExactly(root.resolve("test/chip/000.png"));
        assertThat(test.skipped()).extracting(ImportReport.Skipped::file)
                .containsExactly(root.resolve("test/chip/001.png"), root.resolve("test/chip/002.png"));
        assertThat(test.skipped().get(0).reason()).contains("no mask").contains("001_mask.png");
        assertThat(test.skipped().get(1).reason()).contains("002_mask.png").contains("empty");
        assertThat(test.summary()).startsWith("Loaded 1 files, skipped 2:");
    }

    @Test
    void masksAreResizedToTheImageSize() throws IOException {
        Path root = dir.resolve("big");
        MvtecCategory.create(root).addTrainGood(RgbImage.of(4, 4, new float[48]));
        Files.createDirectories(root.resolve("test/hole"));
        dmdd.datasets.image.ImageWriter.writePng(RgbImage.of(64, 32, new float[3 * 64 * 32]), root.resolve("test/hole/000.png"));
        boolean[] flags = new boolean[64 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 32; x < 64; x++) {
                flags[y * 64 + x] = true; // right half
            }
        }
        MaskIo.write(Mask.of(64, 32, flags), root.resolve("ground_truth/hole/000_mask.png"));

        MvtecCategory.LoadedTestSample sample = MvtecCategory.open(root).loadTest(new ImageReader(16)).loaded().get(0);

        assertThat(sample.image().width()).isEqualTo(16);
        assertThat(sample.mask().width()).isEqualTo(16);
        assertThat(sample.mask().height()).isEqualTo(8);
        assertThat(sample.mask().area()).isEqualTo(8 * 8);
        assertThat(sample.mask().get(12, 4)).isTrue();
        assertThat(sample.mask().get(3, 4)).isFalse();
    }
}
