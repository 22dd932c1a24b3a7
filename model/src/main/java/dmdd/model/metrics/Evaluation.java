package dmdd.model.metrics;

import dmdd.datasets.image.Mask;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects a test set image by image (image score, the three anomaly maps, the ground-truth mask) and
 * computes the {@link EvaluationReport}. The command line and the GUI both evaluate through this class.
 * Memory: 4 bytes per pixel for each map plus 4 for the ground truth; the metrics sort one map at a time.
 */
public final class Evaluation {
    private final PixelGroundTruth groundTruth = new PixelGroundTruth();
    /** Image scores as the inspection gave them: a verdict compares them, unrounded, with a threshold. */
    private double[] imageScores = new double[64];
    private int images;
    private final FloatList normality = new FloatList();
    private final FloatList abnormality = new FloatList();
    private final FloatList fused = new FloatList();
    private boolean[] imageLabels = new boolean[64];

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
