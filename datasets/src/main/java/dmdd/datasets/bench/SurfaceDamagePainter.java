package dmdd.datasets.bench;

import dmdd.datasets.image.RgbImage;
import java.util.List;
import java.util.Random;

/**
 * Paints one {@link SurfaceDamage} onto a float CHW image in place and returns its ground-truth mask:
 * the region an annotator would outline (for soft-edged damage, where its effect reaches half strength).
 */
final class SurfaceDamagePainter {
    private final int w;
    private final int h;
    private final float[] chw;
    private final boolean[] mask;
    private final List<RgbImage> foreignTextures;

    /**
     * @param width           image width
     * @param height          image height
     * @param chw             the image, painted in place
     * @param foreignTextures textures for {@link SurfaceDamage#FOREIGN_PATCH} (other categories' sources)
     */
    SurfaceDamagePainter(int width, int height, float[] chw, List<RgbImage> foreignTextures) {
        this.w = width;
        this.h = height;
        this.chw = chw;
        this.mask = new boolean[width * height];
        this.foreignTextures = foreignTextures;
    }

    boolean[] mask() {
        return mask;
    }

    void paint(SurfaceDamage kind, Random rng) {
        switch (kind) {
            case FOREIGN_PATCH -> foreignPatch(rng);
            case MISSING_MATERIAL -> missingMaterial(rng);
            case FOLD -> fold(rng);
            case CONTAMINATION -> contamination(rng);
            case GLARE -> glare(rng);
            default -> throw new IllegalArgumentException("unknown damage " + kind);
        }
    }

    /** An irregular outline: a radius modulated by three random harmonics of the angle. */
    private static final class Blob {
        final double cx;
        final double cy;
        final double radius;
        final double[] amp = new double[3];
        final double[] phase = new double[3];
        final int[] freq = {2, 3, 5};

        Blob(double cx, double cy, double radius, double roughness, Random rng) {
            this.cx = cx;
            this.cy = cy;
            this.radius = radius;
            for (int j = 0; j < 3; j++) {
                amp[j] = roughness * rng.nextDouble() / (j + 1);
                phase[j] = rng.nextDouble() * 2 * Math.PI;
            }
        }

        /** @return distance from the outline in pixels, negative inside */
        double signedDistance(double x, double y) {
            double dx = x - cx;
            double dy = y - cy;
            double phi = Math.atan2(dy, dx);
            double edge = radius;
            for (int j = 0; j < 3; j++) {
                edge *= 1 + amp[j] * Math.sin(freq[j] * phi + phase[j]);
            }
            return Math.hypot(dx, dy) - edge;
        }
    }

    private Blob blob(double minRadius, double maxRadius, double roughness, Random rng) {
        double r = minRadius + rng.nextDouble() * (maxRadius - minRadius);
        double margin = Math.min(r, Math.min(w, h) / 3.0);
        double cx = margin + rng.nextDouble() * (w - 2 * margin);
        double cy = margin + rng.nextDouble() * (h - 2 * margin);
        return new Blob(cx, cy, r, roughness, rng);
    }

    /** A crop of another texture (rotated a quarter turn at random, rescaled) pasted with a feathered edge. */
    private void foreignPatch(Random rng) {
        RgbImage foreign = foreignTextures.get(rng.nextInt(foreignTextures.size()));
        double scale = 0.6 + 0.8 * rng.nextDouble();
        int ox = rng.nextInt(foreign.width());
        int oy = rng.nextInt(foreign.height());
        boolean swap = rng.nextBoolean();
        Blob b = blob(0.08 * Math.min(w, h), 0.2 * Math.min(w, h), 0.35, rng);
        double feather = 1.5 + 2 * rng.nextDouble();
        float[] src = foreign.chw();
        int fw = foreign.width();
        int fh = foreign.height();
        paintFeathered(b, feather, 1, (x, y, c) -> {
            int sx = mirror((int) Math.floor((swap ? y : x) / scale) + ox, fw);
            int sy = mirror((int) Math.floor((swap ? x : y) / scale) + oy, fh);
            return src[c * fw * fh + sy * fw + sx];
        });
    }

    /** The value a feathered blob pulls a pixel's channel towards. */
    @FunctionalInterface
    private interface Fill {
        double at(int x, int y, int c);
    }

