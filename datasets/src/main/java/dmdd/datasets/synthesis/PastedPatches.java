package dmdd.datasets.synthesis;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import java.util.Random;

/**
 * Pasted-patch defects after CutPaste (Li et al., CVPR 2021) and NSA (Schlüter et al., ECCV 2022): a rectangle of
 * the normal image itself, cut at one place, maybe mirrored, resized and its brightness scaled, and pasted at
 * another place with soft edges. What it imitates is material of the right look in the wrong place (a fold, a
 * misplaced or missing piece, a seam): the colours are the image's own, only the texture's continuity breaks, which
 * a network trained on foreign textures alone can learn to ignore. The content never comes from a texture source, so
 * this recipe is independent of the generators that make the development benchmarks' defects. On natural stone and
 * brick it taught the networks that natural seams are defects (README, development benchmark), so its share is 0 by
 * default.
 *
 * <p>The patch covers 10-35 % of each side and shows the source 0.7-1.4 times as large (a pasted piece of the
 * same texture at its own scale is invisible but at its seams); its brightness is scaled by 0.85-1.15 and its edges
 * ramp from the image to the patch over 1-4 px. The mask is exactly the changed pixels, as
 * {@link DefectSynthesizer}'s contract says.
 */
public final class PastedPatches {
    private static final int PLACEMENT_ATTEMPTS = 20;

    private PastedPatches() {
    }

    /**
     * Makes one pasted-patch pair.
     *
     * @param normal    the normal image
     * @param allowed   where the defect may lie (same size as the image), or {@code null} for anywhere
     * @param minChange a pixel that moves by less than this in every channel is left as it was and out of the mask
     * @param rng       the random source
     * @return the pair; its mask is empty only when nothing changed (a flat image, or a patch outside the allowed area)
     */
    public static TrainingPair paste(RgbImage normal, Mask allowed, float minChange, Random rng) {
        int w = normal.width();
        int h = normal.height();
        int pw = side(w, rng);
        int ph = side(h, rng);
        double zoom = Math.exp(Math.log(0.7) + rng.nextDouble() * Math.log(2.0));
        double step = 1 / zoom; // source pixels per patch pixel
        int sw = Math.min(w, (int) Math.ceil(pw * step));
        int sh = Math.min(h, (int) Math.ceil(ph * step));
        step = Math.min(step, Math.min(sw / (double) pw, sh / (double) ph));
        int sx = rng.nextInt(w - sw + 1);
        int sy = rng.nextInt(h - sh + 1);
        int dx = 0;
        int dy = 0;
        boolean[] ok = allowed == null ? null : allowed.toBooleans();
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            dx = rng.nextInt(w - pw + 1);
            dy = rng.nextInt(h - ph + 1);
            // A patch put back almost where it came from would change too little to be a defect.
            boolean apart = Math.abs(dx - sx) >= pw / 2 || Math.abs(dy - sy) >= ph / 2 || Math.abs(zoom - 1) > 0.15;
            boolean inside = ok == null || ok[(dy + ph / 2) * w + dx + pw / 2];
            if (apart && inside) {
                break;
            }
        }
        boolean mirrorX = rng.nextBoolean();
        boolean mirrorY = rng.nextBoolean();
        float gain = (float) (0.85 + 0.3 * rng.nextDouble());
        double feather = Math.min(1 + 3 * rng.nextDouble(), Math.min(pw, ph) / 4.0);

        float[] x = normal.chw();
        float[] out = x.clone();
        int plane = w * h;
        boolean[] changed = new boolean[plane];
        for (int v = 0; v < ph; v++) {
            for (int u = 0; u < pw; u++) {
                int i = (dy + v) * w + dx + u;
                if (ok != null && !ok[i]) {
                    continue;
                }
                double edge = Math.min(Math.min(u + 0.5, pw - u - 0.5), Math.min(v + 0.5, ph - v - 0.5));
                float alpha = (float) Math.min(1, edge / feather);
                // bilinear sample of the source at the patch pixel's centre
                double fx = sx + ((mirrorX ? pw - 1 - u : u) + 0.5) * step - 0.5;
                double fy = sy + ((mirrorY ? ph - 1 - v : v) + 0.5) * step - 0.5;
                int x0 = Math.max(0, Math.min(w - 1, (int) Math.floor(fx)));
                int y0 = Math.max(0, Math.min(h - 1, (int) Math.floor(fy)));
                int x1 = Math.min(w - 1, x0 + 1);
                int y1 = Math.min(h - 1, y0 + 1);
                float ax = (float) Math.max(0, Math.min(1, fx - x0));
                float ay = (float) Math.max(0, Math.min(1, fy - y0));
                float maxChange = 0;
                for (int c = 0; c < 3; c++) {
                    int k = c * plane;
                    float top = x[k + y0 * w + x0] * (1 - ax) + x[k + y0 * w + x1] * ax;
                    float bottom = x[k + y1 * w + x0] * (1 - ax) + x[k + y1 * w + x1] * ax;
                    float patch = Math.min(1f, (top * (1 - ay) + bottom * ay) * gain);
                    float value = (1 - alpha) * x[k + i] + alpha * patch;
                    maxChange = Math.max(maxChange, Math.abs(value - x[k + i]));
                    out[k + i] = value;
                }
                if (maxChange >= minChange) {
                    changed[i] = true;
                } else {
                    for (int c = 0; c < 3; c++) {
                        out[c * plane + i] = x[c * plane + i];
                    }
                }
            }
        }
        return new TrainingPair(normal, RgbImage.of(w, h, out), Mask.of(w, h, changed));
    }

    /** A patch side of 10-35 % of the image's, at least 4 px (or the whole side of a tiny image). */
    private static int side(int length, Random rng) {
        int side = (int) Math.round(length * (0.10 + 0.25 * rng.nextDouble()));
        return Math.max(Math.min(4, length), Math.min(side, length));
    }
}
