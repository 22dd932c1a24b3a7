package dmdd.datasets.sample;

import java.util.Random;

/**
 * Paints the sample dataset's defects onto a fabric image in place and returns their masks.
 * Every mask pixel is changed by many 8-bit levels (darkened to the backing, blended towards a
 * light colour, or tinted by at least 40 %) and no other pixel is touched, so the mask is exact
 * even after the image is saved as an 8-bit PNG ({@code SampleDatasetTest} checks this).
 */
final class Defects {
    private Defects() {
    }

    /** An irregular hole: dark backing inside, frayed half-dark rim. */
    static boolean[] hole(float[] chw, int size, Random random) {
        // At least 5 pixels, so that the tiny test sample still shows its holes clearly.
        float radius = Math.max(5f, size * (0.04f + 0.04f * random.nextFloat()));
        Blob blob = Blob.random(size, radius, random, 0.25f);
        float[] backing = {0.06f, 0.05f, 0.07f};
        int plane = size * size;
        boolean[] mask = new boolean[plane];
        float rim = Math.max(1.5f, size / 128f);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float inside = blob.depth(x + 0.5f, y + 0.5f);
                if (inside <= 0) {
                    continue;
                }
                int p = y * size + x;
                mask[p] = true;
                float darkness = inside < rim ? 0.55f : 0.95f;
                float noise = 0.02f * (float) random.nextGaussian();
                for (int c = 0; c < 3; c++) {
                    float base = chw[c * plane + p];
                    chw[c * plane + p] = Fabric.clamp(base * (1 - darkness) + backing[c] * darkness + noise);
                }
            }
        }
        return mask;
    }

    /** A bright snag line: a quadratic curve 2-3 pixels wide, slightly varying along its length. */
    static boolean[] scratch(float[] chw, int size, Random random) {
        float length = size * (0.3f + 0.3f * random.nextFloat());
        float margin = size * 0.12f;
        float x0 = margin + random.nextFloat() * (size - 2 * margin);
        float y0 = margin + random.nextFloat() * (size - 2 * margin);
        double dir = random.nextDouble() * 2 * Math.PI;
        float x2 = clampTo(x0 + (float) Math.cos(dir) * length, 2, size - 3);
        float y2 = clampTo(y0 + (float) Math.sin(dir) * length, 2, size - 3);
        float bend = (random.nextFloat() - 0.5f) * length * 0.5f;
        float x1 = (x0 + x2) / 2 - (float) Math.sin(dir) * bend;
        float y1 = (y0 + y2) / 2 + (float) Math.cos(dir) * bend;
        float halfWidth = Math.max(1.0f, size / 170f);
        int steps = 200;
        float[] px = new float[steps + 1];
        float[] py = new float[steps + 1];
        for (int k = 0; k <= steps; k++) {
            float t = (float) k / steps;
            px[k] = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * x1 + t * t * x2;
            py[k] = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * y1 + t * t * y2;
        }
        int plane = size * size;
        boolean[] mask = new boolean[plane];
        float[] light = {0.93f, 0.91f, 0.86f};
        for (int k = 0; k <= steps; k++) {
            int xmin = Math.max(0, (int) Math.floor(px[k] - halfWidth - 1));
            int xmax = Math.min(size - 1, (int) Math.ceil(px[k] + halfWidth + 1));
            int ymin = Math.max(0, (int) Math.floor(py[k] - halfWidth - 1));
            int ymax = Math.min(size - 1, (int) Math.ceil(py[k] + halfWidth + 1));
            for (int y = ymin; y <= ymax; y++) {
                for (int x = xmin; x <= xmax; x++) {
                    float dx = x + 0.5f - px[k];
                    float dy = y + 0.5f - py[k];
                    if (dx * dx + dy * dy <= halfWidth * halfWidth) {
                        mask[y * size + x] = true;
                    }
                }
            }
        }
        for (int p = 0; p < plane; p++) {
            if (!mask[p]) {
                continue;
            }
            float strength = 0.75f + 0.15f * random.nextFloat();
            for (int c = 0; c < 3; c++) {
                float base = chw[c * plane + p];
                chw[c * plane + p] = Fabric.clamp(base * (1 - strength) + light[c] * strength);
            }
        }
        return mask;
    }

    /** A brownish stain with a darker tide line; the weave stays visible through it. */
    static boolean[] stain(float[] chw, int size, Random random) {
        float radius = Math.max(7f, size * (0.07f + 0.06f * random.nextFloat()));
        Blob blob = Blob.random(size, radius, random, 0.35f);
        float[] tint = {0.80f, 0.60f, 0.36f};
        float tide = Math.max(1.5f, size / 100f);
        int plane = size * size;
        boolean[] mask = new boolean[plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float inside = blob.depth(x + 0.5f, y + 0.5f);
                if (inside <= 0) {
                    continue;
                }
                int p = y * size + x;
                mask[p] = true;
                float strength = inside < tide ? 0.9f : 0.6f + 0.2f * Math.min(1f, inside / radius);
                for (int c = 0; c < 3; c++) {
                    float base = chw[c * plane + p];
                    chw[c * plane + p] = Fabric.clamp(base * (1 - strength + strength * tint[c]) - 0.03f * strength);
                }
            }
        }
        return mask;
    }

    private static float clampTo(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** A star-shaped blob: radius varying with the angle through a few random harmonics. */
    private record Blob(float cx, float cy, float radius, float[] amplitudes, float[] phases) {
        static Blob random(int size, float radius, Random random, float roughness) {
            float margin = radius * (1 + roughness) + 2;
            float cx = margin + random.nextFloat() * Math.max(1, size - 2 * margin);
            float cy = margin + random.nextFloat() * Math.max(1, size - 2 * margin);
            float[] amplitudes = new float[4];
            float[] phases = new float[4];
            for (int k = 0; k < 4; k++) {
                amplitudes[k] = roughness * random.nextFloat() / (k + 1);
                phases[k] = (float) (random.nextDouble() * 2 * Math.PI);
            }
            return new Blob(cx, cy, radius, amplitudes, phases);
        }

        /** How far inside the outline a point is, in pixels; 0 or less outside. */
        float depth(float x, float y) {
            float dx = x - cx;
            float dy = y - cy;
            float d = (float) Math.sqrt(dx * dx + dy * dy);
            double theta = Math.atan2(dy, dx);
            float r = radius;
            for (int k = 0; k < amplitudes.length; k++) {
                r += radius * amplitudes[k] * (float) Math.sin((k + 2) * theta + phases[k]);
            }
            return r - d;
        }
    }
}
