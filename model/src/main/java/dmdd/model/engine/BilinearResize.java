package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bilinear up-sampling of N x C x H x W arrays ({@code align_corners = false}, libtorch's convention) as two matrix
 * products, one along the columns and one along the rows.
 *
 * <p>DJL's bilinear resize runs libtorch's anti-aliased kernel, a generic separable loop that is slow on the
 * networks' channels-last arrays and slower still in its gradient. Up-sampling a row bilinearly is multiplying it by
 * a fixed {@code out x in} matrix with at most two non-zero weights a row (for up-sampling the anti-aliased weights
 * are exactly those), so the up-sampling is {@code A X B^T} for every channel, which the engine's matrix products do
 * fast, forward and backward, in either memory layout. Channels-last arrays are multiplied as N x H x W x C views, so
 * that neither product needs a copy; row-by-row arrays as N x C x H x W. Down-sampling is refused: there the
 * anti-aliased kernel averages and this matrix would sample, so the two would not be the same function.
 */
public final class BilinearResize {
    private static final Map<Long, float[]> MATRICES = new ConcurrentHashMap<>();

    private BilinearResize() {
    }

    /**
     * Bilinear up-sampling to {@code height x width}, differentiable.
     *
     * @param x      an N x C x H x W array
     * @param height target height, at least x's
     * @param width  target width, at least x's
     * @return the up-sampled array (in {@code x}'s manager, channels last when {@code x} is), or {@code x} itself
     *         when the size already matches
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
        NDArray rows = matrix(x, (int) height, (int) h); // height x h
        NDArray columns = matrix(x, (int) width, (int) w); // width x w
        if (c > 1 && ChannelsLast.enabled() && !x.getDevice().isGpu()) {
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
     * @return the row-major matrix, made once per size pair and shared: callers must not modify it
     */
    public static float[] matrix(int out, int in) {
        return MATRICES.computeIfAbsent(((long) out << 32) | in, k -> {
            float[] m = new float[out * in];
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

    private static NDArray matrix(NDArray like, int out, int in) {
        return like.getManager().create(matrix(out, in), new Shape(out, in));
    }
}
