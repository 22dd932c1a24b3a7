package dmdd.model.viz;

/**
 * A fixed 256-entry colour lookup table for anomaly heatmaps. One map for the command line and the GUI
 * so that a colour means the same score everywhere. Values are first scaled by a model's calibrated
 * range (see {@link Heatmaps}), never per image: an image without defects must look calm, not be
 * stretched until its noise glows.
 */
public enum Colormap {
    /**
     * Google's Turbo (Mikhailov, 2019; Apache 2.0), from its published polynomial approximation:
     * perceptually smoother than jet, dark blue for normal, red for defective.
     */
    TURBO {
        @Override
        int[] computeRgb(double t) {
            double r = 0.13572138 + t * (4.61539260 + t * (-42.66032258 + t * (132.13108234
                    + t * (-152.94239396 + t * 59.28637943))));
            double g = 0.09140261 + t * (2.19418839 + t * (4.84296658 + t * (-14.18503333
                    + t * (4.27729857 + t * 2.82956604))));
            double b = 0.10667330 + t * (12.64194608 + t * (-60.58204836 + t * (110.36276771
                    + t * (-89.90310912 + t * 27.34824973))));
            return new int[] {to8(r), to8(g), to8(b)};
        }
    },
    /** Plain grey ramp, for printing and for colour-blind checks. */
    GRAY {
        @Override
        int[] computeRgb(double t) {
            int v = to8(t);
            return new int[] {v, v, v};
        }
    };

    private int[] lut;

    abstract int[] computeRgb(double t);

    private static int to8(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    private int[] table() {
        if (lut == null) {
            int[] t = new int[256];
            for (int i = 0; i < 256; i++) {
                int[] c = computeRgb(i / 255.0);
                t[i] = 0xff000000 | c[0] << 16 | c[1] << 8 | c[2];
            }
            lut = t;
        }
        return lut;
    }

    /**
     * @param t a value in [0, 1] (clamped; NaN maps to 0)
     * @return opaque ARGB colour
     */
    public int argb(double t) {
        double c = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        return table()[(int) Math.round(c * 255)];
    }
}
