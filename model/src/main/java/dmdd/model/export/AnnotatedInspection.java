package dmdd.model.export;

import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.metrics.ConfusionMatrix;
import dmdd.model.metrics.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Inspects annotated images and measures the model against the annotations, for the GUI's metrics view
 * and the command line's {@code export}. Images are prepared exactly as {@code eval} prepares an MVTec
 * test set (read at the model's input size, resized to the square input, the mask resized to the image
 * and then to the map, nearest), so the same data gives the same numbers as {@code eval}. Images labelled
 * OK, and images labelled defective that have a mask, enter the {@link Evaluation}; a defect without a
 * painted mask cannot be scored at pixel level and is left out (as {@code eval} skips an MVTec defect
 * image without its mask), unlabelled images are only inspected.
 */
public final class AnnotatedInspection {
    private AnnotatedInspection() {
    }

    /**
     * One image to inspect.
     *
     * @param file       the image file
     * @param name       its name in exports (for example relative to the project)
     * @param annotation what a person said about it
     */
    public record Item(Path file, String name, ImageAnnotation annotation) {
    }

    /**
     * One inspected image.
     *
     * @param item      the input
     * @param score     image score
     * @param evaluated whether it entered the metrics
     */
    public record Outcome(Item item, double score, boolean evaluated) {
        /**
         * @param threshold an image threshold
         * @return the verdict at that threshold (defective when the score is above it, as {@code Thresholds})
         */
        public boolean defectiveAt(double threshold) {
            return score > threshold;
        }

        /**
         * @param threshold an image threshold
         * @return labelled defective (and evaluated) but passed at that threshold
         */
        public boolean missedDefectAt(double threshold) {
            return evaluated && item.annotation().label() == Label.DEFECT && !defectiveAt(threshold);
        }

        /**
         * @param threshold an image threshold
         * @return labelled OK but flagged at that threshold
         */
        public boolean falseAlarmAt(double threshold) {
            return evaluated && item.annotation().label() == Label.OK && defectiveAt(threshold);
        }
    }

    /** Receives every inspected image (to export it); may be {@code null}. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param item  the input
         * @param image the image as inspected (the model's square input size)
         * @param maps  the result
         * @throws IOException when writing fails
         */
        void accept(Item item, RgbImage image, AnomalyMaps maps) throws IOException;
    }

    /** Progress of a run. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done  images finished
         * @param total images in all
         */
        void update(int done, int total);
    }

    /**
     * The result of a run.
     *
     * @param outcomes    one per readable image, in input order
     * @param skipped     unreadable images with the reason
     * @param measurement metrics against the annotations at the model's image threshold, {@code null} when
     *                    no image could be evaluated
     * @param note        why there is no measurement or what it leaves out, or {@code null}
     */
    public record Result(List<Outcome> outcomes, List<ImportReport.Skipped> skipped, Measurement measurement,
                         String note) {
        /**
         * @param threshold an image threshold
         * @return evaluated images labelled defective that pass at that threshold
         */
        public List<Outcome> missedDefects(double threshold) {
            return outcomes.stream().filter(o -> o.missedDefectAt(threshold)).toList();
        }

        /**
         * @param threshold an image threshold
         * @return evaluated images labelled OK that are flagged at that threshold
         */
        public List<Outcome> falseAlarms(double threshold) {
            return outcomes.stream().filter(o -> o.falseAlarmAt(threshold)).toList();
        }

        /**
         * The image confusion matrix at another threshold than the model's (a threshold the user moved),
         * from the same image scores the measurement used.
         *
         * @param threshold an image threshold
         * @return the counts over the evaluated images
         */
        public ConfusionMatrix confusionAt(double threshold) {
            List<Outcome> evaluated = outcomes.stream().filter(Outcome::evaluated).toList();
            float[] scores = new float[evaluated.size()];
            boolean[] labels = new boolean[evaluated.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) evaluated.get(i).score();
                labels[i] = evaluated.get(i).item().annotation().label() == Label.DEFECT;
            }
            return ConfusionMatrix.at(scores, labels, Math.nextUp(threshold));
        }
    }

    /**
     * The images of an annotation store with their annotations, named by their path inside its images folder.
     *
     * @param store the annotations
     * @return every image below the store's images folder, sorted by path
     * @throws IOException when a folder cannot be listed or a mask cannot be read
     */
    public static List<Item> items(AnnotationStore store) throws IOException {
        List<Item> items = new ArrayList<>();
        if (java.nio.file.Files.isDirectory(store.imagesRoot())) {
            for (Path f : ImageFiles.listRecursively(store.imagesRoot())) {
                items.add(new Item(f, store.imagesRoot().relativize(f).toString().replace('\\', '/'), store.load(f)));
            }
        }
        return items;
    }

    /**
     * Inspects, measures and exports in one pass: every image goes to the exporter, then results.csv and
     * the report (with the measurement at the exporter's image threshold) are written.
     *
     * @param inspector an inspector with thresholds
     * @param items     the images
     * @param exporter  writes the results
     * @param title     the report's title
     * @param progress  progress receiver (may be null)
     * @param cancel    polled between batches (may be null)
     * @return outcomes, skipped files and the measurement
     * @throws IOException when writing fails
     */
    public static Result export(Inspector inspector, List<Item> items, ResultsExporter exporter, String title,
                                Progress progress, BooleanSupplier cancel) throws IOException {
        Result result = run(inspector, items, (item, image, maps) -> exporter.add(item.name(), image, maps,
                item.annotation().label()), progress, cancel, exporter.thresholds().image());
        exporter.finish(title, result.measurement(), result.note());
        return result;
    }

    /**
     * Inspects the images in batches and measures.
     *
     * @param inspector an inspector with thresholds (a model folder's)
     * @param items     the images
     * @param sink      receives each result (may be null)
     * @param progress  progress receiver (may be null)
     * @param cancel    polled between batches (may be null); a cancelled run throws {@link java.util.concurrent.CancellationException}
     * @return outcomes, skipped files and the measurement
     * @throws IOException when the sink fails
     */
