package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskIoTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndIsStoredAsGrayZeroAnd255() throws IOException {
        boolean[] flags = new boolean[37 * 23];
        Random random = new Random(7);
        for (int i = 0; i < flags.length; i++) {
            flags[i] = random.nextInt(4) == 0;
        }
        Mask mask = Mask.of(37, 23, flags);
        Path file = dir.resolve("000_mask.png");

        MaskIo.write(mask, file);

        assertThat(MaskIo.read(file)).isEqualTo(mask);
        BufferedImage stored = ImageIO.read(file.toFile());
        assertThat(stored.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int v = stored.getRaster().getSample(x, y, 0);
                assertThat(v).isEqualTo(mask.get(x, y) ? 255 : 0);
            }
        }
    }

    @Test
    void anyNonzeroValueIsADefect() throws IOException {
        BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 0, 0, 1);
        gray.getRaster().setSample(2, 0, 0, 17);
        Path grayFile = dir.resolve("gray.png");
        ImageWriter.writePng(gray, grayFile);
        BufferedImage colour = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(0, 0, 0x000001);
        colour.setRGB(2, 0, 0xff0000);
        Path colourFile = dir.resolve("colour.png");
        ImageWriter.writePng(colour, colourFile);

        Mask fromGray = MaskIo.read(grayFile);
        Mask fromColour = MaskIo.read(colourFile);

        assertThat(fromGray.toBooleans()).containsExactly(false, true, true, false);
        assertThat(fromColour.toBooleans()).containsExactly(true, false, true);
    }

    @Test
    void aTransparentPixelIsNeverADefectWhateverItsHiddenColour() throws IOException {
        // an annotation tool's export: opaque white paint on a transparent white layer read as defect everywhere
        BufferedImage layer = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
        layer.setRGB(0, 0, 0x00ffffff);
        layer.setRGB(1, 0, 0xffffffff);
        layer.setRGB(2, 0, 0x80ffffff);
        layer.setRGB(3, 0, 0x00000000);
        Path layerFile = dir.resolve("layer.png");
        ImageIO.write(layer, "png", layerFile.toFile());
        BufferedImage grayAlpha = new BufferedImage(new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 3, 1, 2, null),
                false, null);
        grayAlpha.getRaster().setPixel(0, 0, new int[] {255, 0});
        grayAlpha.getRaster().setPixel(1, 0, new int[] {255, 255});
        grayAlpha.getRaster().setPixel(2, 0, new int[] {0, 255});
        Path grayAlphaFile = dir.resolve("gray-alpha.png");
        ImageIO.write(grayAlpha, "png", grayAlphaFile.toFile());

        assertThat(MaskIo.read(layerFile).toBooleans()).containsExactly(false, true, true, false);
        assertThat(MaskIo.read(grayAlphaFile).toBooleans()).containsExactly(false, true, false);
        // alpha left at 0 everywhere (an RGBA array saved from numpy): read by its colour, not as empty
        BufferedImage unset = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        unset.setRGB(1, 0, 0x00ffffff);
        Path unsetFile = dir.resolve("unset-alpha.png");
        ImageIO.write(unset, "png", unsetFile.toFile());
        assertThat(MaskIo.read(unsetFile).toBooleans()).containsExactly(false, true, false);
    }

    @Test
    void aBrokenMaskFileIsAnUnreadableImage() throws IOException {
        Path file = dir.resolve("001_mask.png");
        Files.writeString(file, "oops");

        assertThatThrownBy(() -> MaskIo.read(file))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("001_mask.png");
    }
}
