package dmdd.datasets.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes defect masks as PNG files, the MVTec AD convention: 8-bit gray, 0 = normal,
 * 255 = defect. On reading, any nonzero colour value counts as defect, so masks saved as 0/1,
 * in colour or with a palette are understood too. A fully transparent pixel is never a defect (unless no pixel is
 * opaque): annotation tools export paint on a transparent layer whose hidden colour may be white (such a mask read
 * as defect everywhere).
 */
public final class MaskIo {
    private MaskIo() {
    }

    /**
     * Reads a mask at its full size.
     *
     * @param file a mask image
     * @return the mask
     * @throws UnreadableImageException when the file is not a readable image
     */
    public static Mask read(Path file) throws UnreadableImageException {
        BufferedImage image = ImageReader.decode(file, Integer.MAX_VALUE).image();
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] defect = new boolean[w * h];
        if (image.getColorModel() instanceof IndexColorModel) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            boolean anyOpaque = java.util.Arrays.stream(argb).anyMatch(c -> (c >>> 24) != 0);
            for (int i = 0; i < argb.length; i++) {
                defect[i] = (argb[i] & 0xffffff) != 0 && (!anyOpaque || (argb[i] >>> 24) != 0);
            }
            return Mask.of(w, h, defect);
        }
        Raster raster = image.getRaster();
        int colorBands = Math.min(raster.getNumBands(), image.getColorModel().getNumColorComponents());
        int[] row = new int[w];
        for (int band = 0; band < colorBands; band++) {
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, row);
                for (int x = 0; x < w; x++) {
                    if (row[x] != 0) {
                        defect[y * w + x] = true;
                    }
                }
            }
        }
        if (image.getColorModel().hasAlpha()) {
            // a mask whose alpha was left at 0 everywhere (an RGBA array saved from numpy) is read by its colour
            int alphaBand = image.getColorModel().getNumComponents() - 1;
            boolean[] transparent = new boolean[w * h];
            boolean anyOpaque = false;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, alphaBand, row);
                for (int x = 0; x < w; x++) {
                    transparent[y * w + x] = row[x] == 0;
                    anyOpaque |= row[x] != 0;
                }
            }
            for (int i = 0; anyOpaque && i < defect.length; i++) {
                defect[i] &= !transparent[i];
            }
        }
        return Mask.of(w, h, defect);
    }

    /**
     * Writes a mask as an 8-bit gray PNG with 0 and 255, atomically.
     *
     * @param mask the mask
     * @param file the target file (replaced if it exists)
     * @throws IOException when writing fails
     */
    public static void write(Mask mask, Path file) throws IOException {
        ImageWriter.writePng(toGrayImage(mask), file);
    }

    /**
     * Renders a mask as an 8-bit gray image, 255 for defect pixels.
     *
     * @param mask the mask
     * @return a {@code TYPE_BYTE_GRAY} image
     */
    public static BufferedImage toGrayImage(Mask mask) {
        int w = mask.width();
        int h = mask.height();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        boolean[] flags = mask.toBooleans();
        byte[] bytes = new byte[flags.length];
        for (int i = 0; i < flags.length; i++) {
            bytes[i] = flags[i] ? (byte) 255 : 0;
        }
        image.getRaster().setDataElements(0, 0, w, h, bytes);
        return image;
    }
}
