package dmdd.datasets.bench;

import java.util.Random;

/**
 * Paints one benchmark defect onto a float CHW image in place and returns its ground-truth mask.
 * Coverage is anti-aliased for the look; the mask is the region a human annotator would outline,
 * which for thin lines is one pixel wider on each side than the visible stroke (as in MVTec AD, whose
 * masks generously cover scratches and cracks).
 */
final class DefectPainter {
    private final int w;
    private final int h;
    private final float[] chw;
    private final boolean[] mask;

    DefectPainter(int width, int height, float[] chw) {
        this.w = width;
        this.h = height;
        this.chw = chw;
        this.mask = new boolean[width * height];
    }

    boolean[] mask() {
        return mask;
    }

    void paint(BenchmarkDefect kind, Random rng) {
        switch (kind) {
            case SCRATCH -> scratch(rng);
            case PIT -> pits(rng);
            case STAIN -> stain(rng);
            case CRACK -> crack(rng);
            default -> throw new IllegalArgumentException("unknown defect " + kind);
        }
    }

    /** A cubic Bezier curve across a good part of the image, lightened towards white. */
    private void scratch(Random rng) {
        double size = Math.min(w, h);
        double len = size * (0.3 + 0.4 * rng.nextDouble());
        double angle = rng.nextDouble() * Math.PI;
        double cx = w * (0.3 + 0.4 * rng.nextDouble());
        double cy = h * (0.3 + 0.4 * rng.nextDouble());
        double dx = Math.cos(angle) * len / 2;
        double dy = Math.sin(angle) * len / 2;
        double bend = len * (rng.nextDouble() - 0.5) * 0.6;
        double[] px = {cx - dx, cx - dx / 3 - dy * bend / len, cx + dx / 3 - dy * bend / len, cx + dx};
        double[] py = {cy - dy, cy - dy / 3 + dx * bend / len, cy + dy / 3 + dx * bend / len, cy + dy};
        int n = 80;
        double[] xs = new double[n + 1];
        double[] ys = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double t = (double) i / n;
            double a = (1 - t) * (1 - t) * (1 - t);
            double b = 3 * (1 - t) * (1 - t) * t;
            double c = 3 * (1 - t) * t * t;
            double d = t * t * t;
            xs[i] = a * px[0] + b * px[1] + c * px[2] + d * px[3];
            ys[i] = a * py[0] + b * py[1] + c * py[2] + d * py[3];
        }
        double width = 1.5 + 2 * rng.nextDouble();
        float[] coverage = new float[w * h];
        stroke(xs, ys, width, coverage);
        float[] annotated = new float[w * h];
        stroke(xs, ys, width + 2, annotated);
        double strength = 0.4 + 0.25 * rng.nextDouble();
        for (int i = 0; i < coverage.length; i++) {
            double a = coverage[i] * strength;
            for (int c = 0; c < 3; c++) {
                int k = c * w * h + i;
                chw[k] = (float) (chw[k] + a * (0.95 - chw[k]));
            }
            mask[i] |= annotated[i] >= 0.5f;
        }
    }

    /** 1-3 dark round pits, each with a small bright highlight on its upper-left rim. */
    private void pits(Random rng) {
        int count = 1 + rng.nextInt(3);
        for (int p = 0; p < count; p++) {
            double r = 3 + 5 * rng.nextDouble();
            double cx = r + 2 + rng.nextDouble() * (w - 2 * r - 4);
            double cy = r + 2 + rng.nextDouble() * (h - 2 * r - 4);
            double hx = cx - 0.4 * r;
            double hy = cy - 0.4 * r;
            double hr = Math.max(0.9, 0.3 * r);
            int x0 = (int) Math.floor(cx - r - 2);
            int x1 = (int) Math.ceil(cx + r + 2);
            int y0 = (int) Math.floor(cy - r - 2);
            int y1 = (int) Math.ceil(cy + r + 2);
            for (int y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++) {
                for (int x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
                    double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                    double inside = clamp(r + 0.5 - d);
                    if (inside <= 0) {
                        continue;
                    }
                    // Darker towards the centre: a shallow bowl in shadow.
                    double depth = 0.75 + 0.2 * (1 - d / r);
                    double highlight = clamp(hr + 0.5 - Math.hypot(x + 0.5 - hx, y + 0.5 - hy));
                    int i = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        int k = c * w * h + i;
                        double dark = chw[k] * (1 - depth);
                        double v = dark + highlight * (0.92 - dark);
                        chw[k] = (float) (chw[k] + inside * (v - chw[k]));
                    }
                    mask[i] |= inside >= 0.5;
                }
            }
        }
    }

    /** A soft irregular blotch, tinted and slightly darkened, its edge fading over a third of its radius. */
    private void stain(Random rng) {
        double radius = Math.min(w, h) * (0.06 + 0.1 * rng.nextDouble());
        double cx = radius + rng.nextDouble() * (w - 2 * radius);
        double cy = radius + rng.nextDouble() * (h - 2 * radius);
        double[] amp = {0.2 * rng.nextDouble(), 0.15 * rng.nextDouble(), 0.1 * rng.nextDouble()};
        double[] phase = {rng.nextDouble() * 6.283, rng.nextDouble() * 6.283, rng.nextDouble() * 6.283};
        int[] freq = {2 + rng.nextInt(2), 3 + rng.nextInt(2), 5 + rng.nextInt(3)};
        double[][] tints = {{1.0, 0.78, 0.5}, {0.75, 0.95, 0.6}, {0.6, 0.75, 1.0}};
        double[] tint = tints[rng.nextInt(tints.length)];
        double darken = 0.7 + 0.2 * rng.nextDouble();
        double opacity = 0.7 + 0.3 * rng.nextDouble();
        double feather = 0.35;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double phi = Math.atan2(dy, dx);
                double edge = radius;
                for (int j = 0; j < 3; j++) {
                    edge *= 1 + amp[j] * Math.sin(freq[j] * phi + phase[j]);
                }
                double rel = Math.hypot(dx, dy) / edge;
                if (rel >= 1 + feather) {
                    continue;
                }
                double s = clamp((1 + feather - rel) / (2 * feather)); // 1 inside, 0.5 at the edge
                double a = opacity * s * s * (3 - 2 * s);
                int i = y * w + x;
                double lum = (chw[i] + chw[w * h + i] + chw[2 * w * h + i]) / 3;
                for (int c = 0; c < 3; c++) {
                    int k = c * w * h + i;
                    // Stains flatten the texture a little (the liquid fills the pores) and tint it.
                    double v = (0.6 * chw[k] + 0.4 * lum) * darken * tint[c];
                    chw[k] = (float) (chw[k] + a * (v - chw[k]));
                }
                mask[i] |= s >= 0.5;
            }
        }
    }

    /** A dark random-walk line with up to two branches. */
    private void crack(Random rng) {
        double width = 1.0 + 1.2 * rng.nextDouble();
        float[] coverage = new float[w * h];
        float[] annotated = new float[w * h];
        double x = w * (0.2 + 0.6 * rng.nextDouble());
        double y = h * (0.2 + 0.6 * rng.nextDouble());
        double dir = rng.nextDouble() * 2 * Math.PI;
        int steps = (int) (Math.min(w, h) * (0.2 + 0.3 * rng.nextDouble()) / 2.5);
        walk(x, y, dir, steps, width, rng, coverage, annotated, 2);
        double strength = 0.7 + 0.25 * rng.nextDouble();
        for (int i = 0; i < coverage.length; i++) {
            double a = coverage[i] * strength;
            for (int c = 0; c < 3; c++) {
                int k = c * w * h + i;
                chw[k] = (float) (chw[k] * (1 - a) + a * 0.04);
            }
            mask[i] |= annotated[i] >= 0.5f;
        }
    }

    private void walk(double x, double y, double dir, int steps, double width, Random rng, float[] coverage,
                      float[] annotated, int branchesLeft) {
        double[] xs = new double[steps + 1];
        double[] ys = new double[steps + 1];
        xs[0] = x;
        ys[0] = y;
        int branches = branchesLeft;
        for (int i = 1; i <= steps; i++) {
            dir += (rng.nextDouble() - 0.5) * 0.9;
            xs[i] = Math.max(1, Math.min(w - 2, xs[i - 1] + 2.5 * Math.cos(dir)));
            ys[i] = Math.max(1, Math.min(h - 2, ys[i - 1] + 2.5 * Math.sin(dir)));
            if (branches > 0 && i > 3 && rng.nextDouble() < 0.04) {
                branches--;
                double side = rng.nextBoolean() ? 1 : -1;
                walk(xs[i], ys[i], dir + side * (0.5 + 0.6 * rng.nextDouble()), Math.max(3, (steps - i) / 2),
                        Math.max(0.8, width * 0.7), rng, coverage, annotated, 0);
            }
        }
        stroke(xs, ys, width, coverage);
        stroke(xs, ys, width + 2, annotated);
    }

    /** Anti-aliased polyline: coverage = clamp(width/2 + 0.5 - distance), maximum over segments. */
    private void stroke(double[] xs, double[] ys, double width, float[] coverage) {
        double half = width / 2;
        for (int s = 0; s + 1 < xs.length; s++) {
            double ax = xs[s];
            double ay = ys[s];
            double bx = xs[s + 1];
            double by = ys[s + 1];
            int x0 = (int) Math.max(0, Math.floor(Math.min(ax, bx) - half - 1));
            int x1 = (int) Math.min(w - 1, Math.ceil(Math.max(ax, bx) + half + 1));
            int y0 = (int) Math.max(0, Math.floor(Math.min(ay, by) - half - 1));
            int y1 = (int) Math.min(h - 1, Math.ceil(Math.max(ay, by) + half + 1));
            double vx = bx - ax;
            double vy = by - ay;
            double len2 = vx * vx + vy * vy;
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double px = x + 0.5 - ax;
                    double py = y + 0.5 - ay;
                    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (px * vx + py * vy) / len2));
                    double d = Math.hypot(px - t * vx, py - t * vy);
                    float c = (float) clamp(half + 0.5 - d);
                    int i = y * w + x;
                    if (c > coverage[i]) {
                        coverage[i] = c;
                    }
                }
            }
        }
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
