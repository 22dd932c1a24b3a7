package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import java.util.Random;

/** Pixel helpers shared by the texture sources. */
final class Textures {
    private Textures() {
    }

    /**
     * A random crop with the target's aspect ratio (half to all of the largest such crop),
     * resized to the target size, so textures are never stretched.
     */
    static RgbImage randomCropResize(RgbImage source, int width, int height, Random rng) {
        double aspect = (double) width / height;
        int maxW = source.width();
        int maxH = source.height();
        if (maxW / aspect > maxH) {
            maxW = Math.max(1, (int) Math.round(maxH * aspect));
        } else {
            maxH = Math.max(1, (int) Math.round(maxW / aspect));
        }
        double scale = 0.5 + 0.5 * rng.nextDouble();
        int cw = Math.max(1, Math.min(source.width(), (int) Math.round(maxW * scale)));
        int ch = Math.max(1, Math.min(source.height(), (int) Math.round(maxH * scale)));
        int x0 = rng.nextInt(source.width() - cw + 1);
        int y0 = rng.nextInt(source.height() - ch + 1);
        return crop(source, x0, y0, cw, ch).resize(width, height);
    }

    static RgbImage crop(RgbImage source, int x0, int y0, int w, int h) {
        if (x0 == 0 && y0 == 0 && w == source.width() && h == source.height()) {
            return source;
        }
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[c * w * h + y * w + x] = source.get(c, x0 + x, y0 + y);
                }
            }
        }
        return RgbImage.of(w, h, out);
    }

    /** Repeats a pattern to fill the target size, starting at a given offset into the pattern. */
    static RgbImage tile(RgbImage pattern, int width, int height, int offsetX, int offsetY) {
        int pw = pattern.width();
        int ph = pattern.height();
        float[] src = pattern.chw();
        float[] out = new float[3 * width * height];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                int sy = Math.floorMod(y + offsetY, ph);
                for (int x = 0; x < width; x++) {
                    int sx = Math.floorMod(x + offsetX, pw);
                    out[c * width * height + y * width + x] = src[c * pw * ph + sy * pw + sx];
                }
            }
        }
        return RgbImage.of(width, height, out);
    }

    /** A random colour with every channel in [0, 1]. */
    static float[] randomColour(Random rng) {
        return new float[] {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
    }

    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
