package dmdd.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training-set description a checkpoint records: any number and size of images, sensitive to one pixel. */
class CheckpointDescribeTest {

    @Test
    void describesSetsWhoseImagesEndAtTheDigestBuffersEdge() {
        // 1 x 1 images take 20 bytes each (two ints, three floats): after 13 107 of them the 64 KiB digest buffer
        // has 4 bytes left, too few for the next image's header
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 13_110; i++) {
            images.add(RgbImage.of(1, 1, new float[] {i % 7 / 7f, 0.5f, 0.25f}));
        }
        String whole = Checkpoint.describe(images);
        assertThat(whole).startsWith("13110 images, sha256 ").hasSize("13110 images, sha256 ".length() + 16);

        List<RgbImage> onePixelOff = new ArrayList<>(images);
        onePixelOff.set(13_108, RgbImage.of(1, 1, new float[] {0.9f, 0.5f, 0.25f}));
        assertThat(Checkpoint.describe(onePixelOff)).isNotEqualTo(whole);
        assertThat(Checkpoint.describe(new ArrayList<>(images))).isEqualTo(whole);
        assertThat(Checkpoint.describe(List.of(images.get(0)))).startsWith("1 image, sha256 ");
    }
}
