package dmdd.model.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Image AUROC of each kind of defect alone: that kind's images against every good image. One image AUROC over all
 * kinds hides which defects a model misses (on the first development benchmark a grass model finds every stain and
 * orders its cracks no better than chance, which averages to 0.64); per kind, a person sees what to expect from
 * the verdict on each defect.
 *
 * <p>The kind of a test image is the first folder of its name, as in MVTec AD's {@code test/<kind>/000.png}.
 */
public final class ImageAurocByKind {
    /** The kind given to a defective image whose name has no folder. */
    public static final String UNNAMED_KIND = "defect";

    private ImageAurocByKind() {
    }

    /**
     * @param name a test image's name relative to its category's {@code test} folder ({@code crack/000.png}),
     *             with {@code /} or {@code \} between folders
     * @return its first folder, or {@link #UNNAMED_KIND} when it has none
     */
    public static String kindOf(String name) {
        String n = name.replace('\\', '/');
        int slash = n.indexOf('/');
        return slash > 0 ? n.substring(0, slash) : UNNAMED_KIND;
    }

    /**
     * @param images one entry per evaluated test image: its name and score, defective or not
     * @return per kind of defect (sorted by name), the AUROC of its images' scores against all good images'; undefined
     *         for every kind when there is no good image
     */
    public static SortedMap<String, MetricValue> compute(List<ScoredImage> images) {
        List<Double> good = new ArrayList<>();
        SortedMap<String, List<Double>> byKind = new TreeMap<>();
        for (ScoredImage i : images) {
            if (i.defective()) {
                byKind.computeIfAbsent(kindOf(i.name()), k -> new ArrayList<>()).add(i.score());
            } else {
                good.add(i.score());
            }
        }
        SortedMap<String, MetricValue> out = new TreeMap<>();
        for (Map.Entry<String, List<Double>> e : byKind.entrySet()) {
            int n = e.getValue().size() + good.size();
            float[] scores = new float[n];
            boolean[] labels = new boolean[n];
            int k = 0;
            for (double s : e.getValue()) {
                scores[k] = (float) s;
                labels[k++] = true;
            }
            for (double s : good) {
                scores[k++] = (float) s;
            }
            out.put(e.getKey(), Auroc.compute(scores, labels));
        }
        return out;
    }

    /**
     * One evaluated test image.
     *
     * @param name      its name relative to the category's {@code test} folder
     * @param score     its image score
     * @param defective whether it is labelled defective
     */
    public record ScoredImage(String name, double score, boolean defective) {
    }
}
