package dmdd.app.gui.inspection;

/**
 * The outline of the region where a map reaches a threshold: pixels inside the region with a
 * 4-neighbour outside it (or on the image border). Drawn on all four panels as the defect contour.
 */
public final class Contours {
    private Contours() {
    }

    /**
     * Boundary pixels of {@code map >= threshold}.
     *
     * @param map       row-major scores
     * @param width     map width
     * @param height    map height
     * @param threshold pixel threshold
     * @return true at boundary pixels
     */
    public static boolean[] boundary(float[] map, int width, int height, double threshold) {
        boolean[] edge = new boolean[map.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (map[i] < threshold) {
                    continue;
                }
                edge[i] = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || map[i - 1] < threshold || map[i + 1] < threshold
                        || map[i - width] < threshold || map[i + width] < threshold;
            }
        }
        return edge;
    }

    /**
     * The contour as ARGB pixels (colour where the boundary is, transparent elsewhere).
     *
     * @param edge  boundary pixels
     * @param argb  contour colour
     * @return ARGB pixels
     */
    public static int[] paint(boolean[] edge, int argb) {
        int[] pixels = new int[edge.length];
        for (int i = 0; i < edge.length; i++) {
            pixels[i] = edge[i] ? argb : 0;
        }
        return pixels;
    }
}
