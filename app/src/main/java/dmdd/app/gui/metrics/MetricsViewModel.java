package dmdd.app.gui.metrics;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundJob;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.ApplicationVersion;
import dmdd.model.dmdd.Method;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.export.ModelArchive;
import dmdd.model.export.Measurement;
import dmdd.model.metrics.ConfusionMatrix;
import dmdd.model.metrics.Curve;
import dmdd.model.metrics.EvaluationReport;
import dmdd.model.project.Project;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the metrics screen, without any JavaFX node: runs the measurement in the background
 * ({@link MetricsEngine}) for every method the project has a trained model of, and shows them side by side
 * ({@link #comparison()}: image AUROC, pixel AUROC, AUPRO, false alarms and misses per method), then, for the
 * method chosen in the project's training settings, image AUROC, pixel AUROC, AUPRO, F1 at the image
 * threshold, the confusion table, the ROC and PRO curves, and the missed defects and false alarms. Moving the
 * threshold re-counts the table, F1 and the two lists at once, from the same scores, without running the model.
 */
public final class MetricsViewModel {
    /**
     * A point of a chart.
     *
     * @param x abscissa
     * @param y ordinate
     */
    public record ChartPoint(double x, double y) {
    }

    /**
     * One method's model measured on the project's annotated images, for the side-by-side comparison. The
     * counts are at that model's own calibrated OK-below threshold, so that each method is judged as it would
     * run out of the box (the threshold on screen belongs to the chosen method only).
     *
     * @param method      the method
     * @param imageAuroc  image AUROC, or null when undefined (e.g. no defective or no OK image annotated)
     * @param pixelAuroc  pixel AUROC, or null when undefined (no mask)
     * @param aupro       AUPRO up to FPR 0.3, or null when undefined
     * @param falseAlarms images annotated OK that the model flags
     * @param misses      images annotated defective that the model passes
     * @param chosen      whether it is the method chosen in the training settings (the one inspection uses)
     */
    public record MethodRow(Method method, Double imageAuroc, Double pixelAuroc, Double aupro, int falseAlarms,
            int misses, boolean chosen) {
    }

    /** Shown before the first measurement. */
    private static final String NOT_MEASURED = "\u2014";

    private final MetricsEngine engine;
    private final ObjectProperty<Path> projectFolder = new SimpleObjectProperty<>();
    private final ObjectProperty<Method> method = new SimpleObjectProperty<>(Method.DMDD);
    /** Whether the project has a model of the method (the workstation binds it to the inspection screen's). */
    private final javafx.beans.property.BooleanProperty modelAvailable =
            new javafx.beans.property.SimpleBooleanProperty(true);
    private final ObservableList<MethodRow> comparison = FXCollections.observableArrayList();
    private final ObjectProperty<AnnotatedInspection.Result> result = new SimpleObjectProperty<>();
    private final DoubleProperty threshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty pixelThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty ngThreshold = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty status = new SimpleStringProperty("");
    private final BackgroundJob job;
    private final StringProperty imageAuroc = new SimpleStringProperty(NOT_MEASURED);
    private final StringProperty pixelAuroc = new SimpleStringProperty(NOT_MEASURED);
    private final StringProperty aupro = new SimpleStringProperty(NOT_MEASURED);
    private final StringProperty f1 = new SimpleStringProperty(NOT_MEASURED);
    private final StringProperty f1Title = new SimpleStringProperty(Ui.text("metrics.f1", "-"));
    private final LongProperty truePositives = new SimpleLongProperty();
    private final LongProperty falsePositives = new SimpleLongProperty();
    private final LongProperty trueNegatives = new SimpleLongProperty();
    private final LongProperty falseNegatives = new SimpleLongProperty();
    private final ObservableList<ChartPoint> imageRoc = FXCollections.observableArrayList();
    private final ObservableList<ChartPoint> pixelRoc = FXCollections.observableArrayList();
    private final ObservableList<ChartPoint> pro = FXCollections.observableArrayList();
    private final ObservableList<AnnotatedInspection.Outcome> missedDefects = FXCollections.observableArrayList();
    private final ObservableList<AnnotatedInspection.Outcome> falseAlarms = FXCollections.observableArrayList();
    private Supplier<Callable<Boolean>> beforeMeasuring = () -> () -> true;
    private Consumer<Path> openImage = file -> { };
    private Runnable onModelImported = () -> { };

    /**
     * @param engine     measures (on a background thread)
     * @param background runs the work off the UI thread
     */
    public MetricsViewModel(MetricsEngine engine, BackgroundWork background) {
        this.engine = engine;
        this.job = new BackgroundJob(background, status);
        threshold.addListener((obs, old, t) -> recount());
        // Rows of another project are no comparison for this one; the mark follows the method chosen now.
        projectFolder.addListener((obs, old, now) -> {
            comparison.clear();
            clearResult();
            status.set("");
        });
        method.addListener((obs, old, now) -> comparison.replaceAll(row -> new MethodRow(row.method(),
                row.imageAuroc(), row.pixelAuroc(), row.aupro(), row.falseAlarms(), row.misses(),
                row.method() == now)));
    }

    /**
     * @param action runs on the UI thread before each measurement or export, and gives what the measurement then
     *               waits for off the UI thread (the annotation screen's saves reaching the disk)
     */
    public void setBeforeMeasuring(Supplier<Callable<Boolean>> action) {
        this.beforeMeasuring = action;
    }

    /**
     * @param action opens an image (a click on a missed defect or a false alarm)
     */
    public void setOpenImage(Consumer<Path> action) {
        this.openImage = action;
    }

    /**
     * Starts measuring, in the background, every method the project has a trained model of, one after the
     * other; the comparison shows one row per method, the rest of the screen the chosen method.
     */
    public void measure() {
        Path folder = projectFolder.get();
        Method chosen = method.get();
        if (folder == null || job.runningProperty().get()) {
            return;
        }
        Callable<Boolean> saved = beforeMeasuring.get();
        long started = System.nanoTime();
        job.start(Ui.text("metrics.running", 0, "?"), context -> {
            saved.call();
            List<Method> trained = engine.trainedMethods(folder);
            if (trained.isEmpty()) {
                throw new IllegalStateException(Ui.text("metrics.noModel"));
            }
            List<Measured> measured = new ArrayList<>();
            for (int i = 0; i < trained.size(); i++) {
                Method m = trained.get(i);
                int index = i;
                AnnotatedInspection.Progress progress = (done, total) -> {
                    // One bar for all the models: each takes an equal share of it.
                    context.progress(index * (long) total + done, (long) total * trained.size());
                    context.message(Ui.text("metrics.runningMethod", m.displayName(), done, total));
                };
                measured.add(new Measured(m, engine.measure(folder, m, progress, context::isCancelled)));
            }
            return measured;
        }, measured -> {
            if (!folder.equals(projectFolder.get())) {
                return;
            }
            comparison.setAll(measured.stream().map(x -> row(x, x.method() == chosen)).toList());
            AnnotatedInspection.Result r = measured.stream().filter(x -> x.method() == chosen).findFirst()
                    .map(Measured::result).orElse(null);
            if (r == null) {
                show(new AnnotatedInspection.Result(List.of(), List.of(), null, null));
                result.set(null);
                status.set(Ui.text("metrics.chosenNotTrained", chosen.displayName()));
                return;
            }
            show(r);
            long evaluated = r.outcomes().stream().filter(AnnotatedInspection.Outcome::evaluated).count();
            String done = Ui.text("metrics.done", r.outcomes().size(), evaluated,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
            if (!r.skipped().isEmpty()) {
                // as eval: an image the metrics leave out is named, never dropped without a word
                done += " " + Ui.text("metrics.leftOut", r.skipped().size(), r.skipped().get(0));
            }
            status.set(r.note() == null ? done : done + " " + (r.measurement() == null
                    ? Ui.text("metrics.none", r.note()) : r.note()));
        }, error -> status.set(error instanceof CancellationException ? Ui.text("metrics.cancelled")
                : Ui.text("metrics.failed", error.getMessage())));
    }

    /** One method's result, on the way from the background thread to the screen. */
    private record Measured(Method method, AnnotatedInspection.Result result) {
    }

    private static MethodRow row(Measured measured, boolean chosen) {
        Measurement m = measured.result().measurement();
        EvaluationReport report = m == null ? null : m.report();
        int falseAlarms = m == null ? 0 : measured.result().falseAlarms(m.imageThreshold()).size();
        int misses = m == null ? 0 : measured.result().missedDefects(m.imageThreshold()).size();
        return new MethodRow(measured.method(), report == null ? null : report.imageAuroc(),
                report == null ? null : report.pixelAuroc(), report == null ? null : report.aupro(), falseAlarms,
                misses, chosen);
    }

    private static AnnotatedInspection.Progress progressTo(BackgroundJob.Context context) {
        return (done, total) -> {
            context.progress(done, total);
            context.message(Ui.text("metrics.running", done, total));
        };
    }

    /**
     * @param action runs on the UI thread after a model was imported into the project (the inspection
     *               screen reloads it)
     */
    public void setOnModelImported(Runnable action) {
        this.onModelImported = action;
    }

    /**
     * Inspects, measures and writes results.csv, the heatmaps and overlays, and report.html into a folder
     * (in the background; the screen shows the measurement too). Verdicts use the thresholds in force for the model
     * the project holds now: the ones set on screen for it (saved with the project), else its calibrated ones.
     *
     * @param outDir the export folder
     */
    public void exportResults(Path outDir) {
        Path folder = projectFolder.get();
        if (folder == null || job.runningProperty().get()) {
            return;
        }
        Callable<Boolean> saved = beforeMeasuring.get();
        Method chosen = method.get();
        java.util.concurrent.atomic.AtomicReference<Path> written = new java.util.concurrent.atomic.AtomicReference<>();
        job.start(null, context -> {
            saved.call();
            written.set(ExportFolder.create(outDir, folder.getFileName().toString(), java.time.LocalDateTime.now()));
            try {
                return engine.exportResults(folder, chosen, written.get(), progressTo(context), context::isCancelled);
            } catch (Exception e) {
                ExportFolder.removeIfEmpty(written.get());
                throw e;
            }
        }, r -> {
            if (folder.equals(projectFolder.get())) {
                show(r);
            }
            status.set(r.skipped().isEmpty() ? Ui.text("export.resultsDone", r.outcomes().size(), written.get())
                    : Ui.text("export.resultsDoneWithErrors", r.outcomes().size(), written.get(), r.skipped().size()));
        }, error -> status.set(error instanceof CancellationException ? Ui.text("metrics.cancelled")
                : Ui.text("export.failed", error.getMessage())));
    }

    /**
     * Packs the project's model of the chosen method into one zip for another workstation (in the background).
     *
     * @param zip the file to write
     */
    public void exportModel(Path zip) {
        Path folder = projectFolder.get();
        if (folder == null) {
            return;
        }
        Path model = Project.modelDir(folder, method.get());
        job.start(null, context -> ModelArchive.export(model, zip, ApplicationVersion.get()),
                manifest -> status.set(Ui.text("export.modelDone", zip)),
                error -> status.set(Ui.text("export.failed", error.getMessage())));
    }

    /**
     * Makes a model zip from another workstation this project's model of the chosen method (in the background).
     * A damaged or foreign zip is refused with the reason and the project's model stays as it was.
     *
     * @param zip the archive
     */
    public void importModel(Path zip) {
        Path folder = projectFolder.get();
        if (folder == null) {
            return;
        }
        // a project keeps one model per method: the archive's goes into its own method's folder
        job.start(null, context -> ModelArchive.importInto(zip, Project.modelDir(folder, ModelArchive.method(zip))),
                model -> {
            // The numbers on screen belong to the old model.
            show(new AnnotatedInspection.Result(List.of(), List.of(), null, null));
            result.set(null);
            comparison.clear();
            String done = Ui.text("import.modelDone", zip.getFileName(), model.teacher().cliName(),
                    model.training().steps());
            // The archive says which method it holds only once unpacked; a mismatch is said, not hidden.
            Method held = model.settings().method();
            status.set(held == method.get() ? done
                    : done + " " + Ui.text("import.otherMethod", held.displayName(), method.get().displayName()));
            onModelImported.run();
        }, error -> status.set(Ui.text("import.modelFailed", error.getMessage())));
    }

    /** Asks a running measurement to stop. */
    public void cancel() {
        job.cancel();
    }

    /**
     * Opens an image of the missed-defect or false-alarm list.
     *
     * @param outcome the row clicked
     */
    public void open(AnnotatedInspection.Outcome outcome) {
        if (outcome != null) {
            openImage.accept(outcome.item().file());
        }
    }

    /**
     * Call when the model the screen measured was replaced (trained, improved, restored, imported): its scores say
     * nothing about the new one, and counting them at the new model's thresholds would mix the two.
     */
    public void modelChanged() {
        if (job.runningProperty().get()) {
            job.cancel();
        }
        boolean shown = result.get() != null || !comparison.isEmpty();
        comparison.clear();
        clearResult();
        if (shown) {
            status.set(Ui.text("metrics.modelChanged"));
        }
    }

    /** Nothing measured on screen: the figures, curves, table and lists of another project or model go. */
    private void clearResult() {
        result.set(null);
        imageAuroc.set(NOT_MEASURED);
        pixelAuroc.set(NOT_MEASURED);
        aupro.set(NOT_MEASURED);
        imageRoc.clear();
        pixelRoc.clear();
        pro.clear();
        recount();
        f1.set(NOT_MEASURED);
    }

    private void show(AnnotatedInspection.Result r) {
        Measurement m = r.measurement();
        if (m != null && !threshold.isBound()) {
            threshold.set(m.imageThreshold());
        }
        // Set after the threshold, so a listener may put another threshold (the inspection screen's) in place.
        result.set(r);
        EvaluationReport report = m == null ? null : m.report();
        imageAuroc.set(format(report == null ? null : report.imageAuroc()));
        pixelAuroc.set(format(report == null ? null : report.pixelAuroc()));
        aupro.set(format(report == null ? null : report.aupro()));
        imageRoc.setAll(points(m == null ? null : m.imageRoc()));
        pixelRoc.setAll(points(m == null ? null : m.pixelRoc()));
        pro.setAll(points(m == null ? null : m.pro()));
        recount();
    }

    private void recount() {
        AnnotatedInspection.Result r = result.get();
        double t = threshold.get();
        if (Double.isNaN(t) && r != null && r.measurement() != null) {
            // No threshold on screen yet (the inspection screen has not calibrated): the model's.
            t = r.measurement().imageThreshold();
        }
        f1Title.set(Ui.text("metrics.f1", dmdd.app.gui.ScoreText.of(t)));
        if (r == null || r.measurement() == null || Double.isNaN(t)) {
            f1.set(format(null));
            truePositives.set(0);
            falsePositives.set(0);
            trueNegatives.set(0);
            falseNegatives.set(0);
            missedDefects.clear();
            falseAlarms.clear();
            return;
        }
        ConfusionMatrix c = r.confusionAt(t);
        truePositives.set(c.truePositives());
        falsePositives.set(c.falsePositives());
        trueNegatives.set(c.trueNegatives());
        falseNegatives.set(c.falseNegatives());
        f1.set(format(Double.isFinite(c.f1()) ? c.f1() : null));
        missedDefects.setAll(sortedByScore(r.missedDefects(t), false));
        falseAlarms.setAll(sortedByScore(r.falseAlarms(t), true));
    }

    private static List<AnnotatedInspection.Outcome> sortedByScore(List<AnnotatedInspection.Outcome> list,
                                                                   boolean highestFirst) {
        // The worst first: the lowest-scoring missed defect, the highest-scoring false alarm.
        return list.stream().sorted((a, b) -> highestFirst ? Double.compare(b.score(), a.score())
                : Double.compare(a.score(), b.score())).toList();
    }

    private static List<ChartPoint> points(Curve curve) {
        return curve == null ? List.of() : curve.points().stream().map(p -> new ChartPoint(p.x(), p.y())).toList();
    }

    /**
     * @param value a metric or {@code null}
     * @return four decimals, or "n/a" for an undefined metric
     */
    public static String format(Double value) {
        return value == null ? Ui.text("metrics.undefined") : String.format(Locale.ROOT, "%.4f", value);
    }

    /** @return the project measured */
    public ObjectProperty<Path> projectFolderProperty() {
        return projectFolder;
    }

    /**
     * @return the method chosen in the project's training settings: the details, exports and the model exchange
     *         are about its model
     */
    public ObjectProperty<Method> methodProperty() {
        return method;
    }

    /** @return one row per method the last measurement measured, in {@link Method} order */
    public ObservableList<MethodRow> comparison() {
        return comparison;
    }

    /** @return the last result of the chosen method (outcomes and measurement), or {@code null} */
    public ObjectProperty<AnnotatedInspection.Result> resultProperty() {
        return result;
    }

    /** @return the pixel threshold exports use (the inspection screen's; NaN: the model's) */
    public DoubleProperty pixelThresholdProperty() {
        return pixelThreshold;
    }

    /** @return the NG-above image threshold exports use (the inspection screen's; NaN: the model's) */
    public DoubleProperty ngThresholdProperty() {
        return ngThreshold;
    }

    /**
     * @return the OK-below image threshold the table, F1 and the lists use (the model's, unless bound to another):
     *         an image above it is flagged (unsure or NG), so a missed defect is one that passes unseen
     */
    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    /**
     * @return whether the project has a trained model of the chosen method: without one, Measure and the exports
     *         that need a model are off (they only said "failed" when pressed), importing one stays possible
     */
    public javafx.beans.property.BooleanProperty modelAvailableProperty() {
        return modelAvailable;
    }

    /** @return whether a measurement runs */
    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /** @return progress of the running job in [0, 1] */
    public ReadOnlyDoubleProperty progressProperty() {
        return job.progressProperty();
    }

    /** @return the status line */
    public StringProperty statusProperty() {
        return status;
    }

    /** @return image AUROC, formatted */
    public StringProperty imageAurocProperty() {
        return imageAuroc;
    }

    /** @return pixel AUROC, formatted */
    public StringProperty pixelAurocProperty() {
        return pixelAuroc;
    }

    /** @return AUPRO, formatted */
    public StringProperty auproProperty() {
        return aupro;
    }

    /** @return F1 at the threshold, formatted */
    public StringProperty f1Property() {
        return f1;
    }

    /** @return the F1 caption naming the threshold */
    public StringProperty f1TitleProperty() {
        return f1Title;
    }

    /** @return annotated defect, verdict NG */
    public LongProperty truePositivesProperty() {
        return truePositives;
    }

    /** @return annotated OK, verdict NG */
    public LongProperty falsePositivesProperty() {
        return falsePositives;
    }

    /** @return annotated OK, verdict OK */
    public LongProperty trueNegativesProperty() {
        return trueNegatives;
    }

    /** @return annotated defect, verdict OK */
    public LongProperty falseNegativesProperty() {
        return falseNegatives;
    }

    /** @return image ROC points */
    public ObservableList<ChartPoint> imageRoc() {
        return imageRoc;
    }

    /** @return pixel ROC points */
    public ObservableList<ChartPoint> pixelRoc() {
        return pixelRoc;
    }

    /** @return PRO curve points */
    public ObservableList<ChartPoint> pro() {
        return pro;
    }

    /** @return annotated defects the model passes at the threshold, lowest score first */
    public ObservableList<AnnotatedInspection.Outcome> missedDefects() {
        return missedDefects;
    }

    /** @return images annotated OK the model flags at the threshold, highest score first */
    public ObservableList<AnnotatedInspection.Outcome> falseAlarms() {
        return falseAlarms;
    }
}
