package dmdd.datasets.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second development benchmark: other textures (GIMP patterns), other defects. */
class SurfaceDamageTest {
    private static final Path PATTERNS = Path.of(System.getProperty("dmdd.fixtures", ".fixtures"),
            "deb/usr/share/gimp/2.0/patterns");
    private static final DefectBenchmarkGenerator.Settings SMALL =
            new DefectBenchmarkGenerator.Settings(96, 64, 3, 2, 2, 0.55, 8, 0.1, 5);

    @TempDir
    Path tmp;

    @Test
    void writesOneCategoryPerPatternWithEveryDamageKindAndItsMask() throws IOException {
        List<Path> textures = List.of(PATTERNS.resolve("Wood/walnut.pat"), PATTERNS.resolve("Stone/slate.pat"));
        List<Path> dirs = new DefectBenchmarkGenerator(SMALL).generateDamage(textures, tmp);
        assertThat(dirs).extracting(d -> d.getFileName().toString()).containsExactly("walnut", "slate");
        ImageReader reader = new ImageReader(Integer.MAX_VALUE);
        for (Path dir : dirs) {
            assertThat(ImageFiles.list(dir.resolve("train/good"))).hasSize(3);
            assertThat(ImageFiles.list(dir.resolve("test/good"))).hasSize(2);
            for (SurfaceDamage d : SurfaceDamage.values()) {
                List<Path> images = ImageFiles.list(dir.resolve("test").resolve(d.folderName()));
                assertThat(images).as(d.folderName()).hasSize(2);
                for (Path image : images) {
                    String stem = image.getFileName().toString().replace(".png", "");
                    Mask mask = MaskIo.read(dir.resolve("ground_truth").resolve(d.folderName())
                            .resolve(stem + "_mask.png"));
                    assertThat(reader.read(image).width()).isEqualTo(64);
                    assertThat(mask.area()).as(dir.getFileName() + " " + d + " " + stem).isPositive()
                            .isLessThan(64 * 64 / 2);
                }
            }
        }
        Path again = new DefectBenchmarkGenerator(SMALL).generateDamage(textures.subList(0, 1), tmp.resolve("b")).get(0);
        // a lone texture takes its foreign patches from itself; the normal images do not depend on the others
        assertThat(Files.readAllBytes(again.resolve("train/good/001.png")))
                .isEqualTo(Files.readAllBytes(dirs.get(0).resolve("train/good/001.png")));
    }

    @Test
    void eachDamageChangesMostlyThePixelsItsMaskCovers() {
        Random noise = new Random(1);
        int w = 96;
        float[] texture = new float[3 * w * w];
        for (int i = 0; i < texture.length; i++) {
            texture[i] = 0.3f + 0.4f * noise.nextFloat();
        }
        RgbImage foreign = RgbImage.of(w, w, texture);
        for (SurfaceDamage d : SurfaceDamage.values()) {
            float[] clean = new float[3 * w * w];
            for (int i = 0; i < clean.length; i++) {
                clean[i] = 0.5f + 0.05f * (float) Math.sin(i * 0.37);
            }
            float[] painted = clean.clone();
            SurfaceDamagePainter painter = new SurfaceDamagePainter(w, w, painted, List.of(foreign));
            painter.paint(d, new Random(11));
            boolean[] mask = painter.mask();
            double inside = 0;
            double outside = 0;
            int area = 0;
            for (int i = 0; i < w * w; i++) {
                double delta = 0;
                for (int c = 0; c < 3; c++) {
                    delta += Math.abs(painted[c * w * w + i] - clean[c * w * w + i]);
                }
                if (mask[i]) {
                    inside += delta;
                    area++;
                } else {
                    outside += delta;
                }
            }
            assertThat(area).as(d.name()).isPositive();
            // soft-edged damage reaches past its outline, but most of the change is inside it
            assertThat(inside).as(d.name()).isGreaterThan(2 * outside);
            assertThat(inside / area).as(d.name()).isGreaterThan(0.05);
        }
    }
}
