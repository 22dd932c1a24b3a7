package dmdd.model.infer;

import dmdd.datasets.image.FloatPlanes;

/** Operations on row-major single-channel float maps: blur, resize, top-k mean, subsampling. */
public final class FloatMaps {
    private FloatMaps() {
    }

    /**
     * Separable Gaussian blur with edge replication (kernel radius ceil(4 sigma)).
     *
     * @param map    width x height values (not changed)
     * @param width  map width
     * @param height map height
     * @param sigma  standard deviation in pixels; 0 returns a copy
     * @return the blurred map
     */
    public static float[] gaussianBlur(float[] map, int width, int height, double sigma) {
        if (sigma <= 0) {
            return map.clone();
        }
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
        // Each pass accumulates the taps in the same order as a per-pixel sum (so the values are the
        // same to the bit), but as whole-row multiply-adds over a border-replicated copy of the row,
        // which the JIT vectorises: no bounds clamping in the inner loop.
        float[] tmp = new float[map.length];
        float[] padded = new float[width + 2 * radius];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            java.util.Arrays.fill(padded, 0, radius, map[row]);
            System.arraycopy(map, row, padded, radius, width);
            java.util.Arrays.fill(padded, radius + width, padded.length, map[row + width - 1]);
            for (int k = 0; k < kernel.length; k++) {
                float weight = kernel[k];
                for (int x = 0; x < width; x++) {
                    tmp[row + x] += weight * padded[x + k];
                }
            }
        }
        float[] out = new float[map.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int k = -radius; k <= radius; k++) {
                float weight = kernel[k + radius];
                int source = Math.min(height - 1, Math.max(0, y + k)) * width;
                for (int x = 0; x < width; x++) {
                    out[row + x] += weight * tmp[source + x];
                }
            }
        }
        return out;
    }

    /**
     * Resizes with the project's one resampling ({@code FloatPlanes.resize}, as {@code RgbImage.resize}):
     * bilinear where an axis grows (maps to image size), area-averaging where it shrinks.
     *
     * @param map       width x height values
     * @param width     source width
     * @param height    source height
     * @param newWidth  target width
     * @param newHeight target height
     * @return the resized map (a copy even when the size is unchanged)
     */
    public static float[] resize(float[] map, int width, int height, int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return map.clone();
        }
        float[] out = new float[newWidth * newHeight];
        FloatPlanes.resize(map, 0, width, height, out, 0, newWidth, newHeight);
        return out;
    }

    /**
     * @param map values
     * @param k   how many of the largest values to average (capped at the map size)
     * @return the mean of the k largest values
     */
    public static double topKMean(float[] map, int k) {
        int n = Math.min(k, map.length);
        // a min-heap of the n largest values seen so far: O(length log n) instead of a full sort
        float[] heap = new float[n];
        int size = 0;
        for (float v : map) {
            if (size < n) {
                heap[size] = v;
                siftUp(heap, size++);
            } else if (v > heap[0]) {
                heap[0] = v;
                siftDown(heap, n);
            }
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += heap[i];
        }
        return sum / size;
    }

    private static void siftUp(float[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= heap[i]) {
                return;
            }
            float t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(float[] heap, int size) {
        int i = 0;
        while (true) {
            int smallest = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && heap[l] < heap[smallest]) {
                smallest = l;
            }
            if (r < size && heap[r] < heap[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return;
            }
            float t = heap[smallest];
            heap[smallest] = heap[i];
            heap[i] = t;
            i = smallest;
        }
    }

    /**
     * @param map values
     * @return the largest value
     */
    public static double max(float[] map) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * Every {@code step}-th value, for quantiles over many large maps at bounded cost.
     *
     * @param map  values
     * @param step stride (1 keeps all)
     * @return the sampled values
     */
    public static float[] every(float[] map, int step) {
        float[] out = new float[(map.length + step - 1) / step];
        for (int i = 0, j = 0; i < map.length; i += step, j++) {
            out[j] = map[i];
        }
        return out;
    }
}
