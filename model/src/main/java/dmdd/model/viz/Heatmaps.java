package dmdd.model.viz;

import dmdd.datasets.image.RgbImage;
import java.awt.image.BufferedImage;

/**
 * Turns anomaly maps into pictures: a heatmap (colour only) and an overlay (the colour blended onto the
 * inspected image, more opaque where the score is higher). Pixels are ARGB {@code int}s, row-major, so
 * the GUI can write them straight into a JavaFX {@code WritableImage} and the command line into a PNG.
 */
public final class Heatmaps {
    private Heatmaps() {
    }

    /**
     * Scales a score into [0, 1] over a calibrated display range.
     *
     * @param score the score
     * @param low   score shown as 0 (for example the normal median)
     * @param high  score shown as 1 (for example a high normal quantile times a headroom)
     * @return the clamped position
     */
    public static double scale(float score, double low, double high) {
        if (!(high > low)) {
            return score > low ? 1 : 0;
        }
        return Math.max(0, Math.min(1, (score - low) / (high - low)));
    }

    /**
     * @param map      row-major scores
     * @param low      score at the bottom of the colour scale
     * @param high     score at the top of the colour scale
     * @param colormap the colour table
     * @return ARGB pixels, same length as the map
     */
    public static int[] heatmap(float[] map, double low, double high, Colormap colormap) {
        int[] out = new int[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = colormap.argb(scale(map[i], low, high));
        }
        return out;
    }

    /**
     * Blends the heatmap onto the image: opacity grows with the scaled score from 0 up to
     * {@code maxOpacity}, so normal areas show the image unchanged and defects show in colour.
     *
     * @param image      the inspected image, same size as the map
     * @param map        row-major scores
     * @param low        score at the bottom of the colour scale
     * @param high       score at the top of the colour scale
     * @param colormap   the colour table
     * @param maxOpacity opacity of the colour at the top of the scale, in [0, 1]
     * @return ARGB pixels
     */
    public static int[] overlay(RgbImage image, float[] map, double low, double high, Colormap colormap,
                                double maxOpacity) {
        int w = image.width();
        int h = image.height();
        if (map.length != w * h) {
            throw new IllegalArgumentException("map has " + map.length + " pixels, image " + w + "x" + h);
        }
        float[] chw = image.chw();
        int plane = w * h;
        int[] out = new int[plane];
        for (int i = 0; i < plane; i++) {
            double t = scale(map[i], low, high);
            int c = colormap.argb(t);
            double a = maxOpacity * t;
            int r = blend(chw[i], (c >> 16) & 0xff, a);
            int g = blend(chw[plane + i], (c >> 8) & 0xff, a);
            int b = blend(chw[2 * plane + i], c & 0xff, a);
            out[i] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return out;
    }

    private static int blend(float base01, int colour, double alpha) {
        double v = (1 - alpha) * base01 * 255 + alpha * colour;
        return (int) Math.round(Math.max(0, Math.min(255, v)));
    }

    /**
     * @param argb   row-major ARGB pixels
     * @param width  width in pixels
     * @param height height in pixels
     * @return an RGB image holding them (for writing PNGs)
     */
    public static BufferedImage toBufferedImage(int[] argb, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }
}
