package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.Fixtures;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextureSourcesTest {
    @TempDir
    Path dir;

    private final RgbImage normal = SampleDataset.normalSurface(48, 1);

    @Test
    void readsRealGimpPatternsOfEveryPixelFormat() throws IOException {
        Path patterns = Fixtures.gimpPatterns();
        // Expected values read from the headers with a separate parser (and GIMP's pattern names).
        GimpPattern burlap = GimpPattern.read(patterns.resolve("Fabric/burlap.pat"));
        GimpPattern stripes = GimpPattern.read(patterns.resolve("Legacy/Stripes2px.pat"));
        GimpPattern paper = GimpPattern.read(patterns.resolve("Paper/paper.pat"));

        assertThat(burlap.name()).isEqualTo("Burlap");
        assertThat(burlap.width()).isEqualTo(96);
        assertThat(burlap.height()).isEqualTo(96);
        assertThat(burlap.bytesPerPixel()).isEqualTo(3);
        assertThat(stripes.name()).isEqualTo("Stripes");
        assertThat(stripes.bytesPerPixel()).isEqualTo(4);
        assertThat(paper.name()).isEqualTo("Paper");
        assertThat(paper.bytesPerPixel()).isEqualTo(1);
        assertThat(paper.width()).isEqualTo(100);
        // Pixels: the first RGB triple after the header, compared with the raw bytes.
        byte[] raw = Files.readAllBytes(patterns.resolve("Fabric/burlap.pat"));
        int headerSize = new DataInputStream(new java.io.ByteArrayInputStream(raw)).readInt();
        assertThat(burlap.image().get(0, 0, 0)).isEqualTo((raw[headerSize] & 0xff) / 255f);
        assertThat(burlap.image().get(2, 0, 0)).isEqualTo((raw[headerSize + 2] & 0xff) / 255f);
        int lastPixel = headerSize + (96 * 96 - 1) * 3;
        assertThat(burlap.image().get(1, 95, 95)).isEqualTo((raw[lastPixel + 1] & 0xff) / 255f);
    }

    @Test
    void everyInstalledPatternLoadsAndMatchesItsHeader() throws IOException {
        GimpPatternTextureSource source = GimpPatternTextureSource.open(Fixtures.gimpPatterns());

        assertThat(source.report().skipped()).isEmpty();
        assertThat(source.report().loaded()).hasSizeGreaterThanOrEqualTo(50);
        for (GimpPattern p : source.report().loaded()) {
            assertThat(p.name()).isNotBlank();
        }
        RgbImage texture = source.texture(70, 30, normal, new Random(3));
        assertThat(texture.width()).isEqualTo(70);
        assertThat(texture.height()).isEqualTo(30);
        assertThat(source.texture(70, 30, normal, new Random(3))).isEqualTo(texture);
    }

    @Test
    void readsAPatternThisTestWritesAndTilesIt() throws IOException {
        // 2 x 2, gray + alpha, a UTF-8 name.
        byte[] pixels = {(byte) 255, (byte) 255, 0, (byte) 255, (byte) 128, (byte) 255, (byte) 200, 0};
        Path file = dir.resolve("mine.pat");
        Files.write(file, pattern("Grüner Stoff", 2, 2, 2, pixels));

        GimpPattern p = GimpPattern.read(file);
        GimpPatternTextureSource source = GimpPatternTextureSource.open(file);

        assertThat(p.name()).isEqualTo("Grüner Stoff");
        assertThat(p.image().get(0, 0, 0)).isEqualTo(1f);
        assertThat(p.image().get(0, 1, 0)).isEqualTo(0f);
        assertThat(p.image().get(1, 0, 1)).isEqualTo(128 / 255f);
        assertThat(p.image().get(2, 1, 1)).as("transparent").isEqualTo(0f);
        assertThat(source.texture(9, 5, normal, new Random(1)).width()).isEqualTo(9);
        RgbImage tiled = Textures.tile(p.image(), 6, 4, 1, 0);
        assertThat(tiled.get(0, 0, 0)).isEqualTo(p.image().get(0, 1, 0));
        assertThat(tiled.get(0, 2, 0)).isEqualTo(p.image().get(0, 1, 0));
        assertThat(tiled.get(0, 3, 2)).isEqualTo(p.image().get(0, 0, 0));
    }

    @Test
    void badPatternFilesAreRejectedWithTheirNameAndProblem() throws IOException {
        Path wrongMagic = dir.resolve("magic.pat");
        byte[] good = pattern("x", 2, 2, 3, new byte[12]);
        byte[] bad = good.clone();
        bad[20] = 'X';
        Files.write(wrongMagic, bad);
        Path truncated = dir.resolve("short.pat");
        Files.write(truncated, Arrays.copyOf(good, good.length - 5));
        Path tiny = dir.resolve("tiny.pat");
        Files.write(tiny, new byte[] {0, 0, 0});

        assertThatThrownBy(() -> GimpPattern.read(wrongMagic)).hasMessageContaining("magic.pat").hasMessageContaining("GPAT");
        assertThatThrownBy(() -> GimpPattern.read(truncated)).hasMessageContaining("short.pat").hasMessageContaining("truncated");
        assertThatThrownBy(() -> GimpPattern.read(tiny)).hasMessageContaining("too short");
        assertThatThrownBy(() -> GimpPatternTextureSource.open(dir))
                .hasMessageContaining("No readable GIMP pattern").hasMessageContaining("skipped 3");
        Files.write(dir.resolve("good.pat"), good);
        GimpPatternTextureSource source = GimpPatternTextureSource.open(dir);
        assertThat(source.report().loaded()).extracting(GimpPattern::name).containsExactly("x");
        assertThat(source.report().skipped()).extracting(s -> s.file().getFileName().toString())
                .containsExactly("magic.pat", "short.pat", "tiny.pat");
    }

    private static byte[] pattern(String name, int w, int h, int bpp, byte[] pixels) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(24 + nameBytes.length);
        out.writeInt(1);
        out.writeInt(w);
        out.writeInt(h);
        out.writeInt(bpp);
        out.writeBytes("GPAT");
        out.write(nameBytes);
        out.write(pixels);
        return bytes.toByteArray();
    }

    @Test
    void folderSourceDropsUnreadableFilesAndKeepsDrawing() throws IOException {
        ImageWriter.writePng(SampleDataset.normalSurface(40, 7), dir.resolve("a.png"));
        Files.writeString(dir.resolve("broken.png"), "no image here");
        FolderTextureSource source = FolderTextureSource.open(dir, 64);
        Random rng = new Random(2);

        for (int i = 0; i < 20; i++) {
            RgbImage t = source.texture(32, 16, normal, rng);
            assertThat(t.width()).isEqualTo(32);
            assertThat(t.height()).isEqualTo(16);
        }

        assertThat(source.size()).isEqualTo(1);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> FolderTextureSource.open(empty, 64)).hasMessageContaining("holds no image files");
    }

    @Test
    void proceduralSourceWorksWithoutFilesAndStaysInRange() {
        ProceduralTextureSource source = new ProceduralTextureSource();
        for (RgbImage t : new RgbImage[] {
            ProceduralTextureSource.noise(40, 30, new Random(1)),
            ProceduralTextureSource.stripes(40, 30, new Random(1)),
            ProceduralTextureSource.jitteredPatch(40, 30, normal, new Random(1)),
            source.texture(40, 30, normal, new Random(5))}) {
            assertThat(t.width()).isEqualTo(40);
            assertThat(t.height()).isEqualTo(30);
            for (float v : t.chw()) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        RgbImage stripes = ProceduralTextureSource.stripes(40, 30, new Random(1));
        float[] values = stripes.chw();
        assertThat(Arrays.stream(box(values)).distinct().count()).as("two colours").isLessThanOrEqualTo(6);
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

}
