package dmdd.model.infer;

import dmdd.datasets.image.RgbImage;

/**
 * The tiling and zoom tests' surface: smooth paint with a fine grain, on which a 2 x 2 px dark pit is plain to see at
 * full resolution and a speck once the image is shrunk many times.
 */
final class PaintedSurface {
    private PaintedSurface() {
    }

    /**
     * @param side the square image's side
     * @param seed the grain's and the paint's phase
     * @return the surface
     */
    static RgbImage of(int side, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        double p1 = rng.nextDouble() * 6.28;
        double p2 = rng.nextDouble() * 6.28;
        int plane = side * side;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = 0.55 + 0.12 * Math.sin(x / 37.0 + p1) * Math.cos(y / 53.0 + p2) + 0.02 * rng.nextGaussian();
                int i = y * side + x;
                chw[i] = (float) v;
                chw[plane + i] = (float) (v * 0.97);
                chw[2 * plane + i] = (float) (v * 0.9);
            }
        }
        return RgbImage.of(side, side, chw);
    }

    /**
     * @param image a square surface
     * @param x     the pit's left column
     * @param y     its top row
     * @return the surface with a 2 x 2 px dark pit there
     */
    static RgbImage withPit(RgbImage image, int x, int y) {
        float[] chw = image.chw();
        int side = image.width();
        int plane = side * side;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                for (int c = 0; c < 3; c++) {
                    chw[c * plane + (y + dy) * side + x + dx] = 0.02f;
                }
            }
        }
        return RgbImage.of(side, side, chw);
    }

    /**
     * @param map a row-major map
     * @return the index of its largest value (the first of ties)
     */
    static int argmax(float[] map) {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return best;
    }
}
