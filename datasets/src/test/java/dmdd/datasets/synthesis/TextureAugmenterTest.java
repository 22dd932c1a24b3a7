package dmdd.datasets.synthesis;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.RgbImage;
import dmdd.datasets.sample.SampleDataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextureAugmenterTest {
    @Test
    void augmentationsStayInRangeChangeTheTextureAndAreSeeded() {
        RgbImage texture = SampleDataset.normalSurface(32, 5);
        Random rng = new Random(3);
        for (int n = 0; n < 30; n++) {
            RgbImage out = TextureAugmenter.augment(texture, rng);
            assertThat(out.width()).isEqualTo(32);
            assertThat(out).isNotEqualTo(texture);
            for (float v : out.chw()) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        assertThat(TextureAugmenter.augment(texture, new Random(9)))
                .isEqualTo(TextureAugmenter.augment(texture, new Random(9)));
    }
}
