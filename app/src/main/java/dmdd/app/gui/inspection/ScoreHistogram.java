package dmdd.app.gui.inspection;

/**
 * Score counts of normal (held-out) and inspected images over shared bins.
 *
 * @param min       lower edge of the first bin
 * @param max       upper edge of the last bin
 * @param normal    counts of normal images per bin
 * @param inspected counts of inspected images per bin
 */
public record ScoreHistogram(double min, double max, int[] normal, int[] inspected) {

    /**
     * Bins two score sets over the range that holds both and the threshold.
     *
     * @param normalScores    held-out normal scores
     * @param inspectedScores inspected scores (NaN ignored)
     * @param okBelow         the OK-below image threshold, kept inside the range
     * @param ngAbove         the NG-above image threshold, kept inside the range
     * @param bins            number of bins
     * @return the histogram
     */
    public static ScoreHistogram of(double[] normalScores, double[] inspectedScores, double okBelow, double ngAbove,
            int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] scores : new double[][] {normalScores, inspectedScores, {okBelow, ngAbove}}) {
            for (double s : scores) {
                if (Double.isFinite(s)) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
            }
        }
        if (!Double.isFinite(min)) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-9) {
            max = min + 1;
        }
        double pad = (max - min) * 0.05;
        min -= pad;
        max += pad;
        return new ScoreHistogram(min, max, count(normalScores, min, max, bins), count(inspectedScores, min, max, bins));
    }

    private static int[] count(double[] scores, double min, double max, int bins) {
        int[] counts = new int[bins];
        for (double s : scores) {
            if (Double.isFinite(s)) {
                int bin = (int) ((s - min) / (max - min) * bins);
                counts[Math.max(0, Math.min(bins - 1, bin))]++;
            }
        }
        return counts;
    }

    /**
     * Position of a score along the axis.
     *
     * @param score a score
     * @return 0 at {@link #min}, 1 at {@link #max}
     */
    public double position(double score) {
        return (score - min) / (max - min);
    }

    /** @return the largest count of either set (at least 1) */
    public int peak() {
        int peak = 1;
        for (int c : normal) {
            peak = Math.max(peak, c);
        }
        for (int c : inspected) {
            peak = Math.max(peak, c);
        }
        return peak;
    }
}
