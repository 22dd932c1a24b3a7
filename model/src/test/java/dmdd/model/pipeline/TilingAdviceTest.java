package dmdd.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TilingAdviceTest {

    @Test
    void aLargeDefectNeedsNoTiling() {
        // 256 px image at 256 px input: a 10 px defect stays 10 px.
        TilingAdvice a = TilingAdvice.propose(256, 256, 10, 256, 0.25, 0.1);
        assertThat(a.scale()).isZero();
        assertThat(a.tilesPerImage()).isEqualTo(1);
    }

    @Test
    void aHairlineInACameraImageIsTiledAtNativeScale() {
        // 2448 x 2048 at 128 px tiles: shrunk whole, a 2 px scratch is 2 / 19.1 = 0.10 px. Tiling at scale 1
        // (a 2 px defect cannot be made 3 px wide by shrinking), stride 96: 26 x 21 tiles.
        TilingAdvice a = TilingAdvice.propose(2448, 2048, 2, 128, 0.25, 0.02);
        assertThat(a.scale()).isEqualTo(1.0);
        assertThat(a.tilesPerImage()).isEqualTo(26 * 21);
        assertThat(a.secondsPerImage()).isCloseTo(26 * 21 * 0.02, within(1e-9));
        assertThat(a.explanation()).contains("0.10 px").contains("scale 1.00");
    }

    @Test
    void aMidSizedDefectAllowsACoarserScale() {
        // 12 px defects: scale 4 keeps them 3 px wide; 2048 / 4 = 512 px, at 128 px tiles with stride 96: 5 x 5.
        TilingAdvice a = TilingAdvice.propose(2048, 2048, 12, 128, 0.25, 0.02);
        assertThat(a.scale()).isEqualTo(4.0);
        assertThat(a.tilesPerImage()).isEqualTo(25);
    }
}
