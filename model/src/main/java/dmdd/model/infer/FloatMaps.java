package dmdd.model.infer;

import dmdd.datasets.image.FloatPlanes;

/** Operations on row-major single-channel float maps: resize, top-k mean, subsampling ({@link GaussianBlur} blurs). */
public final class FloatMaps {
    private FloatMaps() {
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
