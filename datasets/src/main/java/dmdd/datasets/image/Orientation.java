package dmdd.datasets.image;

/**
 * The eight ways a square picture can lie (the dihedral group: four quarter turns, each optionally mirrored).
 * A texture has no up or left, so a model of one may train on its normal images in every orientation and see
 * eight times the normal variety; a part with a fixed pose (a nut whose defect is lying upside down) must not.
 * EXIF orientations are the same eight ({@link ImageReader#orient}).
 */
public final class Orientation {
    /** How many orientations there are. */
    public static final int COUNT = 8;

    private Orientation() {
    }

    /**
     * The image turned and mirrored: orientation {@code k} mirrors left-right when bit 0 is set, then turns by
     * {@code k >> 1} quarter turns clockwise. Orientation 0 is the image itself.
     *
     * @param image       the image (turns swap its width and height)
     * @param orientation 0 to 7
     * @return the turned image (the image itself for orientation 0)
     */
    public static RgbImage apply(RgbImage image, int orientation) {
        if (orientation < 0 || orientation >= COUNT) {
            throw new IllegalArgumentException("orientation must be in [0, 8): " + orientation);
        }
        if (orientation == 0) {
            return image;
        }
        boolean mirror = (orientation & 1) != 0;
        int turns = orientation >> 1;
        int w = image.width();
        int h = image.height();
        int ow = turns % 2 == 0 ? w : h;
        int oh = turns % 2 == 0 ? h : w;
        float[] src = image.chw();
        float[] out = new float[src.length];
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int mx = mirror ? w - 1 - x : x;
                int tx;
                int ty;
                switch (turns) {
                    case 0 -> { tx = mx; ty = y; }
                    case 1 -> { tx = h - 1 - y; ty = mx; }
                    case 2 -> { tx = w - 1 - mx; ty = h - 1 - y; }
                    default -> { tx = y; ty = w - 1 - mx; }
                }
                int from = y * w + x;
                int to = ty * ow + tx;
                out[to] = src[from];
                out[plane + to] = src[plane + from];
                out[2 * plane + to] = src[2 * plane + from];
            }
        }
        return RgbImage.of(ow, oh, out);
    }
}
