package dmdd.model.pipeline;

import java.util.Locale;

/**
 * Proposes how to inspect images of a given size so that the smallest defect a person needs to find stays
 * visible to the network: the whole image shrunk to the input when that keeps the defect at least
 * {@value #MIN_DEFECT_NETWORK_PX} network pixels wide, otherwise camera-resolution tiling at the largest scale
 * that does (never finer than native), with the number of tiles and a time estimate.
 *
 * @param scale           the proposed {@code inspectionScale} (0: whole image)
 * @param tilesPerImage   network passes per image (1 for the whole image)
 * @param secondsPerImage estimated inspection time per image
 * @param explanation     one sentence for people
 */
public record TilingAdvice(double scale, int tilesPerImage, double secondsPerImage, String explanation) {
    /** A defect narrower than this many network pixels is at the edge of what stride-4 features see. */
    public static final double MIN_DEFECT_NETWORK_PX = 3.0;

    /**
     * @param width          image width in pixels
     * @param height         image height in pixels
     * @param smallestDefect smallest defect to find, in image pixels (at least 1)
     * @param tile           the network input side
     * @param overlap        tile overlap share
     * @param secondsPerPass measured or estimated seconds for one network pass of one tile on this machine
     * @return the proposal
     */
    public static TilingAdvice propose(int width, int height, double smallestDefect, int tile, double overlap,
                                       double secondsPerPass) {
        if (width < 1 || height < 1 || !(smallestDefect >= 1) || tile < 1) {
            throw new IllegalArgumentException("image size, defect size and tile must be positive");
        }
        double shrink = Math.max(width, height) / (double) tile;
        double defectWhole = smallestDefect / shrink;
        if (defectWhole >= MIN_DEFECT_NETWORK_PX) {
            return new TilingAdvice(0, 1, secondsPerPass, String.format(Locale.ROOT, "The whole image at %d px keeps "
                    + "a %.0f px defect %.1f px wide: no tiling needed (about %.1f s per image).", tile,
                    smallestDefect, defectWhole, secondsPerPass));
        }
        double scale = Math.max(1.0, smallestDefect / MIN_DEFECT_NETWORK_PX);
        int stride = Math.max(1, (int) Math.round(tile * (1 - overlap)));
        int tilesX = tiles(Math.max(tile, (int) Math.round(width / scale)), tile, stride);
        int tilesY = tiles(Math.max(tile, (int) Math.round(height / scale)), tile, stride);
        int tiles = tilesX * tilesY;
        double seconds = tiles * secondsPerPass;
        return new TilingAdvice(scale, tiles, seconds, String.format(Locale.ROOT, "Shrunk whole to %d px, a %.0f px "
                + "defect would be %.2f px wide and vanish; tiling at scale %.2f keeps it %.1f px wide: %d tiles per "
                + "%d x %d image, about %.1f s per image on this machine.", tile, smallestDefect, defectWhole, scale,
                smallestDefect / scale, tiles, width, height, seconds));
    }

    private static int tiles(int length, int tile, int stride) {
        return length <= tile ? 1 : 1 + (int) Math.ceil((length - tile) / (double) stride);
    }
}
