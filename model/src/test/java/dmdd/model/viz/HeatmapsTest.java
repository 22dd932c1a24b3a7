package dmdd.model.viz;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.RgbImage;
import org.junit.jupiter.api.Test;

class HeatmapsTest {

    @Test
    void turboRunsFromDarkBlueToDarkRed() {
        int lo = Colormap.TURBO.argb(0);
        int mid = Colormap.TURBO.argb(0.5);
        int hi = Colormap.TURBO.argb(1);
        // Turbo: dark at 0, blue low, green in the middle, dark red at 1.
        assertThat(red(lo) + green(lo) + blue(lo)).isLessThan(120);
        int low = Colormap.TURBO.argb(0.1);
        assertThat(blue(low)).isGreaterThan(red(low) + 100);
        assertThat(red(hi)).isGreaterThan(blue(hi) + 80);
        assertThat(green(mid)).isGreaterThan(200);
        assertThat(Colormap.TURBO.argb(-3)).isEqualTo(lo);
        assertThat(Colormap.TURBO.argb(Double.NaN)).isEqualTo(lo);
        assertThat(Colormap.GRAY.argb(1)).isEqualTo(0xffffffff);
    }

    @Test
    void scoresAreScaledByTheCalibratedRangeNotPerImage() {
        // A map whose scores all lie below the range's bottom is all bottom colour, however it varies.
        int[] calm = Heatmaps.heatmap(new float[] {0.01f, 0.05f, 0.09f}, 0.1, 0.5, Colormap.TURBO);
        assertThat(calm).containsOnly(Colormap.TURBO.argb(0));
        int[] hot = Heatmaps.heatmap(new float[] {0.3f, 0.9f}, 0.1, 0.5, Colormap.TURBO);
        assertThat(hot[0]).isEqualTo(Colormap.TURBO.argb(0.5));
        assertThat(hot[1]).isEqualTo(Colormap.TURBO.argb(1));
    }

    @Test
    void overlayKeepsNormalPixelsAndColoursDefects() {
        float grey = 0.5f;
        RgbImage image = RgbImage.of(2, 1, new float[] {grey, grey, grey, grey, grey, grey});
        int[] o = Heatmaps.overlay(image, new float[] {0f, 1f}, 0, 1, Colormap.TURBO, 0.6);
        assertThat(o[0]).isEqualTo(0xff808080); // 0.5 * 255 = 127.5 -> 128, unchanged
        int top = Colormap.TURBO.argb(1);
        assertThat(red(o[1])).isEqualTo((int) Math.round(0.4 * 127.5 + 0.6 * red(top)));
        assertThat(Heatmaps.toBufferedImage(o, 2, 1).getRGB(1, 0)).isEqualTo(o[1]);
    }

    private static int red(int c) {
        return (c >> 16) & 0xff;
    }

    private static int green(int c) {
        return (c >> 8) & 0xff;
    }

    private static int blue(int c) {
        return c & 0xff;
    }
}
