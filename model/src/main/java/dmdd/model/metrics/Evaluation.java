package dmdd.model.metrics;

import dmdd.datasets.image.Mask;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects a test set image by image (image score, the three anomaly maps, the ground-truth mask) and
 * computes the {@link EvaluationReport}. The command line and the GUI both evaluate through this class.
 * Memory: 4 bytes per pixel for each map plus 4 for the ground truth; the metrics sort one map at a time. A test
 * set of more pixels than the heap has room for (hundreds of camera frames at their masks' resolution) keeps its
 * image metrics and reports its pixel metrics as left out, with the reason, instead of ending the run.
 */
public final class Evaluation {
    /**
     * Heap bytes per pixel at the peak of {@link #report}: three maps and the region ids held (16), up to as much
     * again in growth slack, and a map's copy, ranking and labels while one metric runs.
     */
    static final long BYTES_PER_PIXEL = 40;
    /** The pixels this evaluation holds at most; beyond them the pixel metrics are left out, not the run. */
    private final long pixelBudget;
    private long requestedPixels;
    private boolean pixelsLeftOut;
    private PixelGroundTruth groundTruth = new PixelGroundTruth();
    /** Image scores as the inspection gave them: a verdict compares them, unrounded, with a threshold. */
    private double[] imageScores = new double[64];
    private int images;
    private FloatList normality = new FloatList();
    private FloatList abnormality = new FloatList();
    private FloatList fused = new FloatList();
    private boolean[] imageLabels = new boolean[64];

    /** An evaluation holding as many pixels as this Java's heap has room for ({@link #heapPixelBudget()}). */
    public Evaluation() {
        this(heapPixelBudget());
    }

    /**
     * @param pixelBudget the pixels the pixel metrics may hold at most: a test set with more (camera frames, at their
     *                    masks' resolution) gets its image metrics and a note instead of running out of memory
     */
    public Evaluation(long pixelBudget) {
        this.pixelBudget = pixelBudget;
    }

    /** @return the pixels the heap has room for: all of it but a reserve (a quarter, at most 1 GiB) for the rest */
    public static long heapPixelBudget() {
        long max = Runtime.getRuntime().maxMemory();
        long reserve = Math.min(1L << 30, max / 4);
        return Math.max(1L << 20, (max - reserve) / BYTES_PER_PIXEL);
    }

    /**
     * Adds one test image.
     *
     * @param imageScore  its image score
     * @param defective   its label (from its folder or a person's annotation, never from a resized mask)
     * @param normalityMap  the normality map (row-major, mask resolution)
     * @param abnormalityMap the abnormality map
     * @param fusedMap    the fused map
     * @param mask        the ground truth at the maps' resolution (empty for a good image)
     */
    public void add(double imageScore, boolean defective, float[] normalityMap, float[] abnormalityMap, float[] fusedMap, Mask mask) {
        int n = mask.width() * mask.height();
        if (normalityMap.length != n || abnormalityMap.length != n || fusedMap.length != n) {
            throw new IllegalArgumentException("maps have " + normalityMap.length + "/" + abnormalityMap.length + "/"
                    + fusedMap.length + " pixels but the mask has " + n + "; resize the mask to the map size");
        }
        addImageOnly(imageScore, defective);
        requestedPixels += n;
        if (!pixelsLeftOut && requestedPixels > pixelBudget) {
            // the pixels held so far go too: metrics over part of the test set would look like the whole's
            pixelsLeftOut = true;
            groundTruth = new PixelGroundTruth();
            normality = new FloatList();
            abnormality = new FloatList();
            fused = new FloatList();
        }
        if (pixelsLeftOut) {
            return;
        }
        groundTruth.add(mask);
        normality.addAll(normalityMap);
        abnormality.addAll(abnormalityMap);
        fused.addAll(fusedMap);
    }

    /**
     * Adds one test image to the image-level metrics only: a person labelled it but painted no mask, so its label
     * is known and where its defect lies is not (its pixels would count as normal ones).
     *
     * @param imageScore its image score
     * @param defective  its label
     */
    public void addImageOnly(double imageScore, boolean defective) {
        if (images == imageLabels.length) {
            imageLabels = Arrays.copyOf(imageLabels, 2 * images);
            imageScores = Arrays.copyOf(imageScores, 2 * images);
        }
        imageLabels[images] = defective;
        imageScores[images] = imageScore;
        images++;
    }

    /** @return whether the test set's pixels were more than this evaluation may hold, so pixel metrics are left out */
    public boolean pixelsLeftOut() {
        return pixelsLeftOut;
    }

    /** @return images added so far */
    public int imageCount() {
        return images;
    }

    /**
     * Computes all metrics.
     *
     * @param seconds the wall-clock time to report (inference plus metrics, as the caller measured it)
     * @return the report
     */
    public EvaluationReport report(double seconds) {
        Map<String, String> notes = new LinkedHashMap<>();
        RankedScores ranked = rankedImages();
        MetricValue imageAuroc = note(notes, "image_auroc", Auroc.compute(ranked));
        MetricValue imageF1 = note(notes, "image_f1max", F1Max.compute(ranked).f1());
        if (pixelsLeftOut) {
            String why = String.format(java.util.Locale.ROOT, "left out: the test set's %.0f megapixels at this "
                    + "resolution need about %.1f GB for the pixel metrics, more than this Java may use (%.1f GB); "
                    + "measure at the network's resolution (eval --pixel-resolution input) or give Java more memory "
                    + "(java -Xmx...)", requestedPixels / 1e6, requestedPixels * BYTES_PER_PIXEL / 1e9,
                    Runtime.getRuntime().maxMemory() / 1e9);
            Map<String, EvaluationReport.MapMetrics> none = new LinkedHashMap<>();
            for (String kind : new String[] {EvaluationReport.NORMALITY, EvaluationReport.ABNORMALITY,
                    EvaluationReport.FUSED}) {
                none.put(kind, new EvaluationReport.MapMetrics(null, null));
            }
            notes.put("pixel_auroc", why);
            notes.put("aupro", why);
            notes.put("pixel_ap", why);
            return new EvaluationReport(imageAuroc.orNull(), null, null, null, imageF1.orNull(), images, 0, seconds,
                    none, notes);
        }
        boolean[] pixelLabels = groundTruth.labels();
        Map<String, EvaluationReport.MapMetrics> maps = new LinkedHashMap<>();
        MetricValue fusedAuroc = null;
        MetricValue fusedAupro = null;
        MetricValue fusedAp = null;
        for (String kind : new String[] {EvaluationReport.NORMALITY, EvaluationReport.ABNORMALITY,
                EvaluationReport.FUSED}) {
            float[] scores = switch (kind) {
                case EvaluationReport.NORMALITY -> normality.toArray();
                case EvaluationReport.ABNORMALITY -> abnormality.toArray();
                default -> fused.toArray();
            };
            RankedScores rankedPixels = RankedScores.of(scores, pixelLabels);
            MetricValue auroc = Auroc.compute(rankedPixels);
            MetricValue aupro = Aupro.compute(scores, groundTruth, Aupro.DEFAULT_FPR_LIMIT);
            maps.put(kind, new EvaluationReport.MapMetrics(auroc.orNull(), aupro.orNull()));
            if (kind.equals(EvaluationReport.FUSED)) {
                fusedAuroc = note(notes, "pixel_auroc", auroc);
                fusedAupro = note(notes, "aupro", aupro);
                fusedAp = note(notes, "pixel_ap", AveragePrecision.compute(rankedPixels));
            }
        }
        return new EvaluationReport(imageAuroc.orNull(), fusedAuroc.orNull(), fusedAupro.orNull(), fusedAp.orNull(),
                imageF1.orNull(), images, groundTruth.pixelCount(), seconds, maps, notes);
    }

    /**
     * The image-level ROC curve of the image scores (for charts; same ranking as {@link #report}).
     *
     * @param maxPoints at most this many points (at least 2)
     * @return the curve; empty when the test set lacks good or defective images
     */
    public Curve imageRocCurve(int maxPoints) {
        return Auroc.curve(rankedImages(), maxPoints);
    }

    /**
     * The pixel-level ROC curve of the fused map over the whole test set (for charts).
     *
     * @param maxPoints at most this many points (at least 2)
     * @return the curve; empty when there is no defect or no normal pixel
     */
    public Curve pixelRocCurve(int maxPoints) {
        return Auroc.curve(RankedScores.of(fused.toArray(), groundTruth.labels()), maxPoints);
    }

    /**
     * The per-region-overlap curve of the fused map up to FPR 0.3, the curve whose area is the AUPRO.
     *
     * @param maxPoints at most this many points (at least 2)
     * @return the curve; empty when undefined
     */
    public Curve proCurve(int maxPoints) {
        return Aupro.curve(fused.toArray(), groundTruth, Aupro.DEFAULT_FPR_LIMIT, maxPoints);
    }

    /** @return the image scores in the order the images were added, as given (not rounded to float) */
    public double[] imageScores() {
        return Arrays.copyOf(imageScores, images);
    }

    /** @return per image in the order added, whether it is labelled defective */
    public boolean[] imageLabels() {
        return Arrays.copyOf(imageLabels, images);
    }

    /** The image scores ranked for AUROC and F1 (whose rankers work in float, as for the maps' pixels). */
    private RankedScores rankedImages() {
        float[] scores = new float[images];
        for (int i = 0; i < images; i++) {
            scores[i] = (float) imageScores[i];
        }
        return RankedScores.of(scores, imageLabels());
    }

    private static MetricValue note(Map<String, String> notes, String key, MetricValue value) {
        if (!value.isDefined()) {
            notes.put(key, value.reason());
        }
        return value;
    }

    /** A growable float array: boxing millions of pixel scores into a List would cost 4x the memory. */
    private static final class FloatList {
        private float[] values = new float[1 << 16];
        private int size;

        void add(float v) {
            ensure(size + 1);
            values[size++] = v;
        }

        void addAll(float[] v) {
            ensure(size + v.length);
            System.arraycopy(v, 0, values, size, v.length);
            size += v.length;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }

        private void ensure(int capacity) {
            if (capacity > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16,
                        Math.max(capacity, 2L * values.length)));
            }
        }
    }
}
