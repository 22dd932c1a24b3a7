package dmdd.model.infer;

import dmdd.model.dmdd.DmddSettings;
import dmdd.model.metrics.ThresholdFitting;
import java.util.Arrays;
import java.util.List;

/**
 * Decision thresholds and display ranges, fitted on held-out NORMAL training images (never on test
 * images): an image is OK when its score is at or below {@code image} (OK-below), NG when it exceeds
 * {@code imageNg} (NG-above) and unsure in between ({@link dmdd.model.pipeline.Verdict}); a pixel is
 * defective when its fused value exceeds {@code pixel}. Each map's colour scale runs from {@code low} (the median normal
 * pixel) to {@code high} ({@code displayQuantile} of normal pixels times {@code displayHeadroom}),
 * so normal images look calm and defects stand out.
 *
 * @param image       OK-below image-score threshold ({@code imageThresholdQuantile} of the normal scores)
 * @param imageNg     NG-above image-score threshold: the {@code imageNgThresholdQuantile} of the normal scores, or,
 *                    when too few images were held out for that quantile to lie in their tail, the larger of it and
 *                    their prediction bound at that probability ({@link ThresholdFitting#normalPredictionBound}); at
 *                    least {@code image}; models saved before it existed read it as {@code image} (no unsure band)
 * @param pixel       fused-map pixel threshold (normal-pixel quantile)
 * @param normality   display range of the normality map
 * @param abnormality display range of the abnormality map
 * @param fused       display range of the fused map
 * @param scores      statistics of the normal images' scores
 * @param fittedOn    {@code validation} (held-out normal images) or {@code training} (fallback when
 *                    too few images were given to hold any out)
 */
