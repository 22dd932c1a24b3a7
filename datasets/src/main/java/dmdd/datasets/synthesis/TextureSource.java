package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import java.util.Random;

/**
 * Where the content of a synthetic anomaly comes from. Implementations draw every random choice
 * from the given {@link Random}, so synthesis is deterministic under a seed.
 */
public interface TextureSource {
    /**
     * A texture image of the requested size.
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param normal the normal image the anomaly goes on (some sources reuse it)
     * @param rng    the random source
     * @return an image of exactly {@code width x height}
     */
    RgbImage texture(int width, int height, RgbImage normal, Random rng);

    /** @return a short description for logs and settings screens */
    String describe();
}
