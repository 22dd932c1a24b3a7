package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The branch maps' Gaussian blur (separable, kernel radius ceil(4 sigma), borders replicated), run by the engine
 * on a whole batch of maps at once: along one axis the blur is a banded {@code size x size} matrix whose row
 * {@code y} holds the kernel weights of the source pixels of pixel {@code y} (the weights that fall outside the
 * map are added to the edge pixel, which is what replicating the border means), so a blurred map is
 * {@code B_h * map * B_w^T}, two matrix products the engine does on every core and, for a model on a GPU, on the
 * device (a per-map Java loop did it before; on a 2-core CPU the two took the same time).
 */
public final class GaussianBlur {
    private GaussianBlur() {
    }

    /**
     * @param sigma standard deviation in pixels, positive
     * @return the normalised kernel, {@code 2 ceil(4 sigma) + 1} taps
     */
    static float[] kernel(double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-0.5 * i * i / (sigma * sigma));
            kernel[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        return kernel;
    }

    /**
     * The blur along one axis of {@code size} pixels as a matrix.
     *
     * @param size  pixels along the axis
     * @param sigma standard deviation in pixels, positive
     * @return row-major {@code size x size} weights
     */
    static float[] matrix(int size, double sigma) {
        float[] kernel = kernel(sigma);
        int radius = kernel.length / 2;
        float[] m = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int k = -radius; k <= radius; k++) {
                int source = Math.min(size - 1, Math.max(0, y + k));
                m[y * size + source] += kernel[k + radius];
            }
        }
        return m;
    }

    /**
     * Blurs every plane of a batch of maps.
     *
     * @param maps  N x C x H x W maps
     * @param sigma standard deviation in pixels; 0 returns {@code maps} itself
     * @return the blurred maps, in the manager of {@code maps}
     */
    public static NDArray apply(NDArray maps, double sigma) {
        if (sigma <= 0) {
            return maps;
        }
        Shape s = maps.getShape();
        int height = (int) s.get(2);
        int width = (int) s.get(3);
        NDManager manager = maps.getManager();
        NDArray rows = manager.create(matrix(height, sigma), new Shape(height, height));
        NDArray columnsTransposed = width == height ? rows.transpose()
                : manager.create(matrix(width, sigma), new Shape(width, width)).transpose();
        return rows.matMul(maps.matMul(columnsTransposed));
    }
}
