package dmdd.datasets.image;

/**
 * Operations on row-major planes of floats (an image channel, an anomaly map). The one bilinear
 * resize of the project: images and anomaly maps are resampled the same way, so a map lines up
 * with the image it was computed from.
 */
public final class FloatPlanes {
    private FloatPlanes() {
    }

    /**
     * Bilinear resize with pixel centres aligned (as {@code align_corners=False}), from one plane
     * inside {@code src} into one plane inside {@code dst}.
     *
     * @param src       source values
     * @param srcOffset index of the source plane's first value
     * @param width     source width
     * @param height    source height
     * @param dst       destination values
     * @param dstOffset index of the destination plane's first value
     * @param newWidth  target width
     * @param newHeight target height
     */
    public static void resizeBilinear(float[] src, int srcOffset, int width, int height,
            float[] dst, int dstOffset, int newWidth, int newHeight) {
        float sx = (float) width / newWidth;
        float sy = (float) height / newHeight;
        for (int y = 0; y < newHeight; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            float wy = fy - y0;
            int row0 = srcOffset + y0 * width;
            int row1 = srcOffset + y1 * width;
            for (int x = 0; x < newWidth; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                float wx = fx - x0;
                float top = src[row0 + x0] * (1 - wx) + src[row0 + x1] * wx;
                float bottom = src[row1 + x0] * (1 - wx) + src[row1 + x1] * wx;
                dst[dstOffset + y * newWidth + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }
}
