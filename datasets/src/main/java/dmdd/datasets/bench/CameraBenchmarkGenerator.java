package dmdd.datasets.bench;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Builds a camera-resolution test category in the MVTec AD layout: a fine woven surface (a weave period
 * of about 3 px, the detail that integer subsampling aliases) at camera sizes such as 1024 x 1024 and
 * 2448 x 2048, with defects that only exist at full resolution: {@code scratch} (curved lines exactly
 * 1 px wide) and {@code pit} (2 x 2 px dark spots), their masks at the image's own resolution. It is the
 * category on which every front end must give the same file the same score, and on which {@code eval}
 * must count every defective image as defective even where its mask vanishes at the network input.
 * Deterministic under the seed.
 */
public final class CameraBenchmarkGenerator {
    /** The defect folders written. */
    public static final List<String> DEFECTS = List.of("scratch", "pit");

    /**
     * @param sizes          image sizes, {@code {width, height}} each, used in turn
     * @param trainImages    normal training images
     * @param testGoodImages normal test images
     * @param testImagesPerDefect defective test images per defect type
     * @param seed           random seed
     */
    public record Settings(List<int[]> sizes, int trainImages, int testGoodImages, int testImagesPerDefect,
                           long seed) {
        /** Validates the settings. */
        public Settings {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s.length != 2 || s[0] < 64 || s[1] < 64)) {
                throw new IllegalArgumentException("sizes must be {width, height} pairs of at least 64 px");
            }
            if (trainImages < 1 || testGoodImages < 1 || testImagesPerDefect < 1) {
                throw new IllegalArgumentException("every split needs at least one image");
            }
        }
    }

    private final Settings settings;

    /**
     * @param settings the settings
     */
    public CameraBenchmarkGenerator(Settings settings) {
        this.settings = settings;
    }

    /**
     * Writes {@code root/category/...}.
     *
     * @param root     the dataset root (created)
     * @param category the category folder name
     * @return the category folder
     * @throws IOException when the folder exists or a file cannot be written
     */
    public Path generate(Path root, String category) throws IOException {
        Path dir = root.resolve(category);
        if (Files.exists(dir)) {
            throw new IOException(dir + " already exists; remove it or write the category elsewhere");
        }
        Random rng = new Random(settings.seed());
        MvtecCategory.Writer writer = MvtecCategory.create(dir);
        int n = 0;
        for (int i = 0; i < settings.trainImages(); i++) {
            writer.addTrainGood(weave(size(n++), rng));
        }
        for (int i = 0; i < settings.testGoodImages(); i++) {
            writer.addTestGood(weave(size(n++), rng));
        }
        for (String defect : DEFECTS) {
            for (int i = 0; i < settings.testImagesPerDefect(); i++) {
                int[] size = size(n++);
                RgbImage clean = weave(size, rng);
                float[] chw = clean.chw();
                boolean[] mask = new boolean[size[0] * size[1]];
                if (defect.equals("scratch")) {
                    scratch(chw, mask, size[0], size[1], rng);
                } else {
                    pits(chw, mask, size[0], size[1], rng);
                }
                writer.addTestDefect(defect, RgbImage.of(size[0], size[1], chw), Mask.of(size[0], size[1], mask));
            }
        }
        return dir;
    }

    /**
     * Writes a camera-sized category from a texture photograph (for example scikit-image's 512 x 512 gravel):
     * each image is a crop of the texture mirror-tiled to camera size, randomly flipped and brightness-jittered;
     * the defective images get a {@code scratch} (1.5-3.5 px wide), {@code pit} (small dark spots) or
     * {@code crack} (1-2 px) drawn at full resolution, with their masks at that resolution. Stains are left
     * out: at camera size they are hundreds of pixels wide, not the few-pixel defects this category is for.
     *
     * @param texture  a texture photograph, or a GIMP pattern ({@code .pat}, as Debian's gimp-data ships)
     * @param root     the dataset root (created)
     * @param category the category folder name
     * @return the category folder
     * @throws IOException when the texture cannot be read or a file cannot be written
     */
    public Path generateFromTexture(Path texture, Path root, String category) throws IOException {
        Path dir = root.resolve(category);
        if (Files.exists(dir)) {
            throw new IOException(dir + " already exists; remove it or write the category elsewhere");
        }
        RgbImage source = TextureFiles.read(texture);
        Random rng = new Random(settings.seed() * 31 + category.hashCode());
        MvtecCategory.Writer writer = MvtecCategory.create(dir);
        int n = 0;
        for (int i = 0; i < settings.trainImages(); i++) {
            writer.addTrainGood(surface(source, size(n++), rng));
        }
        for (int i = 0; i < settings.testGoodImages(); i++) {
            writer.addTestGood(surface(source, size(n++), rng));
        }
        BenchmarkDefect[] kinds = {BenchmarkDefect.SCRATCH, BenchmarkDefect.PIT, BenchmarkDefect.CRACK};
        for (int i = 0; i < settings.testImagesPerDefect() * kinds.length; i++) {
            BenchmarkDefect kind = kinds[i % kinds.length];
            RgbImage clean = surface(source, size(n++), rng);
            float[] chw = clean.chw();
            DefectPainter painter = new DefectPainter(clean.width(), clean.height(), chw);
            painter.paint(kind, rng);
            writer.addTestDefect(kind.folderName(), RgbImage.of(clean.width(), clean.height(), chw),
                    Mask.of(clean.width(), clean.height(), painter.mask()));
        }
        return dir;
    }

    /** A camera-sized surface: the texture mirror-tiled, cut at a random offset, flipped and jittered. */
    private static RgbImage surface(RgbImage texture, int[] size, Random rng) {
        int w = size[0];
        int h = size[1];
        int tw = texture.width();
        int th = texture.height();
        int ox = rng.nextInt(2 * tw);
        int oy = rng.nextInt(2 * th);
        boolean flipX = rng.nextBoolean();
        boolean flipY = rng.nextBoolean();
        double gain = 0.92 + 0.16 * rng.nextDouble();
        float[] src = texture.chw();
        float[] out = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            int sy = mirror((flipY ? h - 1 - y : y) + oy, th);
            for (int x = 0; x < w; x++) {
                int sx = mirror((flipX ? w - 1 - x : x) + ox, tw);
                for (int c = 0; c < 3; c++) {
                    out[c * w * h + y * w + x] = (float) Math.min(1, src[c * tw * th + sy * tw + sx] * gain);
                }
            }
        }
        return RgbImage.of(w, h, out);
    }

    private static int mirror(int i, int n) {
        return SurfaceDamagePainter.mirror(i, n);
    }

    private int[] size(int index) {
        return settings.sizes().get(index % settings.sizes().size());
    }

    /** A fine plain weave: threads about 3 px apart, slight per-image phase, gain and noise. */
    private static RgbImage weave(int[] size, Random rng) {
        int w = size[0];
        int h = size[1];
        double period = 3.0 + 0.2 * rng.nextDouble();
        double phaseX = rng.nextDouble() * period;
        double phaseY = rng.nextDouble() * period;
        double gain = 0.9 + 0.2 * rng.nextDouble();
        float[] chw = new float[3 * w * h];
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            double wy = Math.sin(2 * Math.PI * (y + phaseY) / period);
            for (int x = 0; x < w; x++) {
                double wx = Math.sin(2 * Math.PI * (x + phaseX) / period);
                boolean over = ((int) Math.floor((x + phaseX) / period) + (int) Math.floor((y + phaseY) / period)) % 2 == 0;
                double v = 0.5 + 0.18 * (over ? wx : wy) + 0.03 * rng.nextGaussian();
                v = Math.max(0, Math.min(1, v * gain));
                int i = y * w + x;
                chw[i] = (float) v;
                chw[plane + i] = (float) (v * 0.95);
                chw[2 * plane + i] = (float) (v * 0.85);
            }
        }
        return RgbImage.of(w, h, chw);
    }

    /** A bright curved line exactly 1 px wide (one pixel per column), 30-60 % of the width long. */
    private static void scratch(float[] chw, boolean[] mask, int w, int h, Random rng) {
        int plane = w * h;
        int length = (int) (w * (0.3 + 0.3 * rng.nextDouble()));
        int x0 = rng.nextInt(w - length);
        double y0 = h * (0.2 + 0.6 * rng.nextDouble());
        double bend = h * 0.05 * (rng.nextDouble() * 2 - 1);
        for (int k = 0; k < length; k++) {
            int x = x0 + k;
            double s = (double) k / length;
            int y = (int) Math.round(y0 + bend * Math.sin(Math.PI * s));
            if (y < 0 || y >= h) {
                continue;
            }
            int i = y * w + x;
            mask[i] = true;
            for (int c = 0; c < 3; c++) {
                chw[c * plane + i] = 0.98f;
            }
        }
    }

    /** Three to six dark 2 x 2 px pits. */
    private static void pits(float[] chw, boolean[] mask, int w, int h, Random rng) {
        int plane = w * h;
        int count = 3 + rng.nextInt(4);
        for (int p = 0; p < count; p++) {
            int x = 4 + rng.nextInt(w - 8);
            int y = 4 + rng.nextInt(h - 8);
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    int i = (y + dy) * w + x + dx;
                    mask[i] = true;
                    for (int c = 0; c < 3; c++) {
                        chw[c * plane + i] = 0.02f;
                    }
                }
            }
        }
    }
}
