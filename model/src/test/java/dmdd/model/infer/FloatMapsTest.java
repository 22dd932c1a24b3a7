package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Map operations checked against direct computations. */
class FloatMapsTest {

    @Test
    void topKMeanIsTheMeanOfTheLargestValuesIncludingTies() {
        Random r = new Random(4);
        float[] m = new float[5000];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextInt(50) / 10f; // many ties
        }
        float[] sorted = m.clone();
        Arrays.sort(sorted);
        double expected = 0;
        for (int i = sorted.length - 100; i < sorted.length; i++) {
            expected += sorted[i];
        }
        assertThat(FloatMaps.topKMean(m, 100)).isCloseTo(expected / 100, within(1e-6));
        assertThat(FloatMaps.topKMean(new float[] {3f, 1f}, 100)).isEqualTo(2.0);
        assertThat(FloatMaps.max(m)).isEqualTo(sorted[sorted.length - 1]);
    }

    @Test
    void resizeMatchesPixelCentres() {
        float[] m = {0f, 1f, 2f, 3f};
        float[] up = FloatMaps.resize(m, 2, 2, 4, 4);
        assertThat(up[0]).isEqualTo(0f);
        assertThat(up[15]).isEqualTo(3f);
        assertThat(up[1]).isCloseTo(0.25f, within(1e-6f)); // a quarter of the way to the right neighbour
        assertThat(FloatMaps.resize(up, 4, 4, 2, 2)).containsExactly(new float[] {0.375f, 1.125f, 1.875f, 2.625f},
                within(1e-6f));
    }
}
