package dmdd.datasets.layout;

import dmdd.datasets.image.RgbImage;
import java.nio.file.Path;

/**
 * An image and the file it was read from.
 *
 * @param file  the file
 * @param image the decoded image
 */
public record LoadedImage(Path file, RgbImage image) {
}
