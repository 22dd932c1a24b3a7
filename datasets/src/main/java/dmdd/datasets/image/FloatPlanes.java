package dmdd.datasets.image;

/**
 * Operations on row-major planes of floats (an image channel, an anomaly map). The one resize of the
 * project: images and anomaly maps are resampled the same way, so a map lines up with the image it was
 * computed from.
 *
 * <p>The resize is separable and chooses its kernel per axis: where an axis shrinks, each output pixel
 * is the area-weighted mean of the source pixels its footprint covers (anti-aliased: a fine weave or a
 * 1-px scratch is averaged in, never point-sampled away); where an axis grows, it interpolates linearly
 * with pixel centres aligned (as {@code align_corners=False}). Downscaling by an integer factor is the
 * plain box mean.
 */
public final class FloatPlanes {
    private FloatPlanes() {
    }

    /**
     * Resizes one plane inside {@code src} into one plane inside {@code dst}: area-averaging along an axis
     * that shrinks, bilinear along an axis that grows.
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
    public static void resize(float[] src, int srcOffset, int width, int height,
            float[] dst, int dstOffset, int newWidth, int newHeight) {
        resize(src, srcOffset, width, height, dst, dstOffset, newWidth, newHeight,
                Kernel.of(width, newWidth), Kernel.of(height, newHeight));
    }

    /**
     * Resizes several planes of the same size with one pair of kernels (a CHW image's channels).
     *
     * @param src       source planes, one after another
     * @param width     source width
     * @param height    source height
     * @param planes    how many planes
     * @param newWidth  target width
     * @param newHeight target height
     * @return the resized planes, one after another
     */
    public static float[] resizePlanes(float[] src, int width, int height, int planes, int newWidth, int newHeight) {
        Kernel kx = Kernel.of(width, newWidth);
        Kernel ky = Kernel.of(height, newHeight);
        float[] out = new float[planes * newWidth * newHeight];
        for (int p = 0; p < planes; p++) {
            resize(src, p * width * height, width, height, out, p * newWidth * newHeight, newWidth, newHeight, kx, ky);
        }
        return out;
    }

    private static void resize(float[] src, int srcOffset, int width, int height, float[] dst, int dstOffset,
            int newWidth, int newHeight, Kernel kx, Kernel ky) {
        // Rows first (width changes), then columns; accumulate in float as the source is float.
        float[] rows = new float[newWidth * height];
        for (int y = 0; y < height; y++) {
            int in = srcOffset + y * width;
            int out = y * newWidth;
            for (int x = 0; x < newWidth; x++) {
                int start = kx.start[x];
                float[] w = kx.weights[x];
                float sum = 0f;
                for (int k = 0; k < w.length; k++) {
                    sum += src[in + start + k] * w[k];
                }
                rows[out + x] = sum;
            }
        }
        for (int y = 0; y < newHeight; y++) {
            int start = ky.start[y];
            float[] w = ky.weights[y];
            int out = dstOffset + y * newWidth;
            for (int x = 0; x < newWidth; x++) {
                float sum = 0f;
                for (int k = 0; k < w.length; k++) {
                    sum += rows[(start + k) * newWidth + x] * w[k];
                }
                dst[out + x] = sum;
            }
        }
    }

    /** The source taps and weights of every output index along one axis. */
    private static final class Kernel {
        final int[] start;
        final float[][] weights;

        private Kernel(int n) {
            start = new int[n];
            weights = new float[n][];
        }

        static Kernel of(int size, int newSize) {
            if (size < 1 || newSize < 1) {
                throw new IllegalArgumentException("sizes must be positive, got " + size + " -> " + newSize);
            }
            Kernel k = new Kernel(newSize);
            double scale = (double) size / newSize;
            for (int i = 0; i < newSize; i++) {
                if (newSize == size) {
                    k.start[i] = i;
                    k.weights[i] = new float[] {1f};
                } else if (newSize < size) {
                    // The output pixel covers [i*scale, (i+1)*scale) of the source axis.
                    double lo = i * scale;
                    double hi = (i + 1) * scale;
                    int first = (int) Math.floor(lo);
                    int last = Math.min(size - 1, (int) Math.ceil(hi) - 1);
                    float[] w = new float[last - first + 1];
                    for (int s = first; s <= last; s++) {
                        double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
                        w[s - first] = (float) (Math.max(0, overlap) / scale);
                    }
                    k.start[i] = first;
                    k.weights[i] = w;
                } else {
                    double f = Math.max(0.0, (i + 0.5) * scale - 0.5);
                    int i0 = Math.min((int) f, size - 1);
                    int i1 = Math.min(i0 + 1, size - 1);
                    float frac = (float) (f - i0);
                    k.start[i] = i0;
                    k.weights[i] = i1 == i0 ? new float[] {1f} : new float[] {1f - frac, frac};
                }
            }
            return k;
        }
    }
}
