package dmdd.datasets.synthesis;

import java.util.Random;

/**
 * Two-dimensional Perlin gradient noise on a lattice of {@code cellsX x cellsY} cells with random
 * unit gradients at the lattice points and the quintic fade 6t^5 - 15t^4 + 10t^3, as DRAEM's
 * {@code rand_perlin_2d_np}. Values lie in about [-0.71, 0.71].
 */
public final class PerlinNoise {
    private final int cellsX;
    private final int cellsY;
    private final float[] gradX;
    private final float[] gradY;

    /**
     * @param cellsX lattice cells across, at least 1
     * @param cellsY lattice cells down, at least 1
     * @param rng    source of the gradient directions
     */
    public PerlinNoise(int cellsX, int cellsY, Random rng) {
        if (cellsX < 1 || cellsY < 1) {
            throw new IllegalArgumentException("need at least one cell per axis, got " + cellsX + "x" + cellsY);
        }
        this.cellsX = cellsX;
        this.cellsY = cellsY;
        int n = (cellsX + 1) * (cellsY + 1);
        gradX = new float[n];
        gradY = new float[n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * rng.nextDouble();
            gradX[i] = (float) Math.cos(angle);
            gradY[i] = (float) Math.sin(angle);
        }
    }

    /**
     * The noise at a point given in lattice units (clamped to the lattice).
     *
     * @param u across, in [0, cellsX]
     * @param v down, in [0, cellsY]
     * @return the noise value
     */
    public float at(float u, float v) {
        u = Math.max(0f, Math.min(cellsX, u));
        v = Math.max(0f, Math.min(cellsY, v));
        int i = Math.min((int) u, cellsX - 1);
        int j = Math.min((int) v, cellsY - 1);
        float fx = u - i;
        float fy = v - j;
        float n00 = dot(i, j, fx, fy);
        float n10 = dot(i + 1, j, fx - 1, fy);
        float n01 = dot(i, j + 1, fx, fy - 1);
        float n11 = dot(i + 1, j + 1, fx - 1, fy - 1);
        float sx = fade(fx);
        float sy = fade(fy);
        float top = n00 + sx * (n10 - n00);
        float bottom = n01 + sx * (n11 - n01);
        // DRAEM scales by sqrt(2); the range stays within [-1, 1].
        return (float) Math.sqrt(2) * (top + sy * (bottom - top));
    }

    private float dot(int i, int j, float dx, float dy) {
        int k = j * (cellsX + 1) + i;
        return gradX[k] * dx + gradY[k] * dy;
    }

    private static float fade(float t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    /**
     * A noise field over an image, rotated about the image centre; points that come from outside
     * the unrotated frame are 0 (as DRAEM's constant-fill affine rotation).
     *
     * @param width          image width
     * @param height         image height
     * @param cellsX         lattice cells across
     * @param cellsY         lattice cells down
     * @param angleDegrees   rotation
     * @param rng            source of the gradients
     * @return row-major values
     */
    public static float[] field(int width, int height, int cellsX, int cellsY, double angleDegrees, Random rng) {
        PerlinNoise noise = new PerlinNoise(cellsX, cellsY, rng);
        float[] out = new float[width * height];
        double a = Math.toRadians(angleDegrees);
        float cos = (float) Math.cos(a);
        float sin = (float) Math.sin(a);
        float cx = width / 2f;
        float cy = height / 2f;
        float toU = (float) cellsX / width;
        float toV = (float) cellsY / height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float dx = x + 0.5f - cx;
                float dy = y + 0.5f - cy;
                float sx = cos * dx + sin * dy + cx;
                float sy = -sin * dx + cos * dy + cy;
                if (sx < 0 || sy < 0 || sx >= width || sy >= height) {
                    continue;
                }
                out[y * width + x] = noise.at(sx * toU, sy * toV);
            }
        }
        return out;
    }

    /**
     * Fractal noise (octaves of halving amplitude and doubling frequency), normalised to [0, 1];
     * used for procedural textures.
     *
     * @param width   image width
     * @param height  image height
     * @param cells   lattice cells of the first octave (per axis)
     * @param octaves number of octaves, at least 1
     * @param rng     source of the gradients
     * @return row-major values in [0, 1]
     */
    public static float[] fractal(int width, int height, int cells, int octaves, Random rng) {
        float[] sum = new float[width * height];
        float amplitude = 1;
        for (int o = 0; o < octaves; o++) {
            int c = cells << o;
            float[] layer = field(width, height, c, c, 0, rng);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += amplitude * layer[i];
            }
            amplitude /= 2;
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : sum) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = Math.max(1e-6f, max - min);
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (sum[i] - min) / range;
        }
        return sum;
    }
}
