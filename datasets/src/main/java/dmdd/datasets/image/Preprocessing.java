package dmdd.datasets.image;

import java.nio.file.Path;

/**
 * The one way an image becomes a network input, used by training, threshold calibration, {@code eval},
 * {@code infer}, {@code bench}, {@code export} and every screen of the workstation, so that the same file
 * gets the same input, and so the same score, everywhere.
 *
 * <p>Two steps, both fixed by the input side alone:
 * <ol>
 *   <li>decode: the file is read with {@link ImageReader} bounded to {@link #decodeSide()}
 *       ({@value #DECODE_FACTOR} x the input side, at least {@value #MIN_DECODE_SIDE} px). A larger file is
 *       averaged over integer blocks of pixels while decoding, stopping above that bound, so a camera image is
 *       decoded at (nearly) full resolution and no thin defect is point-sampled away; the rest is the
 *       area-averaging resize;</li>
 *   <li>resize: one anti-aliased, area-averaging resize ({@link FloatPlanes#resize}) to the square
 *       network input.</li>
 * </ol>
 * The decoded picture is kept for display and for mapping the maps back onto the image.
 *
 * <p>With an inspection scale (camera-resolution tiling), the picture is decoded up to
 * {@value #TILED_DECODE_SIDE} px and brought to {@link #atScale} (original pixels per network pixel) with
 * the same area-averaging resize; the model then slides tiles over it instead of shrinking it whole.
 *
 * <p>{@link #zoomed Zoomed}, the whole image is shrunk as above, but to a square larger than the network input,
 * and tiles of the input's side slide over that square: a model trained on crops of that size sees a thin defect
 * at the larger size, and only ever inputs of the size it was trained on.
 * Immutable and thread-safe.
 */
public final class Preprocessing {
    /** The decode bound is this many times the input side. */
    public static final int DECODE_FACTOR = 8;
    /** The smallest decode bound, so that small models still see camera images well above their input. */
    public static final int MIN_DECODE_SIDE = 1024;
    /** The decode bound when tiling: camera images are read at full resolution up to this side. */
    public static final int TILED_DECODE_SIDE = 16384;

    private final int side;
    private final double scale;
    /** The side of the square a zoomed whole image is brought to (0: not zoomed). */
    private final int zoomedSide;
    private final ImageReader reader;

    /**
     * Whole-image preprocessing.
     *
     * @param side the network input side (square inputs), at least 1
     */
    public Preprocessing(int side) {
        this(side, 0);
    }

    /**
     * @param side  the network input side (square inputs, the tile side when tiling), at least 1
     * @param scale 0 for whole images; otherwise original pixels per network pixel for tiling
     */
    public Preprocessing(int side, double scale) {
        this(side, scale, 0);
    }

    /**
     * Zoomed whole-image preprocessing: each image is resized whole to a {@code zoomedSide} square, and
     * {@code side}-square tiles slide over it.
     *
     * @param side       the network input side (the tile side), at least 1
     * @param zoomedSide the side of the square the whole image is brought to, at least {@code side}
     * @return the preprocessing ({@link #isTiled()}: tiles are cut from the zoomed image)
     */
    public static Preprocessing zoomed(int side, int zoomedSide) {
        if (zoomedSide < side) {
            throw new IllegalArgumentException("the zoomed side " + zoomedSide + " is below the input side " + side);
        }
        return zoomedSide == side ? new Preprocessing(side) : new Preprocessing(side, 0, zoomedSide);
    }

    private Preprocessing(int side, double scale, int zoomedSide) {
        if (side < 1) {
            throw new IllegalArgumentException("the input side must be at least 1, got " + side);
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the inspection scale must be 0 or positive, got " + scale);
        }
        this.side = side;
        this.scale = scale;
        this.zoomedSide = zoomedSide;
        this.reader = new ImageReader(scale > 0 ? TILED_DECODE_SIDE : decodeSide(Math.max(side, zoomedSide)));
    }

    /**
     * @return whether the model slides tiles over the picture {@link #atScale} (at an inspection scale, or over
     *         the zoomed whole image) rather than taking the whole image as one input
     */
    public boolean isTiled() {
        return scale > 0 || zoomedSide > 0;
    }

    /** @return the inspection scale (0 for whole images) */
    public double scale() {
        return scale;
    }

    /**
     * The picture at the inspection scale, which tiles are cut from (never smaller than one tile).
     *
     * @param picture a picture as {@link #read} decodes it
     * @return the picture resized by {@code 1 / scale}; zoomed, the whole picture at the zoomed side; for whole-image
     *         preprocessing, the network input
     */
    public RgbImage atScale(RgbImage picture) {
        if (zoomedSide > 0) {
            return picture.resize(zoomedSide, zoomedSide);
        }
        if (!isTiled()) {
            return input(picture);
        }
        int w = Math.max(side, (int) Math.round(picture.width() / scale));
        int h = Math.max(side, (int) Math.round(picture.height() / scale));
        return picture.resize(w, h);
    }

