package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bilinear up-sampling of N x C x H x W arrays ({@code align_corners = false}, libtorch's convention), as two matrix
 * products where the arrays are the networks' small feature maps.
 *
 * <p>DJL's bilinear resize runs libtorch's anti-aliased kernel, a generic separable loop that is slow on the
 * networks' channels-last arrays and slower still in its gradient. Up-sampling a row bilinearly is multiplying it by
 * a fixed {@code out x in} matrix with at most two non-zero weights a row (for up-sampling the anti-aliased weights
 * are exactly those), so the up-sampling is {@code A X B^T} for every channel, which the engine's matrix products do
 * fast, forward and backward, while the inputs are small: the matrices are dense, so each output costs {@code in}
 * multiply-adds along each axis. Up to {@value #LARGEST_PRODUCT_INPUT} input samples a side (every level of a 256 px
 * input) it multiplies; above, where the dense products would cost more than the kernel saves, it calls libtorch's
 * kernel, whose values are the same. The products give libtorch's values to the bit on the networks' x2 and x4
 * up-samplings and within one float rounding step at other ratios.
 *
 * <p>With channels last on (the CPU default, {@link ChannelsLast}) a multi-channel array is multiplied as an
 * N x H x W x C view, which for a channels-last array needs no copy, and the result is channels last; otherwise as
 * N x C x H x W, and the result is stored row by row. Down-sampling is refused: there the anti-aliased kernel
 * averages and a bilinear matrix would sample, so the two would not be the same function.
 */
public final class BilinearResize {
    /** The largest input side that is up-sampled by matrix products. */
    static final int LARGEST_PRODUCT_INPUT = 64;
    /** DJL's code for bilinear interpolation (Image.Interpolation.BILINEAR): libtorch's anti-aliased kernel. */
    static final int LIBTORCH_BILINEAR = 1;
    private static final Map<Long, float[]> MATRICES = new ConcurrentHashMap<>();

    private BilinearResize() {
    }

    /**
     * Bilinear up-sampling to {@code height x width}, differentiable.
     *
     * @param x      an N x C x H x W array
     * @param height target height, at least x's
     * @param width  target width, at least x's
     * @return the up-sampled array (in {@code x}'s manager), or {@code x} itself when the size already matches
     * @throws IllegalArgumentException if a target side is smaller than x's
     */
    public static NDArray upsample(NDArray x, long height, long width) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        if (h == height && w == width) {
            return x;
        }
        if (height < h || width < w) {
            throw new IllegalArgumentException("bilinear up-sampling from " + h + " x " + w + " to " + height + " x "
                    + width + ": a side would shrink");
        }
        if (h > LARGEST_PRODUCT_INPUT || w > LARGEST_PRODUCT_INPUT) {
            return x.getNDArrayInternal().interpolation(new long[] {height, width}, LIBTORCH_BILINEAR, false);
        }
        NDArray rows = matrix(x, Math.toIntExact(height), (int) h); // height x h
        NDArray columns = matrix(x, Math.toIntExact(width), (int) w); // width x w
        if (c > 1 && ChannelsLast.appliesTo(x)) {
            // N x h x w x C: a view of a channels-last array; each (image, row) is a w x C matrix
            NDArray pixels = x.transpose(0, 2, 3, 1);
            NDArray alongColumns = columns.matMul(pixels.reshape(n * h, w, c)); // (N h) x width x C
            NDArray alongRows = rows.matMul(alongColumns.reshape(n, h, width * c)); // N x height x (width C)
            return alongRows.reshape(n, height, width, c).transpose(0, 3, 1, 2);
        }
        NDArray alongColumns = x.reshape(n * c * h, w).matMul(columns.transpose()); // (N C h) x width
        return rows.matMul(alongColumns.reshape(n * c, h, width)).reshape(n, c, height, width);
    }

    /**
     * Bilinear up-sampling from {@code in} to {@code out} samples as an out x in matrix, as libtorch computes it
     * with {@code align_corners = false}: the source position {@code (j + 0.5) in / out - 0.5}, clamped at 0.
     *
     * @param out output samples
     * @param in  input samples
     * @return the row-major matrix (a copy of the one this class keeps)
     */
    public static float[] matrix(int out, int in) {
        return shared(out, in).clone();
    }

    /** The matrix, made once per size pair and kept: never modified. */
    private static float[] shared(int out, int in) {
        return MATRICES.computeIfAbsent(((long) out << 32) | in, k -> {
            float[] m = new float[Math.multiplyExact(out, in)];
            float scale = (float) in / out;
            for (int j = 0; j < out; j++) {
                float source = Math.max(0f, scale * (j + 0.5f) - 0.5f);
                int i0 = Math.min((int) source, in - 1);
                int i1 = Math.min(i0 + 1, in - 1);
                float lambda = Math.min(Math.max(source - i0, 0f), 1f);
                m[j * in + i0] += 1 - lambda;
                m[j * in + i1] += lambda;
            }
            return m;
        });
    }

    /** The matrix on {@code like}'s device, in its manager (which may sit on another device). */
    private static NDArray matrix(NDArray like, int out, int in) {
        NDArray m = like.getManager().create(shared(out, in), new Shape(out, in));
        return m.getDevice().equals(like.getDevice()) ? m : m.toDevice(like.getDevice(), false);
    }
}
