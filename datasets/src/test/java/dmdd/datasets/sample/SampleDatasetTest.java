package dmdd.datasets.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDatasetTest {
    @TempDir
    Path root;

    @Test
    void defaultSampleHasTheMvtecLayoutAndCounts() throws IOException {
        long start = System.nanoTime();
        Path dir = SampleDataset.generate(root);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("sample_fabric generated in " + millis + " ms");

        MvtecCategory category = MvtecCategory.open(dir);
        assertThat(category.name()).isEqualTo("sample_fabric");
        assertThat(category.trainGood()).hasSize(60);
        assertThat(category.defectTypes()).containsExactly("hole", "scratch", "stain");
        List<MvtecCategory.TestSample> test = category.test();
        assertThat(test).hasSize(10 + 3 * 6);
        assertThat(test).filteredOn(MvtecCategory.TestSample::isDefective)
                .allSatisfy(s -> assertThat(s.maskOrNull()).isNotNull().exists());
        assertThat(dir.resolve("test/scratch/005.png")).exists();
        assertThat(dir.resolve("ground_truth/scratch/005_mask.png")).exists();
        assertThat(new ImageReader(1024).read(dir.resolve("train/good/000.png")).width()).isEqualTo(256);
    }

    @Test
    void aCompleteSampleIsReusedAndGenerationIsDeterministic() throws IOException {
        Path first = SampleDataset.generateTiny(root);
        Path file = first.resolve("test/stain/001.png");
        byte[] bytes = Files.readAllBytes(file);
        FileTime written = Files.getLastModifiedTime(file);

        Path again = SampleDataset.generateTiny(root);
        Path elsewhere = SampleDataset.generateTiny(root.resolve("other"));

        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(file)).as("not rewritten").isEqualTo(written);
        assertThat(Files.readAllBytes(elsewhere.resolve("test/stain/001.png"))).isEqualTo(bytes);
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .as("no temporary folder left").containsExactlyInAnyOrder("sample_fabric_tiny", "other");
        }
    }

    @Test
    void masksCoverExactlyThePixelsTheDefectChanged() throws IOException {
        Path dir = SampleDataset.generate(root, new SampleDataset.Spec("exact", 128, 1, 0, 4, 7L));
        ImageReader reader = new ImageReader(1024);
        for (String type : SampleDataset.DEFECT_TYPES) {
            for (int i = 0; i < 4; i++) {
                String n = String.format("%03d", i);
                RgbImage saved = reader.read(dir.resolve("test/" + type + "/" + n + ".png"));
                Mask mask = MaskIo.read(dir.resolve("ground_truth/" + type + "/" + n + "_mask.png"));
                // The clean fabric the defect was painted on: the same seed renders it first.
                long seed = SampleDataset.imageSeed(7L, "test/" + type, i);
                RgbImage clean = quantised(SampleDataset.normalSurface(128, seed));
                assertThat(mask.area()).as("%s %s", type, n).isGreaterThan(20);
                for (int y = 0; y < 128; y++) {
                    for (int x = 0; x < 128; x++) {
                        float change = 0;
                        for (int c = 0; c < 3; c++) {
                            change = Math.max(change, Math.abs(saved.get(c, x, y) - clean.get(c, x, y)));
                        }
                        if (mask.get(x, y)) {
                            assertThat(change).as("%s %s mask pixel %d,%d changed visibly", type, n, x, y)
                                    .isGreaterThanOrEqualTo(4 / 255f);
                        } else {
                            assertThat(change).as("%s %s pixel %d,%d outside the mask untouched", type, n, x, y)
                                    .isZero();
                        }
                    }
                }
            }
        }
    }

    private static RgbImage quantised(RgbImage image) {
        return RgbImage.fromBufferedImage(image.toBufferedImage());
    }

    @Test
    void defectImagesDifferFromEachOtherAndFromNormalOnes() {
        SampleDataset.Defective a = SampleDataset.defective(64, "hole", 1);
        SampleDataset.Defective b = SampleDataset.defective(64, "hole", 2);
        assertThat(a.mask()).isNotEqualTo(b.mask());
        assertThat(SampleDataset.normalSurface(64, 1)).isNotEqualTo(SampleDataset.normalSurface(64, 2));
        assertThat(SampleDataset.defective(64, "stain", 3)).isEqualTo(SampleDataset.defective(64, "stain", 3));
        assertThatThrownBy(() -> SampleDataset.defective(64, "crack", 1)).hasMessageContaining("crack");
    }

    @Test
    void neverOverwritesAForeignFolder() throws IOException {
        Files.createDirectories(root.resolve("sample_fabric_tiny/train/good"));
        Files.writeString(root.resolve("sample_fabric_tiny/notes.txt"), "mine");

        assertThatThrownBy(() -> SampleDataset.generateTiny(root))
                .isInstanceOf(IOException.class).hasMessageContaining("not a sample dataset");
        assertThat(root.resolve("sample_fabric_tiny/notes.txt")).hasContent("mine");
    }
}
