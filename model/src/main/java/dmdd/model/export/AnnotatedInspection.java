package dmdd.model.export;

import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.Thresholds;
import dmdd.model.metrics.ConfusionMatrix;
import dmdd.model.metrics.Evaluation;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Inspects annotated images and measures the model against the annotations, for the GUI's metrics view
 * and the command line's {@code export} and {@code eval}: every image goes through the one
 * {@link InspectionPipeline}, so a file gets the same score here as in {@code infer} and on screen, and
 * pixel metrics are computed at each mask's own resolution (or, on request, anomalib's input resolution). Images labelled
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
     * @param imageOnly whether it entered the image metrics only (labelled defective without a painted mask)
     * @param warning   why its verdict is less sure ({@code Inspection.warning()}), or {@code null}
     */
    public record Outcome(Item item, double score, boolean evaluated, boolean imageOnly, String warning) {
        /**
         * @param threshold an image threshold
         * @return the verdict at that threshold (defective when the score is above it, as {@code Thresholds})
         */
        public boolean defectiveAt(double threshold) {
            return Thresholds.exceeds(score, threshold);
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
         * @param image the decoded picture the maps lie over
         * @param maps  the result
         * @throws IOException when writing fails
         */
        void accept(Item item, RgbImage image, AnomalyMaps maps) throws IOException;

        /**
         * An image without a result (unreadable, non-finite score); the default ignores it.
         *
         * @param item   the input
         * @param reason why, naming the file
         * @throws IOException when writing fails
         */
        default void failed(Item item, String reason) throws IOException {
        }
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
            double[] scores = new double[evaluated.size()];
            boolean[] labels = new boolean[evaluated.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = evaluated.get(i).score();
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
                items.add(new Item(f, ImageFiles.nameIn(store.imagesRoot(), f), store.load(f)));
            }
        }
        return items;
    }

    /**
     * Inspects, measures and exports in one pass: every image goes to the exporter, then results.csv and
     * the report (with the measurement at the exporter's image threshold) are written.
     *
     * @param pipeline  the inspection pipeline (a model folder's)
     * @param items     the images
     * @param exporter  writes the results
     * @param title     the report's title
     * @param progress  progress receiver (may be null)
     * @param cancel    polled between batches (may be null)
     * @return outcomes, skipped files and the measurement
     * @throws IOException when writing fails
     */
    public static Result export(InspectionPipeline pipeline, List<Item> items, ResultsExporter exporter, String title,
                                Progress progress, BooleanSupplier cancel) throws IOException {
        Result result;
        try {
            result = run(pipeline, items, new Sink() {
                @Override
                public void accept(Item item, RgbImage image, AnomalyMaps maps) throws IOException {
                    exporter.add(item.name(), image, maps, item.annotation().label());
                }

                @Override
                public void failed(Item item, String reason) {
                    exporter.failed(item.name(), item.annotation().label(), reason);
                }
            }, progress, cancel, exporter.thresholds().image(), PixelResolution.MASK);
        } catch (IOException | RuntimeException e) {
            // A run that fails midway (a full disk, a cancel) keeps the results of the images done.
            exporter.writeResultsSoFar();
            throw e;
        }
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
     * At which resolution pixel metrics are computed.
     */
    public enum PixelResolution {
        /** Maps upsampled to each mask's own resolution, as the official MVTec AD evaluation does (default). */
        MASK,
        /** Masks resized (nearest) to the network input, as anomalib computes its pixel metrics. */
        INPUT
    }

    /**
     * {@link #run(Inspector, List, Sink, Progress, BooleanSupplier)} with the measurement's confusion matrix at
     * another image threshold than the model's (one the user moved), pixel metrics at mask resolution.
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
        return run(InspectionPipeline.of(inspector), items, sink, progress, cancel, imageThreshold,
                PixelResolution.MASK);
    }

    /**
     * Inspects the images through the {@link InspectionPipeline} and measures them against their annotations.
     * An image's label is its annotation (for an MVTec category: its folder), never derived from a resized
     * mask.
     *
     * @param pipeline        the inspection pipeline (a model folder's)
     * @param items           the images
     * @param sink            receives each result, picture and maps at the decoded picture's size (may be null)
     * @param progress        progress receiver (may be null)
     * @param cancel          polled between batches (may be null)
     * @param imageThreshold  the image threshold for the confusion matrix
     * @param resolution      where pixel metrics are computed
     * @return outcomes, skipped files and the measurement
     * @throws IOException when the sink fails
     */
    public static Result run(InspectionPipeline pipeline, List<Item> items, Sink sink, Progress progress,
                             BooleanSupplier cancel, double imageThreshold, PixelResolution resolution)
            throws IOException {
        long started = System.nanoTime();
        if (pipeline.thresholds() == null) {
            throw new IllegalArgumentException("the inspector has no thresholds: open it from a trained model folder");
        }
        Evaluation evaluation = new Evaluation();
        List<Outcome> outcomes = new ArrayList<>();
        List<ImportReport.Skipped> skipped = new ArrayList<>();
        List<String> vanished = new ArrayList<>();
        List<String> defectWithoutMask = new ArrayList<>();
        Map<Path, Item> byFile = new HashMap<>();
        items.forEach(item -> byFile.put(item.file(), item));
        int[] done = {0};
        pipeline.inspectFiles(items.stream().map(Item::file).toList(), InspectionPipeline.FULL_SIZE,
                new InspectionPipeline.Receiver() {
                    @Override
                    public void inspected(Inspection inspection) throws IOException {
                        Item item = byFile.get(inspection.file());
                        ImageAnnotation a = item.annotation();
                        boolean maskFits = !a.hasMask() || (a.mask().width() == inspection.originalWidth()
                                && a.mask().height() == inspection.originalHeight());
                        if (!maskFits) {
                            // Never stretch a mask onto an image it was not drawn for: the image keeps its
                            // result but stays out of the metrics, and the run says which mask is wrong.
                            skipped.add(new ImportReport.Skipped(item.file(), "its mask is " + a.mask().width()
                                    + " x " + a.mask().height() + " px but the image is " + inspection.originalWidth()
                                    + " x " + inspection.originalHeight() + " px; left out of the metrics"));
                        }
                        boolean evaluated = maskFits && a.label() != Label.UNLABELLED;
                        boolean imageOnly = evaluated && a.label() == Label.DEFECT && !a.hasMask();
                        if (imageOnly) {
                            // Its label is known, where its defect lies is not: image metrics only.
                            defectWithoutMask.add(item.name());
                            evaluation.addImageOnly(inspection.score(), true);
                        } else if (evaluated) {
                            boolean defective = a.label() == Label.DEFECT;
                            AnomalyMaps m;
                            Mask mask;
                            if (resolution == PixelResolution.INPUT) {
                                // The network's own resolution: the input, or the image at the tiling scale.
                                int nw = inspection.network().width();
                                int nh = inspection.network().height();
                                m = inspection.network().at(nw, nh);
                                mask = a.hasMask() ? a.mask().resize(nw, nh) : Mask.empty(nw, nh);
                                if (defective && !a.mask().isEmpty() && mask.isEmpty()) {
                                    vanished.add(item.name() + " (" + nw + " x " + nh + " px)");
                                }
                            } else if (a.hasMask()) {
                                mask = a.mask();
                                m = inspection.network().at(mask.width(), mask.height());
                            } else {
                                // At the image's own size, as a defect is measured at its mask's: every image
                                // counts its pixels alike (a decoded picture may be smaller than the file).
                                m = inspection.network().at(inspection.originalWidth(), inspection.originalHeight());
                                mask = Mask.empty(m.width(), m.height());
                            }
                            evaluation.add(m.score(), defective, m.normality(), m.abnormality(), m.fused(), mask);
                        }
                        outcomes.add(new Outcome(item, inspection.score(), evaluated, imageOnly, inspection.warning()));
                        if (sink != null) {
                            sink.accept(item, inspection.picture(), inspection.maps());
                        }
                        tick();
                    }

                    @Override
                    public void failed(Path file, IOException reason) throws IOException {
                        skipped.add(new ImportReport.Skipped(file, reason.getMessage()));
                        if (sink != null) {
                            sink.failed(byFile.get(file), reason.getMessage());
                        }
                        tick();
                    }

                    private void tick() {
                        done[0]++;
                        if (progress != null && (done[0] % Inspector.DEFAULT_BATCH == 0 || done[0] == items.size())) {
                            progress.update(done[0], items.size());
                        }
                    }
                }, cancel);
        if (evaluation.imageCount() == 0) {
            return new Result(outcomes, skipped, null, outcomes.isEmpty() && !skipped.isEmpty()
                    ? "none of the " + skipped.size() + " images could be inspected; the first: " + skipped.get(0)
                    : "no image is labelled yet (label images OK or defect; a defect's painted mask adds the pixel "
                    + "metrics)");
        }
        Measurement measurement = Measurement.of(evaluation, imageThreshold,
                (System.nanoTime() - started) / 1e9);
        List<String> notes = new ArrayList<>();
        if (!defectWithoutMask.isEmpty()) {
            notes.add("images labelled defect without a painted mask count in the image metrics, not in the pixel "
                    + "metrics: " + names(defectWithoutMask));
        }
        if (!vanished.isEmpty()) {
            notes.add(vanished.size() + " defect mask(s) vanish at the network's resolution and count no defect pixel "
                    + "there (the images still count as defective): " + names(vanished));
        }
        return new Result(outcomes, skipped, measurement, notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** Up to five names, then how many more: a note stays one readable line for a folder of thousands. */
    private static String names(List<String> all) {
        String shown = String.join(", ", all.subList(0, Math.min(5, all.size())));
        return all.size() > 5 ? shown + " and " + (all.size() - 5) + " more" : shown;
    }
}
