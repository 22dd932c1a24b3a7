package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row-wise reading of 8-bit sRGB pictures gives what the colour model's per-pixel path gives, to the bit. */
class RgbImageConversionTest {
    @Test
    void everyCommonRgbLayoutGivesTheColourModelsValues() {
        Random random = new Random(3);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
            BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage image = new BufferedImage(37, 23, type);
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            RgbImage rgb = RgbImage.fromBufferedImage(image);
            // a sub-image shares the raster at an offset, as a band of a large file does
            RgbImage lower = RgbImage.fromBufferedImage(image.getSubimage(0, 5, 37, 18));
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    int p = image.getRGB(x, y);
                    float a = ((p >>> 24) & 0xff) / 255f;
                    assertThat(rgb.get(0, x, y)).as("type %d", type).isEqualTo(((p >> 16) & 0xff) / 255f * a);
                    assertThat(rgb.get(1, x, y)).isEqualTo(((p >> 8) & 0xff) / 255f * a);
                    assertThat(rgb.get(2, x, y)).isEqualTo((p & 0xff) / 255f * a);
                    if (y >= 5) {
                        assertThat(lower.get(2, x, y - 5)).isEqualTo(rgb.get(2, x, y));
                    }
                }
            }
        }
    }
}
