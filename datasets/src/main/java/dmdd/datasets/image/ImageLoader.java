package dmdd.datasets.image;

import java.nio.file.Path;

/**
 * Turns an image file into an {@link RgbImage}: an {@link ImageReader} (pictures at a bounded size) or
 * {@link Preprocessing#networkInputs()} (network inputs). Dataset layouts load their images through it.
 */
@FunctionalInterface
public interface ImageLoader {
    /**
     * @param file an image file
     * @return the image
     * @throws UnreadableImageException naming the file and the problem
     */
    RgbImage read(Path file) throws UnreadableImageException;
}