    /**
     * @param side a network input side
     * @return the longest side an image is decoded at for that input
     */
    public static int decodeSide(int side) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max((long) MIN_DECODE_SIDE, (long) DECODE_FACTOR * side));
    }

    /** @return the network input side */
    public int side() {
        return side;
    }

    /** @return the longest side of the decoded pictures */
    public int decodeSide() {
        return reader.maxSide();
    }

    /**
     * Reads a file into its picture and its network input.
     *
     * @param file an image file
     * @return the prepared image
     * @throws UnreadableImageException naming the file when it cannot be read
     */
    public PreparedImage read(Path file) throws UnreadableImageException {
        ImageReader.Sized read = reader.readSized(file);
        RgbImage picture = read.image();
        return new PreparedImage(file, picture, input(picture), read.originalWidth(), read.originalHeight());
    }

    /**
     * @return a loader for training: the network inputs of whole-image models (what training keeps in
     *         memory), the decoded pictures when tiling (training cuts tiles at the scale from them)
     */
    public ImageLoader networkInputs() {
        return networkInputs(warning -> { });
    }

    /**
     * {@link #networkInputs()}, telling which images train poorly ({@link #sizeWarning}) without refusing them.
     *
     * @param warnings receives one line per such image, naming the file
     * @return the loader
     */
    public ImageLoader networkInputs(java.util.function.Consumer<String> warnings) {
        return file -> {
            PreparedImage prepared = read(file);
            String warning = sizeWarning(prepared.originalWidth(), prepared.originalHeight());
            if (warning != null) {
                warnings.accept(file + ": " + warning);
            }
            return isTiled() ? prepared.picture() : prepared.input();
        };
    }

    /**
     * Why an image of this size makes a poor normal sample, or {@code null}: a whole image far smaller than the
     * input (enlarged, it teaches the model blur) or far from square (squeezed into the square input, its texture
     * is distorted), or, when tiling, one smaller than a tile at the scale (stretched to one) or one larger than
     * {@link #TILED_DECODE_SIDE} (read shrunk, so inspected at another scale than the model's).
     *
     * @param width  the image's width in pixels
     * @param height its height
     * @return the reason in a user's words, or {@code null} when the size is fine
     */
    public String sizeWarning(int width, int height) {
        if (scale > 0) {
            double tile = side * scale;
            int longer = Math.max(width, height);
            if (longer > TILED_DECODE_SIDE) {
                // read shrunk to the decode bound, so its tiles cover more of the part than the model learnt from
                return String.format(java.util.Locale.ROOT, "is %d x %d px, larger than the %d px a camera picture "
                        + "is read at: it is shrunk and inspected at %.3g image pixels per model pixel instead of "
                        + "the model's %s", width, height, TILED_DECODE_SIDE, scale * longer / TILED_DECODE_SIDE,
                        scale);
            }
            return width < tile || height < tile ? String.format(java.util.Locale.ROOT,
                    "is %d x %d px, smaller than one %d px tile at scale %s (%.0f px): it is stretched to a tile",
                    width, height, side, scale, tile) : null;
        }
        int target = Math.max(side, zoomedSide); // what the whole image is resized to
        int longer = Math.max(width, height);
        int shorter = Math.max(1, Math.min(width, height));
        if (2 * longer < target) {
            return "is " + width + " x " + height + " px, under half the " + target + " px "
                    + (zoomedSide > 0 ? "square it is zoomed to" : "input") + ": it is enlarged "
                    + Math.round((double) target / longer) + " times";
        }
        if (longer > 4 * shorter) {
            return "is " + width + " x " + height + " px: squeezed into the square input, its texture is distorted "
                    + Math.round((double) longer / shorter) + " times";
        }
        return null;
    }

    /**
     * Prepares an image already in memory as {@link #read} prepares a file (for images that never were
     * files: the sample generator, tests).
     *
     * @param image an image of any size
     * @return the prepared image (no file)
     */
    public PreparedImage prepare(RgbImage image) {
        RgbImage picture = picture(image);
        return new PreparedImage(null, picture, input(picture), image.width(), image.height());
    }

    /**
     * The picture of an image already in memory, as {@link #read} would decode a file with its pixels.
     *
     * @param image an image of any size
     * @return the image reduced to the decode bound (or itself when within it)
     */
    public RgbImage picture(RgbImage image) {
        return ImageReader.fit(image, decodeSide());
    }

    /**
     * The network input of a decoded picture.
     *
     * @param picture a picture as {@link #read} decodes it
     * @return the square input, {@code side x side}
     */
    public RgbImage input(RgbImage picture) {
        return picture.resize(side, side);
    }

    @Override
    public String toString() {
        return "Preprocessing[side=" + side + ", scale=" + scale + (zoomedSide > 0 ? ", zoomedSide=" + zoomedSide : "")
                + ", decodeSide=" + decodeSide() + "]";
    }
}
