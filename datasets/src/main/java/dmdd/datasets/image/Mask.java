package dmdd.datasets.image;

import java.util.Arrays;

/**
 * An immutable binary defect mask: {@code true} marks a defective pixel. Row-major.
 */
public final class Mask {
    private final int width;
    private final int height;
    private final boolean[] pixels;

    private Mask(int width, int height, boolean[] pixels) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /**
     * Wraps row-major pixels (copied).
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param pixels width x height flags, {@code true} = defect
     * @return the mask
     */
    public static Mask of(int width, int height, boolean[] pixels) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels.length);
        }
        return new Mask(width, height, pixels.clone());
    }

    /**
     * An all-normal mask.
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @return a mask with no defect pixel
     */
    public static Mask empty(int width, int height) {
        return new Mask(width, height, new boolean[width * height]);
    }

    /**
     * Thresholds a row-major float map.
     *
     * @param width     width in pixels
     * @param height    height in pixels
     * @param values    width x height values
     * @param threshold values strictly above it become defect pixels
     * @return the mask
     */
    public static Mask threshold(int width, int height, float[] values, float threshold) {
        boolean[] p = new boolean[width * height];
        for (int i = 0; i < p.length; i++) {
            p[i] = values[i] > threshold;
        }
        return new Mask(width, height, p);
    }

    /**
     * @param x column
     * @param y row
     * @return whether the pixel is a defect
     */
    public boolean get(int x, int y) {
        return pixels[y * width + x];
    }

    /** @return row-major floats, 1 for defect pixels and 0 elsewhere */
    public float[] toFloats() {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = pixels[i] ? 1f : 0f;
        }
        return f;
    }

    /** @return a copy of the row-major flags */
    public boolean[] toBooleans() {
        return pixels.clone();
    }

    /**
     * Nearest-neighbour resize, so a mask stays binary.
     *
     * @param newWidth  target width
     * @param newHeight target height
     * @return the resized mask, or this mask when the size is unchanged
     */
    public Mask resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        boolean[] out = new boolean[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min(height - 1, (int) ((y + 0.5) * height / newHeight));
            for (int x = 0; x < newWidth; x++) {
                int sx = Math.min(width - 1, (int) ((x + 0.5) * width / newWidth));
                out[y * newWidth + x] = pixels[sy * width + sx];
            }
        }
        return new Mask(newWidth, newHeight, out);
    }

    /**
     * A full-size mask after edits made on a smaller copy of it (an image shown smaller than it is): the pixels whose
     * shown pixel the edits changed take its new value, every other pixel keeps the full-size mask's own, so detail
     * finer than the shown copy (a 1 px scratch) survives edits elsewhere. The shown pixel of a full-size pixel is
     * the one {@link #resize} samples.
     *
     * @param fullBefore  the full-size mask before the edits, or {@code null} for none (resized if its size differs)
     * @param shownBefore the shown copy before the edits
     * @param shownAfter  the shown copy after them (the same size)
     * @param width       the full width
     * @param height      the full height
     * @return the full-size mask after the edits
     */
    public static Mask editedAtFullSize(Mask fullBefore, Mask shownBefore, Mask shownAfter, int width, int height) {
        if (shownBefore.width != shownAfter.width || shownBefore.height != shownAfter.height) {
            throw new IllegalArgumentException("the shown masks differ in size");
        }
        Mask full = fullBefore == null ? empty(width, height) : fullBefore.resize(width, height);
        int w = shownAfter.width;
        int h = shownAfter.height;
        boolean[] out = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / height));
            for (int x = 0; x < width; x++) {
                int s = sy * w + Math.min(w - 1, (int) ((x + 0.5) * w / width));
                out[y * width + x] = shownBefore.pixels[s] != shownAfter.pixels[s] ? shownAfter.pixels[s]
                        : full.pixels[y * width + x];
            }
        }
        return new Mask(width, height, out);
    }

    /** @return the number of defect pixels */
    public int area() {
        int n = 0;
        for (boolean p : pixels) {
            if (p) {
                n++;
            }
        }
        return n;
    }

    /** @return whether no pixel is a defect */
    public boolean isEmpty() {
        return area() == 0;
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask other
                && width == other.width && height == other.height && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Mask[" + width + "x" + height + ", area=" + area() + "]";
    }
}
