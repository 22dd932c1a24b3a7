package dmdd.model.pipeline;

import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.NetworkMaps;
import java.nio.file.Path;

/**
 * One inspected image: the picture, its three maps at the picture's size, the score and the verdict at
 * the model's image thresholds.
 *
 * @param file    the image file
 * @param picture the image as shown (the decoded picture, reduced to the requested output side)
 * @param network the maps at network resolution (for metrics at another resolution)
 * @param maps    the maps at the picture's size
 * @param verdict the verdict at the model's two image thresholds
 * @param originalWidth  the width of the file's full-resolution picture (masks are drawn at this size)
 * @param originalHeight the height of the file's full-resolution picture
 * @param warning why the verdict is less sure (the model saw the picture distorted: squeezed into the square input,
 *                stretched to a tile, read shrunk), in a person's words, or null; every surface shows it
 */
public record Inspection(Path file, RgbImage picture, NetworkMaps network, AnomalyMaps maps, Verdict verdict,
                         int originalWidth, int originalHeight, String warning) {
    /** @return the image score */
    public double score() {
        return network.score();
    }
}
