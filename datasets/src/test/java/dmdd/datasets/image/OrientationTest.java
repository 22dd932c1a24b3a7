package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrientationTest {
    /** A 3 x 2 image whose red values number the pixels row by row: 0 1 2 / 3 4 5. */
    private static RgbImage numbered() {
        float[] chw = new float[18];
        for (int i = 0; i < 6; i++) {
            chw[i] = i / 10f;
            chw[6 + i] = 0.5f;
            chw[12 + i] = 1 - i / 10f;
        }
        return RgbImage.of(3, 2, chw);
    }

    private static float[] red(RgbImage image) {
        float[] all = image.chw();
        float[] out = new float[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(all[i] * 10);
        }
        return out;
    }

    @Test
    void mirrorsAndTurnsAsDrawnByHand() {
        RgbImage image = numbered();
        assertThat(Orientation.apply(image, 0)).isSameAs(image);
        assertThat(red(Orientation.apply(image, 1))).containsExactly(2, 1, 0, 5, 4, 3); // mirrored
        RgbImage quarter = Orientation.apply(image, 2); // a quarter turn clockwise: 2 x 3
        assertThat(quarter.width()).isEqualTo(2);
        assertThat(quarter.height()).isEqualTo(3);
        assertThat(red(quarter)).containsExactly(3, 0, 4, 1, 5, 2);
        assertThat(red(Orientation.apply(image, 4))).containsExactly(5, 4, 3, 2, 1, 0); // half a turn
        assertThat(red(Orientation.apply(image, 6))).containsExactly(2, 5, 1, 4, 0, 3); // three quarters
        // every channel moves with the red one
        RgbImage turned = Orientation.apply(image, 3);
        float[] chw = turned.chw();
        for (int i = 0; i < 6; i++) {
            assertThat(chw[12 + i]).isCloseTo(1 - chw[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void theEightOrientationsOfAnAsymmetricSquareAreAllDifferent() {
        float[] chw = new float[3 * 9];
        for (int i = 0; i < 9; i++) {
            chw[i] = i / 10f;
        }
        RgbImage square = RgbImage.of(3, 3, chw);
        Set<RgbImage> seen = new HashSet<>();
        for (int k = 0; k < Orientation.COUNT; k++) {
            seen.add(Orientation.apply(square, k));
        }
        assertThat(seen).hasSize(8);
        assertThatThrownBy(() -> Orientation.apply(square, 8)).hasMessageContaining("[0, 8)");
    }
}
