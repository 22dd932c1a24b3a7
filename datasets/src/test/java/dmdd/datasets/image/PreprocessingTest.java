package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {

    @Test
    void areaResizeAveragesWhatEachOutputPixelCovers() {
        // 3 -> 2 along x: output 0 covers [0, 1.5): (a + 0.5 b) / 1.5; output 1 covers [1.5, 3): (0.5 b + c) / 1.5.
        float[] src = {3, 6, 9};
        float[] dst = new float[2];
        FloatPlanes.resize(src, 0, 3, 1, dst, 0, 2, 1);
        assertThat(dst[0]).isCloseTo((3 + 0.5f * 6) / 1.5f, within(1e-6f));
        assertThat(dst[1]).isCloseTo((0.5f * 6 + 9) / 1.5f, within(1e-6f));
        // 4x4 -> 2x2 is the plain 2x2 box mean.
        float[] block = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        float[] half = new float[4];
        FloatPlanes.resize(block, 0, 4, 4, half, 0, 2, 2);
        assertThat(half).containsExactly(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, within(1e-6f));
    }

    @Test
    void enlargingIsBilinearWithCentresAligned() {
        // 2 -> 4: sample positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1) of [a, b].
        float[] dst = new float[4];
        FloatPlanes.resize(new float[] {0, 8}, 0, 2, 1, dst, 0, 4, 1);
        assertThat(dst).containsExactly(new float[] {0, 2, 6, 8}, within(1e-6f));
    }

    @Test
    void aFineWeaveIsAveragedNotAliased() {
        // 1-px stripes (0, 1, 0, 1 ...) reduced by 4: every output is their mean, 0.5; point sampling would
        // give all 0 or all 1.
        int w = 256;
        float[] chw = new float[3 * w * w];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i % w) % 2;
        }
        RgbImage input = new Preprocessing(64).input(RgbImage.of(w, w, chw));
        for (float v : input.chw()) {
            assertThat(v).isCloseTo(0.5f, within(1e-5f));
        }
    }

    @Test
    void aZoomedImageIsShrunkWholeToALargerSquareThatTilesOfTheInputCover() {
        Preprocessing zoomed = Preprocessing.zoomed(64, 96);
        assertThat(zoomed.isTiled()).isTrue();
        assertThat(zoomed.side()).isEqualTo(64);
        assertThat(zoomed.scale()).isEqualTo(0.0);
        RgbImage wide = RgbImage.of(300, 200, new float[3 * 300 * 200]);
        RgbImage atScale = zoomed.atScale(wide);
        assertThat(atScale.width()).isEqualTo(96); // squared like the whole-image input, only larger
        assertThat(atScale.height()).isEqualTo(96);
        assertThat(zoomed.sizeWarning(40, 40)).contains("under half the 96 px square it is zoomed to");
        assertThat(zoomed.decodeSide()).isEqualTo(Preprocessing.decodeSide(96));
        // no zoom is whole-image preprocessing
        assertThat(Preprocessing.zoomed(64, 64).isTiled()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Preprocessing.zoomed(64, 32))
                .hasMessageContaining("below the input side");
    }

    @Test
    void tinyOrStretchedImagesAreNamedInAWarningAndStillLoaded(@TempDir Path dir) throws Exception {
        Preprocessing whole = new Preprocessing(128);
        assertThat(whole.sizeWarning(192, 192)).isNull();
        assertThat(whole.sizeWarning(64, 64)).isNull(); // half the input: enlarged twice, still a texture
        assertThat(whole.sizeWarning(400, 100)).isNull(); // 4:1 is a wide part, not a strip
        assertThat(whole.sizeWarning(1, 1)).isEqualTo("is 1 x 1 px, under half the 128 px input: it is enlarged 128 times");
        assertThat(whole.sizeWarning(4000, 10))
                .isEqualTo("is 4000 x 10 px: squeezed into the square input, its texture is distorted 400 times");
        Preprocessing tiled = new Preprocessing(64, 10);
        assertThat(tiled.sizeWarning(192, 192)).startsWith("is 192 x 192 px, smaller than one 64 px tile at scale 10.0");
        assertThat(tiled.sizeWarning(2048, 2048)).isNull();
        assertThat(new Preprocessing(64, 1).sizeWarning(16384, 64)).isNull();
        // wider than a camera picture is read: shrunk to 16384 px, so inspected at 17000 / 16384 pixels per model pixel
        assertThat(new Preprocessing(64, 1).sizeWarning(17000, 64)).isEqualTo("is 17000 x 64 px, larger than the "
                + "16384 px a camera picture is read at: it is shrunk and inspected at 1.04 image pixels per model "
                + "pixel instead of the model's 1.0");

        Path strip = dir.resolve("strip.png");
        ImageWriter.writePng(RgbImage.of(400, 10, new float[3 * 400 * 10]).toBufferedImage(), strip);
        java.util.List<String> warnings = new java.util.ArrayList<>();
        RgbImage input = whole.networkInputs(warnings::add).read(strip);
        assertThat(input.width()).isEqualTo(128);
        assertThat(warnings).containsExactly(strip + ": is 400 x 10 px: squeezed into the square input, its texture "
                + "is distorted 40 times");
    }

    @Test
    void cameraImagesAreDecodedAboveTheBoundAndAOnePixelScratchReachesTheInput(@TempDir Path dir)
            throws Exception {
        int w = 2448;
        int h = 2048;
        float[] chw = new float[3 * w * h];
        float base = 128 / 255f; // exact in an 8-bit PNG
        java.util.Arrays.fill(chw, base);
        int row = 1001; // one odd row: 1-in-2 subsampling would drop it
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < w; x++) {
                chw[c * w * h + row * w + x] = 1f;
            }
        }
        Path file = dir.resolve("camera.png");
        ImageWriter.writePng(RgbImage.of(w, h, chw).toBufferedImage(), file);

        Preprocessing p = new Preprocessing(256);
        assertThat(p.decodeSide()).isEqualTo(2048);
        PreparedImage prepared = p.read(file);
        assertThat(prepared.picture().width()).isEqualTo(2048);
        assertThat(prepared.input().width()).isEqualTo(256);
        assertThat(prepared.input().height()).isEqualTo(256);
        // The scratch is one of about 8 source rows an input row covers: that input row is brighter by about
        // (1 - base) / 8 (at least half of it where the row straddles two input rows); dropped, it would add 0.
        float brightest = 0;
        for (int y = 0; y < 256; y++) {
            brightest = Math.max(brightest, prepared.input().get(0, 100, y));
        }
        assertThat(brightest - base).isGreaterThan((1 - base) / 8 / 2);
        // The same file always gives the same input; an in-memory copy of the pixels gives it too.
        assertThat(p.read(file).input()).isEqualTo(prepared.input());
        assertThat(p.prepare(RgbImage.of(w, h, chw)).input().get(0, 100, 125))
                .isCloseTo(prepared.input().get(0, 100, 125), within(1e-5f));
    }
}
