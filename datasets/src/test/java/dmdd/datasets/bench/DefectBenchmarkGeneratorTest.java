package dmdd.datasets.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefectBenchmarkGeneratorTest {
    private static final Path BRICK = Path.of(System.getProperty("dmdd.fixtures", ".fixtures"),
            "deb/usr/lib/python3/dist-packages/skimage/data/brick.png");
    private static final DefectBenchmarkGenerator.Settings SMALL =
            new DefectBenchmarkGenerator.Settings(96, 64, 3, 2, 2, 0.55, 8, 0.1, 5);

    @TempDir
    Path tmp;

    @Test
    void writesTheMvtecLayoutWithAMaskPerDefectImage() throws IOException {
        Path dir = new DefectBenchmarkGenerator(SMALL).generate(BRICK, tmp, "brick");
        assertThat(ImageFiles.list(dir.resolve("train/good"))).hasSize(3);
        assertThat(ImageFiles.list(dir.resolve("test/good"))).hasSize(2);
        ImageReader reader = new ImageReader(Integer.MAX_VALUE);
        for (BenchmarkDefect d : BenchmarkDefect.values()) {
            for (Path image : ImageFiles.list(dir.resolve("test").resolve(d.folderName()))) {
                String stem = image.getFileName().toString().replace(".png", "");
                Mask mask = MaskIo.read(dir.resolve("ground_truth").resolve(d.folderName()).resolve(stem + "_mask.png"));
                RgbImage img = reader.read(image);
                assertThat(img.width()).isEqualTo(64);
                assertThat(mask.width()).isEqualTo(64);
                // Every defect image has a defect, and it covers a small part of the image.
                assertThat(mask.area()).as(d + " " + stem).isPositive().isLessThan(64 * 64 / 4);
            }
            assertThat(ImageFiles.list(dir.resolve("test").resolve(d.folderName()))).hasSize(2);
        }
    }

    @Test
    void isDeterministicUnderASeed() throws IOException {
        Path a = new DefectBenchmarkGenerator(SMALL).generate(BRICK, tmp.resolve("a"), "brick");
        Path b = new DefectBenchmarkGenerator(SMALL).generate(BRICK, tmp.resolve("b"), "brick");
        for (String f : new String[] {"train/good/002.png", "test/crack/001.png", "ground_truth/stain/000_mask.png"}) {
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
        }
    }

    @Test
    void paintedPixelsDifferFromTheCleanImageInsideTheMaskOnly() {
        for (BenchmarkDefect d : BenchmarkDefect.values()) {
            int w = 80;
            float[] clean = new float[3 * w * w];
            java.util.Arrays.fill(clean, 0.5f);
            float[] painted = clean.clone();
            DefectPainter painter = new DefectPainter(w, w, painted);
            painter.paint(d, new Random(3));
            boolean[] mask = painter.mask();
            double changedInside = 0;
            double changedOutside = 0;
            int inside = 0;
            for (int i = 0; i < w * w; i++) {
                double delta = Math.abs(painted[i] - clean[i]) + Math.abs(painted[2 * w * w + i] - clean[2 * w * w + i]);
                if (mask[i]) {
                    changedInside += delta;
                    inside++;
                } else {
                    changedOutside += delta;
                }
            }
            assertThat(inside).as(d.name()).isPositive();
            // Most of the visible change lies inside the annotated region (anti-aliased edges may spill a little).
            assertThat(changedInside).as(d.name()).isGreaterThan(4 * changedOutside);
            assertThat(changedInside / inside).as(d.name()).isGreaterThan(0.05);
        }
    }

    @Test
    void theQuadrantSplitTrainsOnTwoDiagonalQuartersAndTestsOnTheOtherTwo() throws IOException {
        // red rises left to right, green top to bottom: a crop's mean colour says where it was cut
        int side = 512;
        float[] chw = new float[3 * side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                chw[y * side + x] = x / (float) (side - 1);
                chw[side * side + y * side + x] = y / (float) (side - 1);
                chw[2 * side * side + y * side + x] = 0.5f;
            }
        }
        Path texture = tmp.resolve("gradient.png");
        dmdd.datasets.image.ImageWriter.writePng(RgbImage.of(side, side, chw), texture);
        DefectBenchmarkGenerator.Settings still = new DefectBenchmarkGenerator.Settings(96, 96, 12, 8, 2, 0.55, 0, 0, 5);
        Path quadrants = new DefectBenchmarkGenerator(still.withSplit(DefectBenchmarkGenerator.Split.QUADRANTS))
                .generate(texture, tmp.resolve("q"), "gradient");
        java.util.Set<String> trainParts = parts(quadrants.resolve("train/good"));
        java.util.Set<String> testParts = parts(quadrants.resolve("test/good"));
        for (BenchmarkDefect d : BenchmarkDefect.values()) {
            testParts.addAll(parts(quadrants.resolve("test").resolve(d.folderName())));
        }
        assertThat(trainParts).containsExactlyInAnyOrder("top left", "bottom right");
        assertThat(testParts).containsExactlyInAnyOrder("top right", "bottom left");
        Path leftRight = new DefectBenchmarkGenerator(still).generate(texture, tmp.resolve("lr"), "gradient");
        assertThat(parts(leftRight.resolve("train/good"))).allMatch(p -> p.endsWith("left"));
        assertThat(parts(leftRight.resolve("test/good"))).allMatch(p -> p.endsWith("right"));
    }

    /** Where each image of a folder was cut from, by its mean colour on the gradient texture. */
    private static java.util.Set<String> parts(Path folder) throws IOException {
        java.util.Set<String> parts = new java.util.HashSet<>();
        ImageReader reader = new ImageReader(Integer.MAX_VALUE);
        for (Path image : ImageFiles.list(folder)) {
            RgbImage img = reader.read(image);
            float[] c = img.chw();
            int n = img.width() * img.height();
            double red = 0;
            double green = 0;
            for (int i = 0; i < n; i++) {
                red += c[i];
                green += c[n + i];
            }
            parts.add((green / n < 0.5 ? "top " : "bottom ") + (red / n < 0.5 ? "left" : "right"));
        }
        return parts;
    }

    @Test
    void neverWritesIntoAnExistingCategory() throws IOException {
        new DefectBenchmarkGenerator(SMALL).generate(BRICK, tmp, "brick");
        assertThatThrownBy(() -> new DefectBenchmarkGenerator(SMALL).generate(BRICK, tmp, "brick"))
                .hasMessageContaining("already exists");
    }

    @Test
    void aTextureTooSmallForTheHeldOutPartIsAClearError() throws IOException {
        Path tiny = tmp.resolve("tiny.png");
        dmdd.datasets.image.ImageWriter.writePng(RgbImage.of(40, 40, new float[3 * 40 * 40]), tiny);
        assertThatThrownBy(() -> new DefectBenchmarkGenerator(SMALL).generate(tiny, tmp, "tiny"))
                .isInstanceOf(IOException.class).hasMessageContaining("tiny.png").hasMessageContaining("too small");
    }
}
