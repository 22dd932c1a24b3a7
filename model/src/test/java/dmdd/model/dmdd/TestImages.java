package dmdd.model.dmdd;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small procedural images and defects for fast model tests. */
public final class TestImages {
    private TestImages() {
    }

    /**
     * A regular striped texture with mild noise: every image is "normal" in the same way.
     *
     * @param count how many
     * @param side  width and height
     * @param seed  noise seed
     * @return the images
     */
    public static List<RgbImage> stripes(int count, int side, long seed) {
        Random r = new Random(seed);
        List<RgbImage> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] chw = new float[3 * side * side];
            int phase = r.nextInt(8);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float v = 0.5f + 0.3f * (float) Math.sin((x + phase) * Math.PI / 4) + 0.03f * (float) r.nextGaussian();
                    for (int c = 0; c < 3; c++) {
                        chw[c * side * side + y * side + x] = clamp(v * (0.8f + 0.1f * c));
                    }
                }
            }
            out.add(RgbImage.of(side, side, chw));
        }
        return out;
    }

    /**
     * Paints a flat rectangle of a random colour: an obvious defect with its mask.
     *
     * @param normal the image
     * @param rng    generator
     * @return the pair
     */
    public static TrainingPair paintRectangle(RgbImage normal, Random rng) {
        int w = normal.width();
        int h = normal.height();
        int rw = 4 + rng.nextInt(Math.max(1, w / 4));
        int rh = 4 + rng.nextInt(Math.max(1, h / 4));
        int x0 = rng.nextInt(w - rw);
        int y0 = rng.nextInt(h - rh);
        float[] col = {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
        float[] chw = normal.chw();
        boolean[] m = new boolean[w * h];
        for (int y = y0; y < y0 + rh; y++) {
            for (int x = x0; x < x0 + rw; x++) {
                m[y * w + x] = true;
                for (int c = 0; c < 3; c++) {
                    chw[c * w * h + y * w + x] = col[c];
                }
            }
        }
        return new TrainingPair(normal, RgbImage.of(w, h, chw), Mask.of(w, h, m));
    }

    /**
     * Paints a thin straight scratch (2 px wide, at least half the image long, random angle) of a flat colour far
     * from the image's mean: an obvious thin defect with its mask.
     *
     * @param normal the image
     * @param rng    generator
     * @return the pair
     */
    public static TrainingPair paintThinLine(RgbImage normal, Random rng) {
        int w = normal.width();
        int h = normal.height();
        float[] chw = normal.chw();
        double mean = 0;
        for (float v : chw) {
            mean += v;
        }
        float col = mean / chw.length > 0.5 ? 0.02f : 0.98f; // dark on bright texture, bright on dark
        double angle = rng.nextDouble() * Math.PI;
        double length = (0.5 + 0.3 * rng.nextDouble()) * Math.min(w, h);
        double cx = w / 2.0 + (rng.nextDouble() - 0.5) * w / 4;
        double cy = h / 2.0 + (rng.nextDouble() - 0.5) * h / 4;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x + 0.5 - cx;
                double py = y + 0.5 - cy;
                double along = px * dx + py * dy;
                double across = Math.abs(-px * dy + py * dx);
                if (Math.abs(along) <= length / 2 && across <= 1.0) {
                    m[y * w + x] = true;
                    for (int c = 0; c < 3; c++) {
                        chw[c * w * h + y * w + x] = col;
                    }
                }
            }
        }
        return new TrainingPair(normal, RgbImage.of(w, h, chw), Mask.of(w, h, m));
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
