package dmdd.datasets.annotation;

import dmdd.datasets.image.Mask;
import java.util.Arrays;

/**
 * A mutable binary mask with the painting operations of the annotation tools: a round brush (paint or
 * erase) stamped along a stroke, and polygon fill. Coordinates are image pixels; a pixel belongs to a
 * shape when its centre {@code (x + 0.5, y + 0.5)} lies inside. Not thread-safe.
 */
public final class EditableMask {
    private final int width;
    private final int height;
    private final boolean[] pixels;

    /**
     * @param width  width in pixels (at least 1)
     * @param height height in pixels (at least 1)
     */
    public EditableMask(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = new boolean[width * height];
    }

    /**
     * @param mask the starting content
     * @return an editable copy
     */
    public static EditableMask of(Mask mask) {
        EditableMask m = new EditableMask(mask.width(), mask.height());
        System.arraycopy(mask.toBooleans(), 0, m.pixels, 0, m.pixels.length);
        return m;
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /**
     * @param x column
     * @param y row
     * @return whether the pixel is marked defective
     */
    public boolean get(int x, int y) {
        return pixels[y * width + x];
    }

    /** @return an immutable snapshot */
    public Mask toMask() {
        return Mask.of(width, height, pixels);
    }

    /** @return a copy of the row-major flags */
    public boolean[] toBooleans() {
        return pixels.clone();
    }

    /** @return the number of marked pixels */
    public int area() {
        int n = 0;
        for (boolean p : pixels) {
            if (p) {
                n++;
            }
        }
        return n;
    }

    /**
     * Replaces the whole content.
     *
     * @param mask the new content; resized (nearest) when its size differs
     */
    public void set(Mask mask) {
        System.arraycopy(mask.resize(width, height).toBooleans(), 0, pixels, 0, pixels.length);
    }

    /** Unmarks every pixel. */
    public void clear() {
        Arrays.fill(pixels, false);
    }

    /**
     * Flips the given pixels (how a recorded change is undone and redone).
     *
     * @param indices row-major pixel indices
     */
    public void flip(int[] indices) {
        for (int i : indices) {
            pixels[i] = !pixels[i];
        }
    }

    /**
     * Stamps a round brush.
     *
     * @param cx     centre column (image pixels, may be fractional)
     * @param cy     centre row
     * @param radius radius in pixels (a radius below 0.5 still covers the pixel under the centre)
     * @param value  {@code true} paints defect, {@code false} erases
     */
    public void stamp(double cx, double cy, double radius, boolean value) {
        double r = Math.max(radius, 0.5);
        int x0 = Math.max(0, (int) Math.floor(cx - r));
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + r));
        int y0 = Math.max(0, (int) Math.floor(cy - r));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + r));
        double r2 = r * r;
        boolean hit = false;
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                if (dx * dx + dy * dy <= r2) {
                    pixels[y * width + x] = value;
                    hit = true;
                }
            }
        }
        // A tiny brush between pixel centres still marks the pixel it is on.
        if (!hit) {
            int x = (int) Math.floor(cx);
            int y = (int) Math.floor(cy);
            if (x >= 0 && y >= 0 && x < width && y < height) {
                pixels[y * width + x] = value;
            }
        }
    }

    /**
     * Stamps the brush along a segment, closely enough that a fast mouse leaves no gaps.
     *
     * @param x0     start column
     * @param y0     start row
     * @param x1     end column
     * @param y1     end row
     * @param radius brush radius
     * @param value  {@code true} paints, {@code false} erases
     */
    public void line(double x0, double y0, double x1, double y1, double radius, boolean value) {
        double length = Math.hypot(x1 - x0, y1 - y0);
        double step = Math.max(0.5, Math.max(radius, 0.5) / 2);
        int n = (int) Math.ceil(length / step);
        for (int i = 0; i <= n; i++) {
            double t = n == 0 ? 0 : (double) i / n;
            stamp(x0 + t * (x1 - x0), y0 + t * (y1 - y0), radius, value);
        }
    }

    /**
     * Fills a polygon (even-odd rule on pixel centres, so self-intersecting outlines behave as in
     * drawing programs).
     *
     * @param xs    vertex columns
     * @param ys    vertex rows (same length, at least 3 vertices)
     * @param value {@code true} paints, {@code false} erases
     */
    public void fillPolygon(double[] xs, double[] ys, boolean value) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException(xs.length + " x coordinates but " + ys.length + " y coordinates");
        }
        int n = xs.length;
        if (n < 3) {
            return;
        }
        double[] crossings = new double[n];
        for (int y = 0; y < height; y++) {
            double sy = y + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double yi = ys[i];
                double yj = ys[j];
                // Half-open rule: a vertex exactly on the scan line is counted once.
                if ((yi <= sy) != (yj <= sy)) {
                    crossings[count++] = xs[i] + (sy - yi) / (yj - yi) * (xs[j] - xs[i]);
                }
            }
            Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                // Pixels whose centre x + 0.5 lies in [left, right).
                int from = Math.max(0, (int) Math.ceil(crossings[k] - 0.5));
                int to = Math.min(width - 1, (int) Math.ceil(crossings[k + 1] - 0.5) - 1);
                for (int x = from; x <= to; x++) {
                    pixels[y * width + x] = value;
                }
            }
        }
    }

    /**
     * The pixels that differ from an earlier state.
     *
     * @param before flags of the same size
     * @return row-major indices of the pixels that changed
     */
    public int[] differences(boolean[] before) {
        if (before.length != pixels.length) {
            throw new IllegalArgumentException("size mismatch: " + before.length + " vs " + pixels.length);
        }
        int count = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (before[i] != pixels[i]) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (before[i] != pixels[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