public static Result run(Inspector inspector, List<Item> items, Sink sink, Progress progress,
                             BooleanSupplier cancel) throws IOException {
        if (inspector.thresholds() == null) {
            throw new IllegalArgumentException("the inspector has no thresholds: open it from a trained model folder");
        }
        return run(inspector, items, sink, progress, cancel, inspector.thresholds().image());
    }

    /**
     * {@link #run(Inspector, List, Sink, Progress, BooleanSupplier)} with the measurement's confusion matrix at
     * another image threshold than the model's (one the user moved).
     *
     * @param inspector      an inspector with thresholds (a model folder's)
     * @param items          the images
     * @param sink           receives each result (may be null)
     * @param progress       progress receiver (may be null)
     * @param cancel         polled between batches (may be null)
     * @param imageThreshold the image threshold for the confusion matrix
     * @return outcomes, skipped files and the measurement
     * @throws IOException when the sink fails
     */
    public static Result run(Inspector inspector, List<Item> items, Sink sink, Progress progress,
                             BooleanSupplier cancel, double imageThreshold) throws IOException {
        long started = System.nanoTime();
        if (inspector.thresholds() == null) {
            throw new IllegalArgumentException("the inspector has no thresholds: open it from a trained model folder");
        }
        int side = inspector.settings().imageSize();
        int batch = Inspector.DEFAULT_BATCH;
        ImageReader reader = new ImageReader(side);
        Evaluation evaluation = new Evaluation();
        List<Outcome> outcomes = new ArrayList<>();
        List<ImportReport.Skipped> skipped = new ArrayList<>();
        boolean defectWithoutMask = false;
        for (int i = 0; i < items.size(); i += batch) {
            if (cancel != null && cancel.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("cancelled");
            }
            List<Item> chunk = items.subList(i, Math.min(items.size(), i + batch));
            List<Item> read = new ArrayList<>();
            List<RgbImage> originals = new ArrayList<>();
            List<RgbImage> inputs = new ArrayList<>();
            for (Item item : chunk) {
                try {
                    RgbImage image = reader.read(item.file());
                    read.add(item);
                    originals.add(image);
                    inputs.add(image.resize(side, side));
                } catch (IOException e) {
                    skipped.add(new ImportReport.Skipped(item.file(), e.getMessage()));
                }
            }
            List<AnomalyMaps> maps = inputs.isEmpty() ? List.of() : inspector.inspect(inputs);
            for (int k = 0; k < read.size(); k++) {
                Item item = read.get(k);
                AnomalyMaps m = maps.get(k);
                ImageAnnotation a = item.annotation();
                boolean evaluated = a.label() == Label.OK || a.hasMask();
                defectWithoutMask |= a.label() == Label.DEFECT && !a.hasMask();
                if (evaluated) {
                    RgbImage original = originals.get(k);
                    Mask mask = a.hasMask()
                            ? a.mask().resize(original.width(), original.height()).resize(m.width(), m.height())
                            : Mask.empty(m.width(), m.height());
                    evaluation.add((float) m.score(), m.normality(), m.abnormality(), m.fused(), mask);
                }
                outcomes.add(new Outcome(item, m.score(), evaluated));
                if (sink != null) {
                    sink.accept(item, inputs.get(k), m);
                }
            }
            if (progress != null) {
                progress.update(Math.min(items.size(), i + batch), items.size());
            }
        }
        if (evaluation.imageCount() == 0) {
            return new Result(outcomes, skipped, null, defectWithoutMask
                    ? "no image is labelled OK or has a painted defect mask"
                    : "no image is labelled yet (label images OK or defect, and paint the defects)");
        }
        Measurement measurement = Measurement.of(evaluation, imageThreshold,
                (System.nanoTime() - started) / 1e9);
        return new Result(outcomes, skipped, measurement, defectWithoutMask
                ? "images labelled defect without a painted mask are not in the metrics" : null);
    }
}
