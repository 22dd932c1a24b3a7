package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Thin scars and small spots: the shapes real scratches and pits take, which Perlin blobs never do. */
class ThinDefectMasksTest {
    @Test
    void aScarIsLongButNowhereWiderThanThreePixels() {
        for (int seed = 0; seed < 20; seed++) {
            Mask scar = ThinDefectMasks.scar(128, 128, null, new Random(seed));
            assertThat(scar.area()).as("seed " + seed).isGreaterThan(20);
            assertThat(containsSquare(scar, 4)).as("a 4 x 4 block inside the scar of seed " + seed).isFalse();
            assertThat(extent(scar)).as("seed " + seed).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void spotsAreSmall() {
        for (int seed = 0; seed < 20; seed++) {
            Mask spots = ThinDefectMasks.spots(128, 128, null, new Random(seed));
            assertThat(spots.area()).as("seed " + seed).isBetween(1, 4 * 64);
        }
    }

    @Test
    void regionsStayInsideTheAllowedArea() {
        boolean[] left = new boolean[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 32; x++) {
                left[y * 64 + x] = true;
            }
        }
        Mask allowed = Mask.of(64, 64, left);
        for (int seed = 0; seed < 10; seed++) {
            Mask scar = ThinDefectMasks.scar(64, 64, allowed, new Random(seed));
            for (int y = 0; y < 64; y++) {
                for (int x = 32; x < 64; x++) {
                    assertThat(scar.get(x, y)).isFalse();
                }
            }
        }
    }

    @Test
    void theSynthesiserDrawsScarsInTheirShare() {
        float[] half = new float[3 * 96 * 96];
        java.util.Arrays.fill(half, 0.5f);
        RgbImage gray = RgbImage.of(96, 96, half);
        DefectSynthesizer scarsOnly = new DefectSynthesizer(SynthesisSettings.DEFAULTS.withCleanFraction(0)
                .withShapeShares(1, 0, 0), new ProceduralTextureSource());
        DefectSynthesizer blobsOnly = new DefectSynthesizer(SynthesisSettings.DEFAULTS.withCleanFraction(0),
                new ProceduralTextureSource());
        int thickBlobs = 0;
        for (int seed = 0; seed < 10; seed++) {
            Mask scar = scarsOnly.synthesize(gray, new Random(seed)).mask();
            assertThat(scar.isEmpty()).isFalse();
            assertThat(containsSquare(scar, 4)).isFalse();
            if (containsSquare(blobsOnly.synthesize(gray, new Random(seed)).mask(), 4)) {
                thickBlobs++;
            }
        }
        assertThat(thickBlobs).as("Perlin regions are blobs").isGreaterThanOrEqualTo(8);
    }

    private static boolean containsSquare(Mask m, int side) {
        for (int y = 0; y + side <= m.height(); y++) {
            for (int x = 0; x + side <= m.width(); x++) {
                boolean full = true;
                for (int dy = 0; dy < side && full; dy++) {
                    for (int dx = 0; dx < side && full; dx++) {
                        full = m.get(x + dx, y + dy);
                    }
                }
                if (full) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int extent(Mask m) {
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(x, y)) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return Math.max(maxX - minX, maxY - minY);
    }
}
