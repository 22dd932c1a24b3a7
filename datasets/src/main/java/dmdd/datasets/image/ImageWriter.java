package dmdd.datasets.image;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Saves images as PNG, atomically (see {@link AtomicFiles}). */
public final class ImageWriter {
    private ImageWriter() {
    }

    /**
     * Writes an image as an 8-bit RGB PNG.
     *
     * @param image the image
     * @param file  the target file (replaced atomically if it exists)
     * @throws IOException when writing fails
     */
    public static void writePng(RgbImage image, Path file) throws IOException {
        writePng(image.toBufferedImage(), file);
    }

    /**
     * Writes any Java2D image as PNG, keeping its type (gray stays gray).
     *
     * @param image the image
     * @param file  the target file (replaced atomically if it exists)
     * @throws IOException when writing fails or no PNG writer accepts the image type
     */
    public static void writePng(RenderedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWriters(
                    ImageTypeSpecifier.createFromRenderedImage(image), "png");
            if (!writers.hasNext()) {
                throw new IOException("no PNG writer for this image type, writing " + file);
            }
            javax.imageio.ImageWriter writer = writers.next();
            // A memory-cached stream: ImageIO's default would spill to a file in java.io.tmpdir.
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                // Deflate level 1: for camera images (noisy) it is about twice as fast as the
                // default and the files come out no larger.
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }
}
