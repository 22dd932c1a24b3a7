package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PastedPatchesTest {
    private static final int SIDE = 96;

    /** Every pixel different: a horizontal ramp in red, a vertical one in green, a checker in blue. */
    private static RgbImage ramps() {
        int plane = SIDE * SIDE;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                chw[y * SIDE + x] = x / (float) SIDE;
                chw[plane + y * SIDE + x] = y / (float) SIDE;
                chw[2 * plane + y * SIDE + x] = ((x / 8 + y / 8) % 2) * 0.5f + 0.25f;
            }
        }
        return RgbImage.of(SIDE, SIDE, chw);
    }

    @Test
    void aPatchIsARectangleOfTheImageItselfMovedElsewhereAndTheMaskIsExactlyWhatChanged() {
        RgbImage normal = ramps();
        float[] x = normal.chw();
        for (int seed = 0; seed < 20; seed++) {
            TrainingPair pair = PastedPatches.paste(normal, null, 1f / 255, new Random(seed));
            Mask mask = pair.mask();
            float[] out = pair.augmented().chw();
            int[] box = boundingBox(mask);
            int bw = box[2] - box[0] + 1;
            int bh = box[3] - box[1] + 1;
            assertThat(bw).as("seed %d: width", seed).isBetween(SIDE / 10 - 1, SIDE * 35 / 100 + 1);
            assertThat(bh).as("seed %d: height", seed).isBetween(SIDE / 10 - 1, SIDE * 35 / 100 + 1);
            // a rectangle: (almost) every pixel of its box moved, since the patch comes from elsewhere on a ramp
            assertThat(mask.area()).as("seed %d", seed).isGreaterThan(bw * bh * 9 / 10);
            boolean[] masked = mask.toBooleans();
            int wrong = 0;
            for (int i = 0; i < SIDE * SIDE; i++) {
                boolean moved = false;
                boolean touched = false;
                for (int c = 0; c < 3; c++) {
                    moved |= Math.abs(out[c * SIDE * SIDE + i] - x[c * SIDE * SIDE + i]) >= 1f / 255;
                    touched |= out[c * SIDE * SIDE + i] != x[c * SIDE * SIDE + i];
                }
                if (masked[i] != moved || (!moved && touched)) {
                    wrong++;
                }
            }
            assertThat(wrong).as("seed %d: pixels whose mask is not what changed", seed).isZero();
            // the patch's colours are the image's own (scaled by at most 15 %), no foreign texture
            int centre = ((box[1] + box[3]) / 2) * SIDE + (box[0] + box[2]) / 2;
            float blue = out[2 * SIDE * SIDE + centre];
            assertThat(blue).isBetween(0.25f * 0.85f, 0.75f * 1.15f);
        }
    }

    @Test
    void theSameSeedGivesTheSamePatchAndTheAllowedAreaIsKept() {
        RgbImage normal = ramps();
        boolean[] left = new boolean[SIDE * SIDE];
        for (int i = 0; i < left.length; i++) {
            left[i] = i % SIDE < SIDE / 2;
        }
        Mask allowed = Mask.of(SIDE, SIDE, left);
        for (int seed = 0; seed < 10; seed++) {
            TrainingPair a = PastedPatches.paste(normal, allowed, 1f / 255, new Random(seed));
            TrainingPair b = PastedPatches.paste(normal, allowed, 1f / 255, new Random(seed));
            assertThat(a.augmented()).isEqualTo(b.augmented());
            boolean[] m = a.mask().toBooleans();
            float[] out = a.augmented().chw();
            float[] x = normal.chw();
            int outside = 0;
            for (int i = 0; i < m.length; i++) {
                if (!left[i] && (m[i] || out[i] != x[i] || out[SIDE * SIDE + i] != x[SIDE * SIDE + i]
                        || out[2 * SIDE * SIDE + i] != x[2 * SIDE * SIDE + i])) {
                    outside++;
                }
            }
            assertThat(outside).as("seed %d: pixels changed outside the allowed area", seed).isZero();
            assertThat(a.mask().isEmpty()).isFalse();
        }
    }

    @Test
    void theSynthesiserPastesPatchesInTheirShare() {
        RgbImage normal = ramps();
        DefectSynthesizer patchesOnly = new DefectSynthesizer(
                SynthesisSettings.DEFAULTS.withCleanFraction(0).withShapeShares(0, 0, 1),
                new ProceduralTextureSource());
        for (int seed = 0; seed < 10; seed++) {
            TrainingPair pair = patchesOnly.synthesize(normal, new Random(seed));
            Random afterTheChoices = new Random(seed);
            afterTheChoices.nextDouble(); // clean or not
            afterTheChoices.nextDouble(); // which kind
            assertThat(pair.augmented())
                    .isEqualTo(PastedPatches.paste(normal, null, 1f / 255, afterTheChoices).augmented());
        }
    }

    private static int[] boundingBox(Mask mask) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.get(x, y)) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        assertThat(x1).as("a non-empty mask").isGreaterThanOrEqualTo(0);
        return new int[] {x0, y0, x1, y1};
    }
}
