package dmdd.datasets.synthesis;

import dmdd.datasets.image.Mask;
import java.util.Random;

/**
 * Defect regions of the shapes Perlin blobs never take: thin curved scars (scratches, cracks, hairs)
 * and small spots (pits, dust). Sizes are in pixels of the network input, where a real scratch ends up
 * one to three pixels wide. Like {@link PerlinMask}, a region is restricted to an allowed area when one
 * is given.
 */
public final class ThinDefectMasks {
    private ThinDefectMasks() {
    }

    /**
     * A cubic Bezier curve 1-3 px wide across 20-70 % of the image's smaller side, sometimes with a
     * second, shorter branch.
     *
     * @param width   image width
     * @param height  image height
     * @param allowed where the region may lie, or {@code null} for anywhere
     * @param rng     the random source
     * @return the region (empty only when it misses the allowed area)
     */
    public static Mask scar(int width, int height, Mask allowed, Random rng) {
        boolean[] region = new boolean[width * height];
        double size = Math.min(width, height);
        double length = size * (0.2 + 0.5 * rng.nextDouble());
        double thickness = 1 + 2 * rng.nextDouble();
        double cx = width * (0.15 + 0.7 * rng.nextDouble());
        double cy = height * (0.15 + 0.7 * rng.nextDouble());
        double angle = rng.nextDouble() * Math.PI;
        curve(region, width, height, cx, cy, angle, length, thickness, rng);
        if (rng.nextDouble() < 0.3) {
            curve(region, width, height, cx, cy, angle + (rng.nextDouble() - 0.5) * 2, 0.4 * length, thickness, rng);
        }
        return restricted(region, width, height, allowed);
    }

    /**
     * One to four discs of 1-4 px radius.
     *
     * @param width   image width
     * @param height  image height
     * @param allowed where the region may lie, or {@code null} for anywhere
     * @param rng     the random source
     * @return the region (empty only when it misses the allowed area)
     */
    public static Mask spots(int width, int height, Mask allowed, Random rng) {
        boolean[] region = new boolean[width * height];
        int count = 1 + rng.nextInt(4);
        for (int s = 0; s < count; s++) {
            double r = 1 + 3 * rng.nextDouble();
            double cx = rng.nextDouble() * width;
            double cy = rng.nextDouble() * height;
            disc(region, width, height, cx, cy, r);
        }
        return restricted(region, width, height, allowed);
    }

    private static void curve(boolean[] region, int width, int height, double cx, double cy, double angle,
            double length, double thickness, Random rng) {
        double dx = Math.cos(angle) * length / 2;
        double dy = Math.sin(angle) * length / 2;
        double bend = (rng.nextDouble() - 0.5) * 0.8;
        double[] px = {cx - dx, cx - dx / 3 - dy * bend, cx + dx / 3 - dy * bend, cx + dx};
        double[] py = {cy - dy, cy - dy / 3 + dx * bend, cy + dy / 3 + dx * bend, cy + dy};
        int steps = (int) Math.ceil(length * 2);
        for (int i = 0; i <= steps; i++) {
            double t = (double) i / steps;
            double a = (1 - t) * (1 - t) * (1 - t);
            double b = 3 * (1 - t) * (1 - t) * t;
            double c = 3 * (1 - t) * t * t;
            double d = t * t * t;
            disc(region, width, height, a * px[0] + b * px[1] + c * px[2] + d * px[3],
                    a * py[0] + b * py[1] + c * py[2] + d * py[3], thickness / 2);
        }
    }

    /** Marks the pixels whose centres lie within {@code r} of (cx, cy); at least the nearest pixel. */
    private static void disc(boolean[] region, int width, int height, double cx, double cy, double r) {
        int x0 = (int) Math.floor(cx - r);
        int x1 = (int) Math.ceil(cx + r);
        int y0 = (int) Math.floor(cy - r);
        int y1 = (int) Math.ceil(cy + r);
        double reach = Math.max(r, 0.5);
        for (int y = Math.max(0, y0); y <= Math.min(height - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(width - 1, x1); x++) {
                if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= reach) {
                    region[y * width + x] = true;
                }
            }
        }
    }

    private static Mask restricted(boolean[] region, int width, int height, Mask allowed) {
        if (allowed != null) {
            boolean[] ok = allowed.toBooleans();
            for (int i = 0; i < region.length; i++) {
                region[i] &= ok[i];
            }
        }
        return Mask.of(width, height, region);
    }
}
