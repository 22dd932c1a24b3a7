package dmdd.model.metrics;

import dmdd.datasets.image.Mask;

/**
 * Labels the connected defect regions of a mask with 8-connectivity (diagonal neighbours join), as
 * anomalib's PRO does through OpenCV's {@code connectedComponents} default and as the MVTec AD
 * evaluation script does with a 3x3 structuring element.
 */
public final class ConnectedRegions {
    private final int[] labels;
    private final int[] sizes;

    private ConnectedRegions(int[] labels, int[] sizes) {
        this.labels = labels;
        this.sizes = sizes;
    }

    /**
     * @param mask a defect mask
     * @return its regions
     */
    public static ConnectedRegions of(Mask mask) {
        int w = mask.width();
        int h = mask.height();
        boolean[] on = mask.toBooleans();
        int[] labels = new int[w * h];
        int[] queue = new int[w * h];
        int[] sizes = new int[8];
        int count = 0;
        for (int start = 0; start < on.length; start++) {
            if (!on[start] || labels[start] != 0) {
                continue;
            }
            count++;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            labels[start] = count;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int y = py + dy;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx;
                        int q = y * w + x;
                        if (x >= 0 && x < w && on[q] && labels[q] == 0) {
                            labels[q] = count;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            if (count >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            sizes[count] = tail;
        }
        return new ConnectedRegions(labels, java.util.Arrays.copyOf(sizes, count + 1));
    }

    /** @return number of regions */
    public int count() {
        return sizes.length - 1;
    }

    /**
     * @param index row-major pixel index
     * @return the pixel's region, 1..count, or 0 for a normal pixel
     */
    public int label(int index) {
        return labels[index];
    }

    /**
     * @param region 1..count
     * @return its area in pixels
     */
    public int size(int region) {
        return sizes[region];
    }
}
