package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.NsfwjsConverter;
import dmdd.model.teacher.Teachers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The real ImageNet MobileNetV2 teacher (converted once per JVM from the nsfwjs fixture) and real textures. */
public final class RealTeacher {
    private static Path converted;

    private RealTeacher() {
    }

    /** @return the fixtures folder ({@code dmdd.fixtures}, set by surefire) */
    public static Path fixtures() {
        String root = System.getProperty("dmdd.fixtures");
        assertThat(root).as("system property dmdd.fixtures (set by surefire)").isNotBlank();
        return Path.of(root);
    }

    /**
     * @param manager owns the teacher's weights
     * @return the frozen MobileNetV2 teacher with nsfwjs's ImageNet-trained weights
     * @throws IOException when the fixture is missing
     */
    public static synchronized Backbone mobileNetV2(NDManager manager) throws IOException {
        if (converted == null) {
            Path tarball = fixtures().resolve("npm").resolve(NsfwjsConverter.tarballFileName());
            assertThat(Files.isRegularFile(tarball)).as("%s exists (run scripts/fetch-test-fixtures)", tarball).isTrue();
            Path dir = Files.createTempDirectory("dmdd-teacher");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException e) {
                    // A temporary folder; the system cleans it eventually.
                }
            }));
            dir.toFile().deleteOnExit();
            converted = dir.resolve("mobilenetv2.safetensors");
            NsfwjsConverter.convert(BackboneKind.MOBILENET_V2, tarball, converted);
            converted.toFile().deleteOnExit();
        }
        return Teachers.fromFile(BackboneKind.MOBILENET_V2, false, converted, null, null, manager);
    }

    /**
     * Random square crops of a real skimage texture, resized.
     *
     * @param name  file in skimage's data folder, e.g. {@code gravel.png}
     * @param count how many
     * @param crop  crop side in the source
     * @param side  output side
     * @param seed  crop positions
     * @return the crops
     * @throws IOException when the fixture is missing
     */
    public static List<RgbImage> crops(String name, int count, int crop, int side, long seed) throws IOException {
        Path file = fixtures().resolve("deb/usr/lib/python3/dist-packages/skimage/data").resolve(name);
        RgbImage full = new ImageReader(4096).read(file);
        Random r = new Random(seed);
        List<RgbImage> out = new ArrayList<>();
        int plane = crop * crop;
        for (int k = 0; k < count; k++) {
            int x0 = r.nextInt(full.width() - crop);
            int y0 = r.nextInt(full.height() - crop);
            float[] chw = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < crop; y++) {
                    for (int x = 0; x < crop; x++) {
                        chw[c * plane + y * crop + x] = full.get(c, x0 + x, y0 + y);
                    }
                }
            }
            out.add(RgbImage.of(crop, crop, chw).resize(side, side));
        }
        return out;
    }
}