    /**
     * Blends a blob into the image with an edge that fades over {@code feather} pixels, at most {@code opacity}
     * strong; the mask is where it reaches half strength.
     */
    private void paintFeathered(Blob b, double feather, double opacity, Fill fill) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = b.signedDistance(x + 0.5, y + 0.5);
                double a = smooth(0.5 - d / (2 * feather));
                if (a <= 0) {
                    continue;
                }
                int i = y * w + x;
                for (int c = 0; c < 3; c++) {
                    int k = c * w * h + i;
                    chw[k] = (float) (chw[k] + opacity * a * (fill.at(x, y, c) - chw[k]));
                }
                mask[i] |= a >= 0.5;
            }
        }
    }

    /** A hole: dark, faintly noisy background inside; outside the rim, a shadow on one side and light on the other. */
    private void missingMaterial(Random rng) {
        Blob b = blob(0.04 * Math.min(w, h), 0.12 * Math.min(w, h), 0.5, rng);
        double background = 0.03 + 0.1 * rng.nextDouble();
        double light = rng.nextDouble() * 2 * Math.PI;
        double lx = Math.cos(light);
        double ly = Math.sin(light);
        double rim = 2 + 2 * rng.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = b.signedDistance(x + 0.5, y + 0.5);
                if (d > rim + 1) {
                    continue;
                }
                int i = y * w + x;
                double inside = smooth(0.5 - d);
                double facing = ((x + 0.5 - b.cx) * lx + (y + 0.5 - b.cy) * ly) / Math.max(1, Math.hypot(x + 0.5 - b.cx,
                        y + 0.5 - b.cy));
                double rimWeight = d > 0 ? 1 - d / (rim + 1) : 0;
                double noise = 0.03 * (rng.nextDouble() - 0.5);
                for (int c = 0; c < 3; c++) {
                    int k = c * w * h + i;
                    double v = chw[k] * (1 + 0.35 * facing * rimWeight);
                    chw[k] = (float) clamp(v + inside * (background + noise - v));
                }
                mask[i] |= inside >= 0.5;
            }
        }
    }

    /** A crease along a gentle curve: lit on one side, shaded on the other, a dark ridge in the middle. */
    private void fold(Random rng) {
        double angle = rng.nextDouble() * Math.PI;
        double nx = -Math.sin(angle);
        double ny = Math.cos(angle);
        double cx = w * (0.3 + 0.4 * rng.nextDouble());
        double cy = h * (0.3 + 0.4 * rng.nextDouble());
        double halfLength = Math.min(w, h) * (0.25 + 0.25 * rng.nextDouble());
        double bend = (rng.nextDouble() - 0.5) * 0.004;
        double width = 3 + 5 * rng.nextDouble();
        double strength = 0.25 + 0.2 * rng.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double along = dx * ny - dy * nx;
                double across = dx * nx + dy * ny - bend * along * along;
                double endFade = smooth((halfLength - Math.abs(along)) / 6);
                if (endFade <= 0 || Math.abs(across) > 3 * width) {
                    continue;
                }
                double profile = Math.exp(-0.5 * (across / width) * (across / width));
                // lit side brighter, shaded side darker, and a dark ridge where the material bends
                double shade = Math.signum(across) * strength * profile
                        - 0.5 * strength * Math.exp(-0.5 * across * across);
                int i = y * w + x;
                for (int c = 0; c < 3; c++) {
                    int k = c * w * h + i;
                    chw[k] = (float) clamp(chw[k] * (1 + endFade * shade));
                }
                mask[i] |= endFade >= 0.5 && Math.abs(across) <= 1.2 * width;
            }
        }
    }

    /** One to four soft spots of oil (dark brown) or dust (light grey), partly transparent. */
    private void contamination(Random rng) {
        int spots = 1 + rng.nextInt(4);
        boolean oil = rng.nextBoolean();
        double[] colour = oil ? new double[] {0.18, 0.12, 0.05} : new double[] {0.85, 0.84, 0.8};
        for (int s = 0; s < spots; s++) {
            Blob b = blob(0.02 * Math.min(w, h), 0.07 * Math.min(w, h), 0.4, rng);
            double opacity = 0.45 + 0.35 * rng.nextDouble();
            paintFeathered(b, 0.25 * b.radius, opacity, (x, y, c) -> colour[c]);
        }
    }

    /** A bright ellipse with a Gaussian falloff that pulls the texture towards white. */
    private void glare(Random rng) {
        double sx = Math.min(w, h) * (0.05 + 0.12 * rng.nextDouble());
        double sy = sx * (0.3 + 0.7 * rng.nextDouble());
        double angle = rng.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double cx = w * (0.2 + 0.6 * rng.nextDouble());
        double cy = h * (0.2 + 0.6 * rng.nextDouble());
        double peak = 0.55 + 0.35 * rng.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) / sx;
                double v = (-dx * sin + dy * cos) / sy;
                double g = Math.exp(-0.5 * (u * u + v * v));
                if (g < 0.01) {
                    continue;
                }
                double a = peak * g;
                int i = y * w + x;
                for (int c = 0; c < 3; c++) {
                    int k = c * w * h + i;
                    chw[k] = (float) (chw[k] + a * (0.98 - chw[k]));
                }
                mask[i] |= g >= 0.25; // where the wash-out is plainly visible
            }
        }
    }

    private static double smooth(double t) {
        double s = clamp(t);
        return s * s * (3 - 2 * s);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** Index into a mirror-tiled axis of the given length (0 1 2 ... n-1 n-1 ... 1 0 0 1 ...). */
    static int mirror(int i, int n) {
        int period = 2 * n;
        int k = Math.floorMod(i, period);
        return k < n ? k : period - 1 - k;
    }
}
