package dmdd.datasets.bench;

import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Builds a development benchmark category in the MVTec AD layout from one real texture photograph
 * (for example scikit-image's brick, grass and gravel, 512 x 512):
 * <ul>
 *   <li>{@code train/good}: crops from the LEFT part of the texture ({@code x < trainFraction * width}),
 *       randomly flipped, rotated by a few degrees and brightness-jittered;</li>
 *   <li>{@code test/good} and {@code test/<defect>}: crops from the held-out RIGHT part, jittered the same
 *       way, with one kind of {@link BenchmarkDefect} painted on the defect images and its mask in
 *       {@code ground_truth/<defect>/NNN_mask.png}.</li>
 * </ul>
 * Train and test never share a source pixel, so a model cannot score well by memorising crops. With
 * {@link Split#QUADRANTS} the parts are diagonal quadrants instead (train: top left and bottom right; test:
 * top right and bottom left), so that both splits see every side of a photograph whose look drifts across
 * it (brick's perspective, grass's leaves), as MVTec's train and test images come from one process.
 * Deterministic: the same texture, settings and seed give byte-identical files. Written through
 * {@link MvtecCategory#create(Path)}, so the names are exactly MVTec's.
 */
public final class DefectBenchmarkGenerator {
    /**
     * @param texture a texture file
     * @return the category it makes: its file name without the extension
     */
    public static String categoryName(Path texture) {
        return texture.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }


    /**
     * @param cropSize           side of the square crops, in source pixels
     * @param imageSize          side of the written images (crops are resized when it differs)
     * @param trainImages        normal training images
     * @param testGoodImages     normal test images
     * @param testImagesPerDefect defective test images per {@link BenchmarkDefect}
     * @param trainFraction      share of the texture's width reserved for training crops
     * @param maxRotationDegrees rotation jitter, plus or minus
     * @param brightnessJitter   gain jitter, plus or minus (offset jitter is a third of it)
     * @param seed               random seed
     * @param split              which parts of the texture the train and the test crops come from
     */
    public record Settings(int cropSize, int imageSize, int trainImages, int testGoodImages,
                           int testImagesPerDefect, double trainFraction, double maxRotationDegrees,
                           double brightnessJitter, long seed, Split split) {

        /** Settings with the {@link Split#LEFT_RIGHT} split (the README benchmarks'). */
        public Settings(int cropSize, int imageSize, int trainImages, int testGoodImages, int testImagesPerDefect,
                        double trainFraction, double maxRotationDegrees, double brightnessJitter, long seed) {
            this(cropSize, imageSize, trainImages, testGoodImages, testImagesPerDefect, trainFraction,
                    maxRotationDegrees, brightnessJitter, seed, Split.LEFT_RIGHT);
        }

        /**
         * @param split how the texture is divided between train and test
         * @return these settings with another split
         */
        public Settings withSplit(Split split) {
            return new Settings(cropSize, imageSize, trainImages, testGoodImages, testImagesPerDefect, trainFraction,
                    maxRotationDegrees, brightnessJitter, seed, split);
        }

        /** Validates the settings. */
        public Settings {
            if (cropSize < 16 || imageSize < 16) {
                throw new IllegalArgumentException("cropSize and imageSize must be at least 16");
            }
            if (trainImages < 1 || testGoodImages < 1 || testImagesPerDefect < 1) {
                throw new IllegalArgumentException("every split needs at least one image");
            }
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("trainFraction must be in (0, 1): " + trainFraction);
            }
            if (maxRotationDegrees < 0 || maxRotationDegrees > 30 || brightnessJitter < 0 || brightnessJitter > 0.5) {
                throw new IllegalArgumentException("rotation jitter must be in [0, 30] degrees, brightness in [0, 0.5]");
            }
            java.util.Objects.requireNonNull(split, "split");
        }

        /**
         * The defaults used for the README table: 192 px crops written at 192 px, 160 training images,
         * 20 good and 15 x 4 defective test images, 55 % of the width for training, +-8 degrees, +-10 %.
         *
         * @return the default settings
         */
        public static Settings defaults() {
            return new Settings(192, 192, 160, 20, 15, 0.55, 8, 0.10, 2024);
        }
    }

    /** How a texture is divided between training and test crops (they never share a source pixel). */
    public enum Split {
        /** Training crops from the left {@code trainFraction} of the width, test crops from the rest. */
        LEFT_RIGHT,
        /** Training crops from the top-left and bottom-right quadrants, test crops from the other two. */
        QUADRANTS
    }

    /** A rectangle of the source, columns [x0, x1) and rows [y0, y1). */
    private record Part(int x0, int x1, int y0, int y1) {
    }

    private final Settings settings;

    /**
     * @param settings the settings
     */
    public DefectBenchmarkGenerator(Settings settings) {
        this.settings = settings;
    }

    /**
     * Writes {@code root/category/...}.
     *
     * @param texture  a texture photograph (any format {@link ImageReader} reads)
     * @param root     the benchmark root (created)
     * @param category the category folder name
     * @return the category folder
     * @throws IOException when the texture cannot be read, is too small, or a file cannot be written
     */
    public Path generate(Path texture, Path root, String category) throws IOException {
        RgbImage source = new ImageReader(Integer.MAX_VALUE).read(texture);
        return write(texture, source, root, category, BenchmarkDefect.values().length, (clean, i, rng) -> {
            BenchmarkDefect defect = BenchmarkDefect.values()[i];
            float[] chw = clean.chw();
            DefectPainter painter = new DefectPainter(clean.width(), clean.height(), chw);
            painter.paint(defect, rng);
            return new Painted(defect.folderName(), RgbImage.of(clean.width(), clean.height(), chw),
                    Mask.of(clean.width(), clean.height(), painter.mask()));
        });
    }

    /**
     * Writes the second development benchmark: one category per texture (photographs or GIMP patterns,
     * mirror-tiled to at least 512 px so that small patterns leave room for a held-out part), split and
     * jittered exactly as {@link #generate}, with {@link SurfaceDamage} defects instead of
     * {@link BenchmarkDefect}s: a generator nobody tuned the training synthesis or the settings on.
     * Foreign patches are cut from the other textures of the same call (from the texture itself when
     * there is only one).
     *
     * @param textures the textures, one category each, named after the file
     * @param root     the benchmark root (created)
     * @return the category folders
     * @throws IOException when a texture cannot be read, is too small, or a file cannot be written
     */
    public java.util.List<Path> generateDamage(java.util.List<Path> textures, Path root) throws IOException {
        java.util.List<RgbImage> sources = new java.util.ArrayList<>();
        for (Path t : textures) {
            sources.add(TextureFiles.mirrorTiled(TextureFiles.read(t), 512));
        }
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (int t = 0; t < textures.size(); t++) {
            java.util.List<RgbImage> foreign = new java.util.ArrayList<>(sources);
            if (foreign.size() > 1) {
                foreign.remove(t);
            }
            String category = categoryName(textures.get(t));
            written.add(write(textures.get(t), sources.get(t), root, category, SurfaceDamage.values().length,
                    (clean, i, rng) -> {
                        SurfaceDamage damage = SurfaceDamage.values()[i];
                        float[] chw = clean.chw();
                        SurfaceDamagePainter painter = new SurfaceDamagePainter(clean.width(), clean.height(), chw,
                                foreign);
                        painter.paint(damage, rng);
                        return new Painted(damage.folderName(), RgbImage.of(clean.width(), clean.height(), chw),
                                Mask.of(clean.width(), clean.height(), painter.mask()));
                    }));
        }
        return written;
    }

    /** A defective test image, its defect folder name and mask. */
    private record Painted(String folder, RgbImage image, Mask mask) {
    }

    /** Paints the {@code kind}-th defect kind onto a clean crop. */
    @FunctionalInterface
    private interface Painter {
        Painted paint(RgbImage clean, int kind, Random rng);
    }

    private Path write(Path texture, RgbImage source, Path root, String category, int kinds, Painter painter)
            throws IOException {
        int w = source.width();
        int h = source.height();
        int testWidth = w - (int) Math.round(settings.trainFraction() * w);
        int needed = (int) Math.ceil(settings.cropSize() * rotationGrowth()) + 2;
        boolean quadrants = settings.split() == Split.QUADRANTS;
        boolean fits = quadrants ? Math.min(w / 2, h / 2) >= needed : testWidth >= needed && h >= needed;
        if (!fits) {
            throw new IOException(texture + ": " + w + "x" + h
                    + " is too small for " + settings.cropSize() + " px crops with a held-out test part");
        }
        Path dir = root.resolve(category);
        if (Files.exists(dir)) {
            throw new IOException(dir + " already exists; remove it or write the benchmark elsewhere");
        }
        Random rng = new Random(settings.seed() * 31 + category.hashCode());
        int trainEnd = w - testWidth;
        Part[] trainParts = quadrants
                ? new Part[] {new Part(0, w / 2, 0, h / 2), new Part(w / 2, w, h / 2, h)}
                : new Part[] {new Part(0, trainEnd, 0, h)};
        Part[] testParts = quadrants
                ? new Part[] {new Part(w / 2, w, 0, h / 2), new Part(0, w / 2, h / 2, h)}
                : new Part[] {new Part(trainEnd, w, 0, h)};
        MvtecCategory.Writer writer = MvtecCategory.create(dir);
        for (int i = 0; i < settings.trainImages(); i++) {
            writer.addTrainGood(crop(source, trainParts, rng));
        }
        for (int i = 0; i < settings.testGoodImages(); i++) {
            writer.addTestGood(crop(source, testParts, rng));
        }
        for (int kind = 0; kind < kinds; kind++) {
            for (int i = 0; i < settings.testImagesPerDefect(); i++) {
                Painted p = painter.paint(crop(source, testParts, rng), kind, rng);
                writer.addTestDefect(p.folder(), p.image(), p.mask());
            }
        }
        return dir;
    }

    private double rotationGrowth() {
        double a = Math.toRadians(settings.maxRotationDegrees());
        return Math.cos(a) + Math.sin(a);
    }

    /** A jittered crop whose rotated footprint lies inside one of the parts (drawn at random when several). */
    private RgbImage crop(RgbImage source, Part[] parts, Random rng) {
        // one part: no draw, so the left/right split gives the same files as before the quadrant split existed
        Part part = parts.length == 1 ? parts[0] : parts[rng.nextInt(parts.length)];
        int x0 = part.x0();
        int x1 = part.x1();
        int size = settings.cropSize();
        double angle = Math.toRadians((rng.nextDouble() * 2 - 1) * settings.maxRotationDegrees());
        double reach = size / 2.0 * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle))) + 1;
        double cx = x0 + reach + rng.nextDouble() * Math.max(0, x1 - x0 - 2 * reach);
        double cy = part.y0() + reach + rng.nextDouble() * Math.max(0, part.y1() - part.y0() - 2 * reach);
        boolean flipX = rng.nextBoolean();
        boolean flipY = rng.nextBoolean();
        double gain = 1 + (rng.nextDouble() * 2 - 1) * settings.brightnessJitter();
        double offset = (rng.nextDouble() * 2 - 1) * settings.brightnessJitter() / 3;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] src = source.chw();
        int sw = source.width();
        int sh = source.height();
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (flipX ? size - 1 - x : x) + 0.5 - size / 2.0;
                double v = (flipY ? size - 1 - y : y) + 0.5 - size / 2.0;
                double sx = cx + u * cos - v * sin - 0.5;
                double sy = cy + u * sin + v * cos - 0.5;
                int ix = (int) Math.floor(sx);
                int iy = (int) Math.floor(sy);
                double fx = sx - ix;
                double fy = sy - iy;
                int ax = Math.max(0, Math.min(sw - 1, ix));
                int bx = Math.max(0, Math.min(sw - 1, ix + 1));
                int ay = Math.max(0, Math.min(sh - 1, iy));
                int by = Math.max(0, Math.min(sh - 1, iy + 1));
                for (int c = 0; c < 3; c++) {
                    int p = c * sw * sh;
                    double val = (1 - fy) * ((1 - fx) * src[p + ay * sw + ax] + fx * src[p + ay * sw + bx])
                            + fy * ((1 - fx) * src[p + by * sw + ax] + fx * src[p + by * sw + bx]);
                    out[c * size * size + y * size + x] = (float) Math.max(0, Math.min(1, val * gain + offset));
                }
            }
        }
        RgbImage img = RgbImage.of(size, size, out);
        return settings.imageSize() == size ? img : img.resize(settings.imageSize(), settings.imageSize());
    }
}
