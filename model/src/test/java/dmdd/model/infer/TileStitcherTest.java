package dmdd.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dmdd.datasets.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileStitcherTest {

    @Test
    void tilesCoverTheImageWithTheLastOneFlushWithTheEdge() {
        assertThat(TileStitcher.positions(100, 64, 48)).containsExactly(0, 36);
        assertThat(TileStitcher.positions(64, 64, 48)).containsExactly(0);
        assertThat(TileStitcher.positions(200, 64, 48)).containsExactly(0, 48, 96, 136);
        TileStitcher s = new TileStitcher(200, 100, 64, 0.25);
        assertThat(s.origins()).hasSize(4 * 2);
    }

    @Test
    void stitchingTilesOfOneSmoothMapGivesThatMapBackEverywhere() {
        int w = 150;
        int h = 90;
        int tile = 32;
        TileStitcher s = new TileStitcher(w, h, tile, 0.25);
        float[] chw = new float[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            chw[i] = (i % w) / (float) w; // the image's x as its red channel
        }
        RgbImage image = RgbImage.of(w, h, chw);
        for (int[] o : s.origins()) {
            RgbImage cut = s.cut(image, o);
            assertThat(cut.get(0, 0, 0)).isEqualTo(image.get(0, o[0], o[1]));
            // Each tile reports the true values of the global map f(x, y) = x + 1000 y where it lies.
            float[] m = new float[tile * tile];
            for (int y = 0; y < tile; y++) {
                for (int x = 0; x < tile; x++) {
                    m[y * tile + x] = (o[0] + x) + 1000f * (o[1] + y);
                }
            }
            s.add(o, new NetworkMaps(tile, tile, m, m, m, 0));
        }
        NetworkMaps stitched = s.stitched(f -> f[0]);
        assertThat(stitched.width()).isEqualTo(w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertThat(stitched.fused()[y * w + x]).isCloseTo(x + 1000f * y, within(0.5f));
            }
        }
        assertThat(stitched.score()).isEqualTo(stitched.fused()[0]);
        assertThat(List.of(stitched.normality().length, stitched.abnormality().length)).containsOnly(w * h);
    }
}
