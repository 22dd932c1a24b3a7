package dmdd.app.gui.inspection;

import dmdd.model.pipeline.Verdict;

/**
 * The outline of the region where a map reaches a threshold: pixels inside the region with a
 * 4-neighbour outside it (or on the image border). Drawn on all four panels as the defect contour.
 */
public final class Contours {
    private Contours() {
    }

    /**
     * Boundary pixels of the defect region at a pixel threshold: exactly the pixels {@link Verdict#defectPixels}
     * marks (the mask "Start from prediction" paints), so contour and mask agree at the boundary.
     *
     * @param map       row-major scores
     * @param width     map width
     * @param height    map height
     * @param threshold pixel threshold
     * @return true at boundary pixels
     */
    public static boolean[] boundary(float[] map, int width, int height, double threshold) {
        boolean[] inside = Verdict.defectPixels(map, width, height, threshold).toBooleans();
        boolean[] edge = new boolean[map.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (!inside[i]) {
                    continue;
                }
                edge[i] = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || !inside[i - 1] || !inside[i + 1] || !inside[i - width] || !inside[i + width];
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
