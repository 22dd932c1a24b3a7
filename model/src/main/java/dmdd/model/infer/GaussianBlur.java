package dmdd.model.infer;

/**
 * The branch maps' Gaussian blur (separable, kernel radius ceil(4 sigma), borders replicated). Along one axis the
 * blur is a banded {@code size x size} matrix {@code G} whose row {@code y} holds the kernel weights of the source
 * pixels of pixel {@code y} (the weights that fall outside the map are added to the edge pixel, which is what
 * replicating the border means), so a blurred map is {@code G_h * map * G_w^T}. {@link BranchMapAssembler} folds
 * {@code G} into the matrices that also up-sample the level maps and move them back from their views, so the engine
 * never blurs a full-size map on its own.
 */
final class GaussianBlur {
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
     * {@code G m}: the blur along the rows of a row-major matrix, from the kernel's taps.
     *
     * @param m       row-major, {@code m.length / columns} rows
     * @param columns the matrix's width
     * @param sigma   standard deviation in pixels; 0 or less returns a copy
     * @return the blurred matrix, same shape
     */
    static float[] alongRows(float[] m, int columns, double sigma) {
        if (sigma <= 0) {
            return m.clone();
        }
        float[] kernel = kernel(sigma);
        int size = m.length / columns;
        int radius = kernel.length / 2;
        float[] out = new float[m.length];
        for (int y = 0; y < size; y++) {
            for (int t = -radius; t <= radius; t++) {
                int source = Math.min(size - 1, Math.max(0, y + t));
                float weight = kernel[t + radius];
                for (int c = 0; c < columns; c++) {
                    out[y * columns + c] += weight * m[source * columns + c];
                }
            }
        }
        return out;
    }
}
