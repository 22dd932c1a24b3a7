package dmdd.datasets.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditableMaskTest {

    @Test
    void brushCoversTheDiscOfItsRadiusAndEraserRemovesIt() {
        EditableMask m = new EditableMask(40, 40);
        m.stamp(20, 20, 5, true);
        // Disc of radius 5: area close to pi * 25.
        assertThat(m.area()).isBetween(70, 90);
        assertThat(m.get(20, 20)).isTrue();
        assertThat(m.get(20, 26)).isFalse();
        assertThat(m.get(26, 20)).isFalse();
        m.stamp(20, 20, 2, false);
        assertThat(m.get(20, 20)).isFalse();
        assertThat(m.get(20, 16)).isTrue();
    }

    @Test
    void aFastStrokeLeavesNoGap() {
        EditableMask m = new EditableMask(100, 10);
        m.line(2, 5, 97, 5, 1, true);
        for (int x = 2; x < 97; x++) {
            assertThat(m.get(x, 5)).as("pixel %d", x).isTrue();
        }
        assertThat(m.get(50, 8)).isFalse();
    }

    @Test
    void polygonFillMatchesTheRectangleItDescribes() {
        EditableMask m = new EditableMask(20, 20);
        m.fillPolygon(new double[] {2, 12, 12, 2}, new double[] {3, 3, 8, 8}, true);
        assertThat(m.area()).isEqualTo(10 * 5);
        assertThat(m.get(2, 3)).isTrue();
        assertThat(m.get(11, 7)).isTrue();
        assertThat(m.get(12, 7)).isFalse();
        assertThat(m.get(11, 8)).isFalse();
    }

    @Test
    void triangleFillHalvesTheSquare() {
        EditableMask m = new EditableMask(100, 100);
        m.fillPolygon(new double[] {0, 100, 0}, new double[] {0, 100, 100}, true);
        assertThat(m.area()).isBetween(4900, 5100);
        assertThat(m.get(5, 90)).isTrue();
        assertThat(m.get(90, 5)).isFalse();
    }

    @Test
    void shapesOutsideTheImageAreClipped() {
        EditableMask m = new EditableMask(10, 10);
        m.stamp(-3, -3, 5, true);
        m.fillPolygon(new double[] {-50, 5, 5}, new double[] {-50, -50, 50}, true);
        assertThat(m.get(0, 0)).isTrue();
        assertThat(m.area()).isLessThanOrEqualTo(100);
    }
}
