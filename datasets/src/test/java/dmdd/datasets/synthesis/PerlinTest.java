package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.image.Mask;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerlinTest {
    @Test
    void noiseIsZeroOnLatticePointsBoundedAndSmooth() {
        PerlinNoise noise = new PerlinNoise(4, 3, new Random(1));
        for (int i = 0; i <= 4; i++) {
            for (int j = 0; j <= 3; j++) {
                assertThat(noise.at(i, j)).isEqualTo(0f, within(1e-6f));
            }
        }
        float max = 0;
        for (float u = 0; u <= 4; u += 0.01f) {
            for (float v = 0; v <= 3; v += 0.05f) {
                float n = noise.at(u, v);
                assertThat(n).isBetween(-1f, 1f);
                assertThat(Math.abs(noise.at(u + 0.01f, v) - n)).isLessThan(0.05f);
                max = Math.max(max, Math.abs(n));
            }
        }
        assertThat(max).as("not flat").isGreaterThan(0.3f);
    }

    @Test
    void rotatedFieldIsZeroWhereTheRotationLeavesTheFrame() {
        float[] field = PerlinNoise.field(64, 64, 2, 2, 45, new Random(2));
        // A 45 degree turn brings the corners in from outside the original frame.
        assertThat(field[0]).isZero();
        assertThat(field[63]).isZero();
        assertThat(field[63 * 64]).isZero();
    }

    @Test
    void masksAreNeverEmptyAreDeterministicAndVaryInScale() {
        SynthesisSettings s = SynthesisSettings.DEFAULTS;
        Random rng = new Random(5);
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int n = 0; n < 40; n++) {
            Mask m = PerlinMask.sample(64, 64, null, s, rng);
            assertThat(m.isEmpty()).isFalse();
            smallest = Math.min(smallest, m.area());
            largest = Math.max(largest, m.area());
        }
        assertThat(largest).isGreaterThan(4 * smallest);
        assertThat(PerlinMask.sample(48, 32, null, s, new Random(9)))
                .isEqualTo(PerlinMask.sample(48, 32, null, s, new Random(9)));
    }

    @Test
    void anImpossibleThresholdFallsBackToTheStrongestNoise() {
        SynthesisSettings never = new SynthesisSettings(0, 0.8, 0, 0, 0, 0.99, 1f / 255, true, 0, 0, 0);

        Mask m = PerlinMask.sample(40, 40, null, never, new Random(3));

        assertThat(m.area()).isBetween(100, 300); // about the top 10 % of 1600 pixels
    }
}
