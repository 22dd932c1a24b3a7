package dmdd.datasets.image;

import java.nio.file.Path;

/**
 * An image as {@link Preprocessing} prepares it.
 *
 * @param file    the file it was read from, or {@code null} for an image made in memory
 * @param picture the decoded picture (upright, longest side at most the decode bound): what is shown
 *                and what maps are laid over
 * @param input   the square network input
 * @param originalWidth  the upright width of the file's full-resolution picture (a mask must match it)
 * @param originalHeight the upright height of the file's full-resolution picture
 */
public record PreparedImage(Path file, RgbImage picture, RgbImage input, int originalWidth, int originalHeight) {
}