public record Thresholds(double image, double imageNg, double pixel, Range normality, Range abnormality,
        Range fused, ScoreStatistics scores, String fittedOn) {

    /**
     * Keeps the thresholds usable: every threshold a finite number (an infinite or missing one would call every
     * image OK, or every one NG), every display range present with finite ends, and the unsure band well formed:
     * NG-above never below OK-below.
     */
    public Thresholds {
        if (!Double.isFinite(image) || !Double.isFinite(imageNg) || !Double.isFinite(pixel)) {
            throw new IllegalArgumentException("the thresholds must be finite numbers: image " + image + ", imageNg "
                    + imageNg + ", pixel " + pixel);
        }
        requireRange("normality", normality);
        requireRange("abnormality", abnormality);
        requireRange("fused", fused);
        if (!(imageNg >= image)) {
            throw new IllegalArgumentException("the NG-above threshold " + imageNg
                    + " must not be below the OK-below threshold " + image);
        }
    }

    /**
     * The same model's thresholds with other image thresholds (the user's, from the screen or a project).
     *
     * @param okBelow the OK-below image threshold
     * @param ngAbove the NG-above image threshold
     * @return the copy
     */
    public Thresholds withImage(double okBelow, double ngAbove) {
        return new Thresholds(okBelow, ngAbove, pixel, normality, abnormality, fused, scores, fittedOn);
    }

    /**
     * These (the model's) thresholds with the image and pixel thresholds a user set (colour ranges unchanged).
     *
     * @param image   the OK-below image threshold to use, or NaN for this one
     * @param imageNg the NG-above image threshold to use, or NaN for this one
     * @param pixel   the pixel threshold to use, or NaN for this one
     * @return the thresholds the user's verdicts are given by; a band that would be inverted closes as the
     *         workstation's sliders close it: the threshold the user set carries the other along (an OK-below set
     *         above this NG-above raises it, an NG-above set under this OK-below lowers it), so a person's NG-above is
     *         never raised into calling their defects OK
     */
    public Thresholds withUserThresholds(double image, double imageNg, double pixel) {
        double ok = Double.isFinite(image) ? image : this.image;
        double ng = Double.isFinite(imageNg) ? imageNg : this.imageNg;
        if (ng < ok) {
            if (Double.isFinite(imageNg) && !Double.isFinite(image)) {
                ok = ng;
            } else {
                ng = ok;
            }
        }
        return new Thresholds(ok, ng, Double.isFinite(pixel) ? pixel : this.pixel, normality, abnormality, fused,
                scores, fittedOn);
    }

    private static void requireRange(String map, Range range) {
        if (range == null) {
            throw new IllegalArgumentException("the " + map + " map's display range is missing");
        }
        if (!Double.isFinite(range.low()) || !Double.isFinite(range.high()) || range.high() < range.low()) {
            throw new IllegalArgumentException("the " + map + " map's display range must run from one finite number up "
                    + "to another: " + range.low() + " to " + range.high());
        }
    }

    /** Keeps about two million pixels per map for the pixel quantiles. */
    private static final long MAX_PIXELS = 2_000_000L;

    /**
     * A display range.
     *
     * @param low  value shown with the bottom colour
     * @param high value shown with the top colour
     */
    public record Range(double low, double high) {
    }

    /**
     * Summary of normal image scores.
     *
     * @param count  images
     * @param mean   mean score
     * @param std    standard deviation
     * @param min    smallest
     * @param median median
     * @param max    largest
     */
    public record ScoreStatistics(int count, double mean, double std, double min, double median, double max) {
        static ScoreStatistics of(double[] scores) {
            double mean = 0;
            for (double s : scores) {
                mean += s;
            }
            mean /= scores.length;
            double var = 0;
            for (double s : scores) {
                var += (s - mean) * (s - mean);
            }
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            return new ScoreStatistics(scores.length, mean, Math.sqrt(var / scores.length), sorted[0],
                    ThresholdFitting.quantileOfSorted(sorted, 0.5), sorted[sorted.length - 1]);
        }
    }

    /**
     * The project's one verdict rule, shared by the command line, the export and the GUI (whose
     * threshold control moves the threshold without re-running the model): a score strictly above
     * the threshold is defective, so a threshold fitted as the highest normal score keeps that
     * normal image OK.
     *
     * @param score     image score
     * @param threshold image threshold
     * @return whether the score means "defective"
     */
    public static boolean exceeds(double score, double threshold) {
        return score > threshold;
    }

    /**
     * Fits thresholds and ranges on normal images.
     *
     * @param normal   the inspector's results for held-out normal images (at least one)
     * @param settings the model's settings (quantiles and headroom)
     * @param fittedOn {@code validation} or {@code training}
     * @return the thresholds
     */
    public static Thresholds fit(List<AnomalyMaps> normal, DmddSettings settings, String fittedOn) {
        if (normal.isEmpty()) {
            throw new IllegalArgumentException("thresholds need at least one normal image");
        }
        double[] scores = new double[normal.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = normal.get(i).score();
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("the model scores normal images as " + scores[i]
                        + ", not a number: its weights are not finite (training diverged); train again with a lower "
                        + "learning rate or another seed");
            }
        }
        double imageThreshold = ThresholdFitting.normalQuantile(scores, settings.imageThresholdQuantile());
        double ngThreshold = ngAbove(scores, settings.imageNgThresholdQuantile());
        double[] fusedPixels = sortedPixels(normal, "fused");
        double pixelThreshold = ThresholdFitting.quantileOfSorted(fusedPixels, settings.pixelThresholdQuantile());
        return new Thresholds(imageThreshold, Math.max(imageThreshold, ngThreshold), pixelThreshold, range(sortedPixels(normal, "normality"), settings),
                range(sortedPixels(normal, "abnormality"), settings), range(fusedPixels, settings),
                ScoreStatistics.of(scores), fittedOn);
    }

    /**
     * The NG-above threshold. OK-below stays the empirical quantile (no image scoring above nearly every held-out
     * normal one is called OK); NG-above too when the set is large enough to hold a share 1 - q of its images above
     * it. A smaller set's high quantiles all lie at its highest score, so there NG-above is at least the prediction
     * bound, which leaves an unsure band for a person to decide instead of an automatic NG.
     */
    private static double ngAbove(double[] scores, double quantile) {
        double empirical = ThresholdFitting.normalQuantile(scores, quantile);
        if (scores.length * (1 - quantile) >= 1) {
            return empirical;
        }
        return Math.max(empirical, ThresholdFitting.normalPredictionBound(scores, quantile).orElse(empirical));
    }

    private static Range range(double[] sortedPixels, DmddSettings settings) {
        double low = ThresholdFitting.quantileOfSorted(sortedPixels, 0.5);
        double top = ThresholdFitting.quantileOfSorted(sortedPixels, settings.displayQuantile());
        double high = Math.max(top * settings.displayHeadroom(), low + 1e-6);
        return new Range(low, high);
    }

    /** The maps' pixels (every step-th when there are more than {@link #MAX_PIXELS}), sorted once for all quantiles. */
    private static double[] sortedPixels(List<AnomalyMaps> maps, String which) {
        long total = 0;
        for (AnomalyMaps m : maps) {
            total += m.map(which).length;
        }
        int step = (int) Math.max(1, (total + MAX_PIXELS - 1) / MAX_PIXELS);
        float[][] parts = new float[maps.size()][];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = FloatMaps.every(maps.get(i).map(which), step);
            n += parts[i].length;
        }
        double[] all = new double[n];
        int at = 0;
        for (float[] p : parts) {
            for (float v : p) {
                all[at++] = v;
            }
        }
        Arrays.sort(all);
        return all;
    }
}
