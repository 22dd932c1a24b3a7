package dmdd.datasets.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * An immutable RGB image as the networks see it: three channel planes (channel-major, "CHW") of
 * floats in [0, 1]. Every image in the project passes through this type, whatever file it came from.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final float[] chw;

    private RgbImage(int width, int height, float[] chw) {
        this.width = width;
        this.height = height;
        this.chw = chw;
    }

    /**
     * Wraps channel-major pixel data (copied).
     *
     * @param width  width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param chw    3 x height x width values in [0, 1]
     * @return the image
     */
    public static RgbImage of(int width, int height, float[] chw) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (chw.length != 3 * width * height) {
            throw new IllegalArgumentException(
                    "expected " + 3 * width * height + " values for " + width + "x" + height + ", got " + chw.length);
        }
        return new RgbImage(width, height, chw.clone());
    }

    /**
     * Converts a decoded image (any type Java2D understands) to RGB floats; alpha is dropped
     * by compositing over black, gray becomes three equal channels.
     *
     * @param image the decoded image
     * @return the image
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel)) {
            return fromGrayRaster(image);
        }
        if (isPlainSrgb8(image.getColorModel(), image.getRaster())) {
            return fromSrgb8Raster(image);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            float a = ((p >>> 24) & 0xff) / 255f;
            data[i] = ((p >> 16) & 0xff) / 255f * a;
            data[plane + i] = ((p >> 8) & 0xff) / 255f * a;
            data[2 * plane + i] = (p & 0xff) / 255f * a;
        }
        return new RgbImage(w, h, data);
    }

    /**
     * Whether an image holds plain 8-bit sRGB samples (with or without straight alpha), whose raster samples are
     * what {@link BufferedImage#getRGB} gives, read a row at a time instead of through the colour model per pixel
     * (ten times as fast on a camera picture).
     */
    private static boolean isPlainSrgb8(ColorModel cm, Raster raster) {
        if (!(cm instanceof java.awt.image.ComponentColorModel || cm instanceof java.awt.image.DirectColorModel)
                || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()
                || cm.getNumColorComponents() != 3 || raster.getNumBands() != cm.getNumComponents()) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /** The same values as the {@code getRGB} path, to the bit, for {@link #isPlainSrgb8} images. */
    private static RgbImage fromSrgb8Raster(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        boolean alpha = image.getColorModel().hasAlpha();
        int plane = w * h;
        float[] data = new float[3 * plane];
        int[] row = new int[w];
        float[] alphaRow = new float[w];
        Arrays.fill(alphaRow, 1f);
        for (int y = 0; y < h; y++) {
            if (alpha) {
                raster.getSamples(0, y, w, 1, 3, row);
                for (int x = 0; x < w; x++) {
                    alphaRow[x] = row[x] / 255f;
                }
            }
            for (int c = 0; c < 3; c++) {
                raster.getSamples(0, y, w, 1, c, row);
                int offset = c * plane + y * w;
                for (int x = 0; x < w; x++) {
                    data[offset + x] = row[x] / 255f * alphaRow[x];
                }
            }
        }
        return new RgbImage(w, h, data);
    }

    /**
     * Gray images: Java2D treats their samples as linear light and brightens them in
     * {@code getRGB} (128 becomes 188), but gray files store gamma-encoded values like RGB ones,
     * so the raw samples are used, scaled by their bit depth.
     */
    private static RgbImage fromGrayRaster(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        boolean floating = raster.getTransferType() == DataBuffer.TYPE_FLOAT
                || raster.getTransferType() == DataBuffer.TYPE_DOUBLE;
        float grayMax = floating ? 1f : (1L << cm.getComponentSize(0)) - 1f;
        boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
        float alphaMax = alpha && !floating ? (1L << cm.getComponentSize(1)) - 1f : 1f;
        int plane = w * h;
        float[] data = new float[3 * plane];
        float[] gray = new float[w];
        float[] alphaRow = new float[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, gray);
            if (alpha) {
                raster.getSamples(0, y, w, 1, 1, alphaRow);
            }
            for (int x = 0; x < w; x++) {
                float v = clamp01(gray[x] / grayMax);
                if (alpha) {
                    v *= clamp01(alphaRow[x] / alphaMax);
                }
                int i = y * w + x;
                data[i] = v;
                data[plane + i] = v;
                data[2 * plane + i] = v;
            }
        }
        return new RgbImage(w, h, data);
    }

    /**
     * Renders the image as an 8-bit RGB {@link BufferedImage}.
     *
     * @return a new image of type {@code TYPE_INT_RGB}
     */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (to8(chw[i]) << 16) | (to8(chw[plane + i]) << 8) | to8(chw[2 * plane + i]);
        }
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    /**
     * Resizes with the project's one resampling ({@link FloatPlanes#resize}): area-averaging where an axis
     * shrinks (anti-aliased), bilinear with pixel centres aligned where it grows.
     *
     * @param newWidth  target width
     * @param newHeight target height
     * @return the resized image, or this image when the size is unchanged
     */
    public RgbImage resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        return new RgbImage(newWidth, newHeight, FloatPlanes.resizePlanes(chw, width, height, 3, newWidth, newHeight));
    }

    /**
     * A rectangular part of this image.
     *
     * @param x0 left column
     * @param y0 top row
     * @param w  width
     * @param h  height
     * @return the crop (a copy)
     * @throws IllegalArgumentException when the rectangle leaves the image
     */
    public RgbImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x0 + ", " + y0 + ") leaves the "
                    + width + "x" + height + " image");
        }
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(chw, c * width * height + (y0 + y) * width + x0, out, c * w * h + y * w, w);
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * One channel value.
     *
     * @param channel 0 red, 1 green, 2 blue
     * @param x       column
     * @param y       row
     * @return the value in [0, 1]
     */
    public float get(int channel, int x, int y) {
        return chw[channel * width * height + y * width + x];
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /** @return a copy of the pixel data, 3 x height x width, channel-major */
    public float[] chw() {
        return chw.clone();
    }

    /**
     * Copies the pixel data into a caller's buffer (batch assembly without extra copies).
     *
     * @param dest   destination array
     * @param offset where the first value goes
     */
    public void copyTo(float[] dest, int offset) {
        System.arraycopy(chw, 0, dest, offset, chw.length);
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static int to8(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other
                && width == other.width && height == other.height && Arrays.equals(chw, other.chw);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(chw);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
