package dmdd.app.gui.inspection;

import dmdd.app.gui.ScoreText;
import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundJob;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.model.dmdd.Method;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.ProjectSettings;
import dmdd.model.project.ReviewedNormals;
import dmdd.model.infer.ModelVersions;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.RgbImage;
import dmdd.model.viz.Colormap;
import dmdd.model.viz.Heatmaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * State of the inspection screen: the gallery of images with their scores, the verdict filter and
 * sort order, the thresholds (OK-below and NG-above image thresholds, whose band between is UNSURE, and
 * the pixel threshold; starting at the calibrated values; moving them re-labels the gallery at once
 * without running the model again), the selected image with its rendered maps,
 * the shared overlay opacity, zoom and pan of the four panels, and the score histogram.
 * Holds no JavaFX nodes; model work goes through {@link BackgroundWork}.
 */
public final class InspectionViewModel {
    /** How the gallery is sorted. */
    public enum SortOrder {
        /** By folder and file name. */
        NAME,
        /** Highest score first. */
        SCORE_DESCENDING,
        /** Lowest score first. */
        SCORE_ASCENDING
    }

    /** Which verdicts the gallery shows. */
    public enum Filter {
        /** Every image. */
        ALL,
        /** Only OK images. */
        OK,
        /** Only unsure images (between the two image thresholds). */
        UNSURE,
        /** Only NG images. */
        NG,
        /** The review queue: the unsure images first, then the NG ones. */
        REVIEW
    }

    /** Where people's review decisions are stored: the project's annotations (wired in {@code gui.startup}). */
    @FunctionalInterface
    public interface DecisionStore {
        /**
         * Stores a decision (atomically, with the annotations; called on the UI thread, saves in the background).
         *
         * @param image the image
         * @param label {@link Label#OK} or {@link Label#DEFECT}
         */
        void decide(Path image, Label label);
    }

    /** Stores the user's thresholds in the project. */
    @FunctionalInterface
    public interface ThresholdSaver {
        /**
         * @param image OK-below image threshold, or null for the calibrated one
         * @param ng    NG-above image threshold, or null for the calibrated one
         * @param pixel pixel threshold, or null for the calibrated one
         * @param model the model they are set for (its weights' SHA-256)
         */
        void save(Double image, Double ng, Double pixel, String model);
    }

    /**
     * The selected image's pictures, ready for the panels at map resolution. They are made in the
     * background with the maps: a camera-resolution picture is tens of megabytes of pixels, which the FX
     * thread only shows. The colour layers' alpha follows the score on the model's calibrated scale, so calm
     * areas stay clear.
     *
     * @param inspection  the maps and score
     * @param original    the image
     * @param normality   normality-branch heat layer
     * @param abnormality abnormality-branch heat layer
     * @param fused       fused-map heat layer
     */
    public record RenderedInspection(InspectionEngine.ImageInspection inspection, Image original, Image normality,
            Image abnormality, Image fused) {
    }

    /** The defect contour's colour on every panel. */
    static final int CONTOUR_COLOUR = 0xffffffff;

    private static final int DETAIL_CACHE = 24;
    /** About 40 bytes a pixel (picture, three maps, four rendered layers): some 650 MB at most. */
    private static final long DETAIL_CACHE_PIXELS = 16_000_000L;
    private static final Colormap COLORMAP = Colormap.TURBO;

    private final InspectionEngine engine;
    private final BackgroundWork background;
    private final ObjectProperty<Project> project = new SimpleObjectProperty<>();
    private final ObjectProperty<Method> method = new SimpleObjectProperty<>(Method.DMDD);
    private final ObjectProperty<InspectionEngine.Calibration> calibration = new SimpleObjectProperty<>();
    private final ObservableList<InspectedItem> items = FXCollections.observableArrayList();
    private final FilteredList<InspectedItem> filtered = new FilteredList<>(items);
    private final SortedList<InspectedItem> gallery = new SortedList<>(filtered);
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ALL);
    private final ObjectProperty<SortOrder> sortOrder = new SimpleObjectProperty<>(SortOrder.NAME);
    private final DoubleProperty imageThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty ngThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty pixelThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty opacity = new SimpleDoubleProperty(0.65);
    private final DoubleProperty zoom = new SimpleDoubleProperty(1);
    private final DoubleProperty panX = new SimpleDoubleProperty(0.5);
    private final DoubleProperty panY = new SimpleDoubleProperty(0.5);
    private final ObjectProperty<InspectedItem> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<RenderedInspection> detail = new SimpleObjectProperty<>();
    /** The selected image's picture while the project has no model to inspect it with. */
    private final ObjectProperty<Image> pictureWithoutModel = new SimpleObjectProperty<>();
    private final ObjectProperty<Image> contour = new SimpleObjectProperty<>();
    /** The contour the panels should show next (picture and threshold); drawn in the background. */
    private ContourRequest contourWanted;
    private boolean contourDrawing;
    private final ObjectProperty<ScoreHistogram> histogram = new SimpleObjectProperty<>();
    private final IntegerProperty okCount = new SimpleIntegerProperty();
    private final IntegerProperty ngCount = new SimpleIntegerProperty();
    private final IntegerProperty unsureCount = new SimpleIntegerProperty();
    private final StringProperty reviewText = new SimpleStringProperty(Ui.text("inspection.review.none"));
    private final ObservableMap<Path, Label> decisions = FXCollections.observableHashMap();
    /** Counts changes of {@link #decisions}; a whole new set of them (a project's 3 000 labels) counts once. */
    private final javafx.beans.property.ReadOnlyIntegerWrapper decisionsRevision =
            new javafx.beans.property.ReadOnlyIntegerWrapper();
    /** While the decisions are replaced as a whole: the map's one event per entry is not a change each. */
    private boolean replacingDecisions;
    private DecisionStore decisionStore = (image, label) -> { };
    private Runnable onNormalSetChanged = () -> { };
    private final ObservableList<ModelVersions.Version> versions = FXCollections.observableArrayList();
    /** Set by an improvement or a restored version: every image is inspected again once the new model is shown. */
    private boolean inspectWhenShown;
    private final BooleanProperty modelReady = new SimpleBooleanProperty();
    private final BooleanProperty trainingRunning = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    /** Whether the next load of the model follows one replaced outside the workstation (to be said). */
    private boolean reloaded;
    /** Each shown score's file stamp as it was before the image was read ({@link SavedScores.Scored}). */
    private final Map<Path, String> scoredAs = new ConcurrentHashMap<>();
    /** The image whose detail the screen waits for (set on the UI thread, read by the detail's background job). */
    private volatile Path detailWanted;
    private final Map<Path, RenderedInspection> detailCache = new LinkedHashMap<>(DETAIL_CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, RenderedInspection> eldest) {
            // Bounded by count and by pixels: a tiled model's full-resolution maps are megapixels each.
            long pixels = values().stream().mapToLong(r -> (long) r.inspection().width() * r.inspection().height())
                    .sum();
            return size() > 1 && (size() > DETAIL_CACHE || pixels > DETAIL_CACHE_PIXELS);
        }
    };
    private final BackgroundJob job;
    private ThresholdSaver saveThresholds = (image, ng, pixel, model) -> { };
    private long generation;

    /**
     * A view model.
     *
     * @param engine     the model's inspector
     * @param background runs model and file work off the FX thread
     */
    public InspectionViewModel(InspectionEngine engine, BackgroundWork background) {
        this.engine = engine;
        this.background = background;
        this.job = new BackgroundJob(background, message);
        filter.addListener(obs -> {
            refilter();
            resort();
        });
        decisions.addListener((Observable obs) -> {
            if (!replacingDecisions) {
                decisionsChanged();
            }
        });
        // The band is never inverted: pushing one image threshold past the other carries the other along.
        imageThreshold.addListener((obs, old, now) -> {
            if (now.doubleValue() > ngThreshold.get()) {
                ngThreshold.set(now.doubleValue());
            }
            relabel();
        });
        ngThreshold.addListener((obs, old, now) -> {
            if (now.doubleValue() < imageThreshold.get()) {
                imageThreshold.set(now.doubleValue());
            }
            relabel();
        });
        // Item changes reach the filtered list by themselves; re-filtering inside their notification
        // would run before the filtered list has seen the change.
        items.addListener((Observable obs) -> recount());
        sortOrder.addListener(obs -> resort());
        resort();
        // the same image again is its score arriving, not a person's choice: no look at its file then
        selected.addListener((obs, old, now) -> loadDetail(now,
                old == null || now == null || !old.image().file().equals(now.image().file())));
        detail.addListener((obs, old, now) -> {
            // Another picture: its contour is drawn anew, the old one never outlines it meanwhile.
            contour.set(null);
            requestContour();
        });
        pixelThreshold.addListener(obs -> requestContour());
    }

    private record ContourRequest(RenderedInspection rendered, double threshold) {
    }

    /**
     * Asks for the contour of the shown picture at the pixel threshold of the moment. A slider sends many
     * values a second and a camera-resolution map takes tens of milliseconds a pass: one drawing runs at a
     * time in the background and the next one takes the latest wish, the values in between are skipped.
     */
    private void requestContour() {
        RenderedInspection rendered = detail.get();
        contourWanted = rendered == null ? null : new ContourRequest(rendered, pixelThreshold.get());
        if (contourWanted == null) {
            contour.set(null);
        } else if (!contourDrawing) {
            drawContour();
        }
    }

    private void drawContour() {
        ContourRequest request = contourWanted;
        contourDrawing = true;
        background.run(() -> outline(request), image -> {
            if (contourWanted != null && contourWanted.rendered() == request.rendered()) {
                contour.set(image);
            }
            if (contourWanted != null && contourWanted != request) {
                drawContour();
            } else {
                contourDrawing = false;
            }
        }, error -> {
            contourDrawing = false;
            message.set(Ui.text("status.error", error.getMessage()));
        });
    }

    private static Image outline(ContourRequest request) {
        InspectionEngine.ImageInspection inspection = request.rendered().inspection();
        int[] pixels = Contours.paint(Contours.boundary(inspection.fused(), inspection.width(), inspection.height(),
                request.threshold()), CONTOUR_COLOUR);
        return picture(pixels, inspection.width(), inspection.height());
    }

    /**
     * Shows a project: its images to inspect, the saved scores and, when a model exists, its calibration.
     *
     * @param opened     the project
     * @param inspectees its images to inspect
     */
    public void show(Project opened, List<ProjectImage> inspectees) {
        Project before = project.get();
        if (before != null && !sameModel(before, opened)) {
            // A run for the project or method shown before stops; what it inspected is saved for that one.
            job.cancel();
        }
        long mine = ++generation;
        project.set(opened);
        method.set(opened.method());
        detailCache.clear();
        scoredAs.clear();
        detail.set(null);
        selected.set(null);
        calibration.set(null);
        modelReady.set(false);
        items.setAll(inspectees.stream().map(image -> new InspectedItem(image, Double.NaN)).toList());
        background.run(() -> {
            InspectionEngine.Calibration calib = engine.hasModel(opened) ? engine.calibration(opened) : null;
            Map<String, SavedScores.Scored> saved = calib == null ? Map.of()
                    : SavedScores.read(scoresFile(opened), calib.modelId(), opened.folder());
            List<ModelVersions.Version> kept = calib == null ? List.of() : engine.versions(opened);
            List<String> damaged = calib == null ? List.of() : engine.unreadableVersions(opened);
            return new Object[] {calib, saved, kept, damaged};
        }, loaded -> {
            if (mine != generation) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, SavedScores.Scored> saved = (Map<String, SavedScores.Scored>) loaded[1];
            @SuppressWarnings("unchecked")
            List<ModelVersions.Version> kept = (List<ModelVersions.Version>) loaded[2];
            versions.setAll(kept);
            @SuppressWarnings("unchecked")
            List<String> damaged = (List<String>) loaded[3];
            boolean otherModelsThresholds = applyCalibration((InspectionEngine.Calibration) loaded[0]);
            items.replaceAll(item -> {
                SavedScores.Scored score = saved.get(relative(opened, item.image().file()));
                if (score == null) {
                    return item;
                }
                scoredAs.put(item.image().file(), score.stamp());
                return new InspectedItem(item.image(), score.score());
            });
            String ready = reloaded ? Ui.text("inspection.modelReplaced") : Ui.text("inspection.ready");
            reloaded = false;
            String shown = !modelReady.get() ? Ui.text("inspection.noModel") : otherModelsThresholds
                    ? ready + " " + Ui.text("inspection.thresholdsOfAnotherModel") : ready;
            // a kept version that can no longer be read is left out of the versions menu: said, not hidden
            message.set(damaged.isEmpty() ? shown
                    : shown + " " + Ui.text("inspection.versionsUnreadable", damaged.size(), damaged.get(0)));
            restoreSelection(opened);
            if (inspectWhenShown && modelReady.get()) {
                inspectWhenShown = false;
                inspectAll(false);
            }
        }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    /** Selects the image the user had open when the project was last closed. */
    private void restoreSelection(Project opened) {
        String last = opened.settings().lastImage();
        if (last == null || selected.get() != null) {
            return;
        }
        for (InspectedItem item : items) {
            if (relative(opened, item.image().file()).equals(last.replace('\\', '/'))) {
                selected.set(item);
                return;
            }
        }
    }

    /**
     * Updates the list of images after an import, keeping known scores.
     *
     * @param inspectees the project's images to inspect
     */
    public void updateImages(List<ProjectImage> inspectees) {
        Map<Path, Double> known = new HashMap<>();
        items.forEach(item -> known.put(item.image().file(), item.score()));
        items.setAll(inspectees.stream()
                .map(image -> new InspectedItem(image, known.getOrDefault(image.file(), Double.NaN))).toList());
    }

    /**
     * Call after training wrote a new model for a project: the scores of its old model are dropped, and when it is
     * the project and method shown, its maps too and it is shown again. A run that ends after the user opened another
     * project or chose another method leaves the shown one's scores alone.
     *
     * @param trained the project (and method) the run trained
     */
    public void modelChanged(Project trained) {
        Project current = project.get();
        if (current != null && sameModel(current, trained)) {
            modelChanged();
            return;
        }
        background.run(() -> {
            engine.modelChanged(trained);
            Files.deleteIfExists(scoresFile(trained));
            return true;
        }, ok -> { }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    /**
     * Call when the shown project's settings changed without another model to show (thresholds, training settings,
     * the place the user is at): what this screen does next (calibrating after a new model, Improve's steps and
     * device) reads them, not the ones of when the project was shown.
     *
     * @param now the project as it is now
     */
    public void settingsChanged(Project now) {
        Project current = project.get();
        if (current != null && sameModel(current, now)) {
            project.set(now);
        }
    }

    /** Whether two states of a project hold the same model: the same folder and method. */
    private static boolean sameModel(Project a, Project b) {
        return a.folder().equals(b.folder()) && a.method() == b.method();
    }

    /**
     * Call after a new model was written for the shown project and method: the scores and maps of the old one are
     * dropped.
     */
    public void modelChanged() {
        Project current = project.get();
        if (current == null) {
            return;
        }
        List<ProjectImage> images = items.stream().map(InspectedItem::image).toList();
        background.run(() -> {
            // In the background: the engine may be busy with an image and would hold the FX thread.
            engine.modelChanged(current);
            Files.deleteIfExists(scoresFile(current));
            return true;
        }, done -> show(current, images), error -> show(current, images));
    }

    /** @return whether the user's thresholds were set for another model and so do not apply (to be said) */
    private boolean applyCalibration(InspectionEngine.Calibration calib) {
        calibration.set(calib);
        modelReady.set(calib != null);
        if (calib == null) {
            imageThreshold.set(Double.NaN);
            ngThreshold.set(Double.NaN);
            pixelThreshold.set(Double.NaN);
            return false;
        }
        Project current = project.get();
        ProjectSettings.UserThresholds saved = current == null ? ProjectSettings.UserThresholds.NONE
                : current.settings().userThresholds(current.method());
        boolean another = saved.setForAnother(calib.modelId());
        ProjectSettings.UserThresholds user = saved.appliedTo(calib.modelId());
        setImageThresholds(user.image() != null ? user.image() : calib.imageThreshold(),
                user.ng() != null ? user.ng() : calib.ngThreshold());
        pixelThreshold.set(user.pixel() != null ? user.pixel() : calib.pixelThreshold());
        relabel();
        return another;
    }

    /**
     * Sets both image thresholds at once (the range control moves them together).
     *
     * @param okBelow the OK-below threshold
     * @param ngAbove the NG-above threshold (raised to {@code okBelow} when below it)
     */
    public void setImageThresholds(double okBelow, double ngAbove) {
        // NaN first keeps the band from being pushed around by the old values on the way.
        ngThreshold.set(Double.NaN);
        imageThreshold.set(okBelow);
        ngThreshold.set(Math.max(okBelow, ngAbove));
    }

    /**
     * Puts the thresholds back to the model's calibrated values.
     */
    public void resetThresholds() {
        InspectionEngine.Calibration calib = calibration.get();
        if (calib != null) {
            setImageThresholds(calib.imageThreshold(), calib.ngThreshold());
            pixelThreshold.set(calib.pixelThreshold());
            saveThresholds.save(null, null, null, calib.modelId());
        }
    }

    /**
     * Stores the current thresholds in the project (call when the user lets go of a slider). A threshold still at the
     * model's calibrated value is stored as "calibrated", not as a number: moving the pixel slider must not pin the
     * image thresholds, which a later model calibrates on its own scale.
     */
    public void commitThresholds() {
        InspectionEngine.Calibration calib = calibration.get();
        if (calib != null) {
            saveThresholds.save(setByUser(imageThreshold.get(), calib.imageThreshold()),
                    setByUser(ngThreshold.get(), calib.ngThreshold()),
                    setByUser(pixelThreshold.get(), calib.pixelThreshold()), calib.modelId());
        }
    }

    private static Double setByUser(double shown, double calibrated) {
        return shown == calibrated ? null : shown;
    }

    /**
     * Inspects every image that has no score yet, in the background, updating the gallery as it goes.
     *
     * @param all true to inspect every image again
     */
    public void inspectAll(boolean all) {
        Project current = project.get();
        if (current == null || job.runningProperty().get() || !modelReady.get() || trainingRunning.get()) {
            return;
        }
        List<InspectedItem> unscored = items.stream().filter(item -> all || !item.isInspected()).toList();
        List<InspectedItem> scored = all ? List.of() : items.stream().filter(InspectedItem::isInspected).toList();
        long mine = generation;
        InspectionEngine.Calibration calib = calibration.get();
        // The run's own scores: saved for the project and method it started on, whatever is shown when it ends.
        Map<String, SavedScores.Scored> computed = new ConcurrentHashMap<>();
        List<String> unreadable = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        job.start(Ui.text("inspection.running", unscored.size()), context -> {
            // A model replaced on the command line is found even when every image already has a score (then no
            // image is inspected to notice it, and the screen went on judging by the old model's thresholds).
            String onDisk = engine.modelOnDisk(current);
            if (onDisk != null && calib != null && !onDisk.equals(calib.modelId())) {
                throw new ModelReplacedException();
            }
            // so is a picture written again under its name, or deleted, since it was scored in this session (its
            // score was the old picture's until the project was opened again)
            List<InspectedItem> todo = new java.util.ArrayList<>(unscored);
            for (InspectedItem item : scored) {
                if (changedSinceScored(item.image().file())) {
                    todo.add(item);
                }
            }
            int done = 0;
            for (InspectedItem item : todo) {
                if (context.isCancelled()) {
                    break;
                }
                int before = done;
                String stamp = SavedScores.stamp(item.image().file());
                // A tiled image takes seconds: the bar moves with its tiles, not only between images.
                InspectionEngine.ImageInspection result;
                try {
                    result = engine.inspect(current, item.image().file(),
                            fraction -> context.progress(before + fraction, todo.size()));
                } catch (dmdd.datasets.image.UnreadableImageException e) {
                    // one picture that cannot be read has no score (as the command line's ERROR rows); the others
                    // are inspected, the run used to stop at it again on every Inspect all
                    unreadable.add(e.getMessage());
                    if (item.isInspected()) {
                        // deleted or damaged since its score: the old picture's score and maps go
                        background.onUiThread(() -> {
                            if (mine == generation) {
                                detailCache.remove(item.image().file());
                                scoredAs.remove(item.image().file());
                                setScore(item.image(), Double.NaN);
                            }
                        });
                    }
                    context.progress(++done, todo.size());
                    continue;
                }
                if (result.byAnotherModelThan(calib)) {
                    throw new ModelReplacedException();
                }
                RenderedInspection rendered = render(result, calib);
                computed.put(relative(current, item.image().file()), new SavedScores.Scored(result.score(), stamp));
                background.onUiThread(() -> {
                    if (mine == generation) {
                        detailCache.put(item.image().file(), rendered);
                        scoredAs.put(item.image().file(), stamp);
                        setScore(item.image(), result.score());
                    }
                });
                context.progress(++done, todo.size());
            }
            return done;
        }, done -> {
            if (mine == generation) {
                message.set(unreadable.isEmpty() ? Ui.text("inspection.done", done - unreadable.size())
                        : Ui.text("inspection.doneWithUnreadable", done - unreadable.size(), unreadable.size(),
                                unreadable.get(0)));
            }
            saveScores(current, calib.modelId(), mine, computed);
        }, error -> {
            saveScores(current, calib.modelId(), mine, computed);
            if (mine == generation) {
                reportOrReload(error);
            }
        });
    }

    /**
     * Saves an inspection run's scores: the gallery's when its project and method are still shown, otherwise the
     * run's own added to what that project and method had saved.
     */
    private void saveScores(Project target, String modelId, long runGeneration,
            Map<String, SavedScores.Scored> computed) {
        if (runGeneration == generation) {
            saveScores(target, modelId);
            return;
        }
        background.run(() -> {
            Map<String, SavedScores.Scored> scores = new LinkedHashMap<>(SavedScores.read(scoresFile(target), modelId,
                    target.folder()));
            scores.putAll(computed);
            SavedScores.write(scoresFile(target), modelId, scores);
            return true;
        }, ok -> { }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    /**
     * "Improve model": continues training the model on the normal images (the ones marked OK in the review
     * included) for a short, bounded number of steps in the background, then re-calibrates and inspects every
     * image again; the previous model stays available in {@link #versions()}.
     */
    public void improveModel() {
        Project current = project.get();
        if (current == null || job.runningProperty().get() || !modelReady.get() || trainingRunning.get()) {
            return;
        }
        job.start(Ui.text("inspection.improving", current.settings().training().improveSteps()),
                context -> engine.improve(current, fraction -> context.progress(fraction, 1), context::isCancelled),
                completed -> {
                    message.set(completed ? Ui.text("inspection.improved") : Ui.text("inspection.improveCancelled"));
                    if (completed) {
                        inspectWhenShown = true;
                        modelChanged();
                    }
                }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    /**
     * Goes back to a kept model version (the current model is kept as a version too), then inspects again.
     *
     * @param version a kept version
     */
    public void restoreVersion(ModelVersions.Version version) {
        Project current = project.get();
        if (current == null || version.isCurrent() || job.runningProperty().get() || trainingRunning.get()) {
            return;
        }
        job.start(Ui.text("inspection.restoring", version.id()), context -> {
            engine.restoreVersion(current, version.id());
            return true;
        }, done -> {
            message.set(Ui.text("inspection.restored", version.id()));
            inspectWhenShown = true;
            modelChanged();
        }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    /** @return the model's versions: kept ones, oldest first, then the current one */
    public ObservableList<ModelVersions.Version> versions() {
        return versions;
    }

    /** Stops an Inspect-all run after the current image. */
    public void cancel() {
        job.cancel();
    }

    private void setScore(ProjectImage image, double score) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).image().file().equals(image.file())) {
                items.set(i, new InspectedItem(image, score));
                InspectedItem current = selected.get();
                if (current != null && current.image().file().equals(image.file())) {
                    selected.set(items.get(i));
                }
                return;
            }
        }
    }

    /** Whether the file is not the picture its score was computed from (written again, or deleted); reads the disk. */
    private boolean changedSinceScored(Path file) {
        return !SavedScores.stamp(file).equals(scoredAs.get(file));
    }

    private void loadDetail(InspectedItem item, boolean chosen) {
        Project current = project.get();
        detailWanted = item == null ? null : item.image().file();
        pictureWithoutModel.set(null);
        if (item == null || current == null) {
            detail.set(null);
            return;
        }
        if (!modelReady.get()) {
            detail.set(null);
            showPictureWithoutModel(item.image().file());
            return;
        }
        Path file = item.image().file();
        RenderedInspection cached = detailCache.get(file);
        if (cached != null) {
            detail.set(cached);
            if (!chosen) {
                return;
            }
            // A picture written again under its name since it was scored (a camera's next part) is inspected again,
            // not shown with the old picture's maps and score; the file is looked at off the FX thread.
            long shown = generation;
            background.run(() -> scoredAs.containsKey(file) && changedSinceScored(file), changed -> {
                if (changed && shown == generation && file.equals(detailWanted) && detailCache.get(file) == cached) {
                    detailCache.remove(file);
                    loadDetail(item, false);
                }
            }, error -> { });
            return;
        }
        // nothing of the image shown before stays under this one's name while it loads, or when it cannot be read
        detail.set(null);
        InspectionEngine.Calibration calib = calibration.get();
        long mine = generation;
        background.run(() -> {
            // Arrow keys held down through the gallery queue one request per image passed: only the one still
            // wanted is inspected (the engine takes one at a time; the others would hold up the one on screen).
            if (!file.equals(detailWanted)) {
                return null;
            }
            String stamp = SavedScores.stamp(file);
            InspectionEngine.ImageInspection result = engine.inspect(current, file);
            if (result.byAnotherModelThan(calib)) {
                throw new ModelReplacedException();
            }
            return new Object[] {render(result, calib), stamp};
        }, done -> {
            // A picture of the model shown when it started, not of the one shown now (another method, a new
            // training): dropped, as the screen's calibration and cache no longer belong to it.
            if (done == null || mine != generation) {
                return;
            }
            RenderedInspection rendered = (RenderedInspection) done[0];
            detailCache.put(file, rendered);
            // the score in the gallery is this picture's: a new one, or one written again since its score
            if (!Double.isNaN(rendered.inspection().score())
                    && (!item.isInspected() || !done[1].equals(scoredAs.get(file)))) {
                scoredAs.put(file, (String) done[1]);
                setScore(item.image(), rendered.inspection().score());
            }
            InspectedItem now = selected.get();
            if (now != null && now.image().file().equals(file)) {
                detail.set(rendered);
                if (rendered.inspection().warning() != null) {
                    // a verdict is given, but the person should know the model saw a distorted picture
                    message.set(Ui.text("inspection.lessSure", file.getFileName(), rendered.inspection().warning()));
                }
            }
        }, error -> {
            if (mine == generation) {
                reportOrReload(error);
            }
        });
    }

    /**
     * Shows the picture alone (read off the FX thread) while the project has no model: imported images can be
     * looked at before training. A picture still arriving after the selection, the project or the model changed
     * is dropped.
     */
    private void showPictureWithoutModel(Path file) {
        long mine = generation;
        background.run(() -> file.equals(detailWanted) ? picture(engine.picture(file)) : null, picture -> {
            if (picture != null && mine == generation && !modelReady.get() && file.equals(detailWanted)) {
                pictureWithoutModel.set(picture);
            }
        }, error -> {
            if (mine == generation && file.equals(detailWanted)) {
                message.set(Ui.text("status.error", error.getMessage()));
            }
        });
    }

    /**
     * The model in the project's folder is not the one the screen's thresholds belong to: trained, improved or
     * imported on the command line while the workstation had it open. Its scores are not judged by the old
     * thresholds; the screen loads the model again.
     */
    private static final class ModelReplacedException extends Exception {
        ModelReplacedException() {
            super("the model was replaced outside the workstation");
        }
    }

    private void reportOrReload(Throwable error) {
        if (error instanceof ModelReplacedException) {
            reloaded = true; // said once the model is loaded again
            modelChanged();
        } else {
            message.set(Ui.text("status.error", error.getMessage()));
        }
    }

    /**
     * Turns the maps into the four pictures. Colours use the calibrated range of each map, never the
     * image's own minimum and maximum, so a normal image looks calm.
     *
     * @param inspection the maps
     * @param calib      the calibration
     * @return the pictures
     */
    public static RenderedInspection render(InspectionEngine.ImageInspection inspection,
            InspectionEngine.Calibration calib) {
        int w = inspection.width();
        int h = inspection.height();
        return new RenderedInspection(inspection, picture(inspection.image()),
                picture(heatLayer(inspection.normality(), calib.normality()), w, h),
                picture(heatLayer(inspection.abnormality(), calib.abnormality()), w, h),
                picture(heatLayer(inspection.fused(), calib.fused()), w, h));
    }

    /**
     * An image's pixels as an opaque picture. An image not yet shown may be made on any thread.
     *
     * @param image the image
     * @return the picture
     */
    static WritableImage picture(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int[] argb = image.toBufferedImage().getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            argb[i] |= 0xff000000;
        }
        return picture(argb, w, h);
    }

    /**
     * An ARGB picture as an image (its pixels are copied). An image not yet shown may be made on any thread.
     *
     * @param argb   row-major ARGB pixels
     * @param width  width
     * @param height height
     * @return the image
     */
    static WritableImage picture(int[] argb, int width, int height) {
        WritableImage image = new WritableImage(width, height);
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return image;
    }

    private static int[] heatLayer(float[] map, InspectionEngine.Range range) {
        int[] colours = Heatmaps.heatmap(map, range.low(), range.high(), COLORMAP);
        for (int i = 0; i < colours.length; i++) {
            // Alpha grows with the calibrated score: normal texture stays visible under the colour.
            double t = Heatmaps.scale(map[i], range.low(), range.high());
            int alpha = (int) Math.round(255 * Math.min(1.0, 0.15 + 0.85 * t));
            colours[i] = (alpha << 24) | (colours[i] & 0xffffff);
        }
        return colours;
    }

    /**
     * The colour table of the maps, for the colour bars.
     *
     * @return the colormap
     */
    public Colormap colormap() {
        return COLORMAP;
    }

    /** Selects the next image of the gallery (wraps around). */
    public void next() {
        step(1);
    }

    /** Selects the previous image of the gallery (wraps around). */
    public void previous() {
        step(-1);
    }

    private void step(int direction) {
        if (gallery.isEmpty()) {
            return;
        }
        int index = selected.get() == null ? -1 : indexOf(selected.get());
        int next = index < 0 ? 0 : Math.floorMod(index + direction, gallery.size());
        selected.set(gallery.get(next));
    }

    private int indexOf(InspectedItem item) {
        for (int i = 0; i < gallery.size(); i++) {
            if (gallery.get(i).image().file().equals(item.image().file())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The verdict of an item under the current image thresholds.
     *
     * @param item a gallery item
     * @return OK, UNSURE, NG or UNKNOWN
     */
    public Verdict verdict(InspectedItem item) {
        return Verdict.of(item.score(), imageThreshold.get(), ngThreshold.get());
    }

    /**
     * @param item an inspected image
     * @return its score as every inspection view shows it, with digits enough to read on the side of the
     *         thresholds its verdict says ({@link ScoreText#score})
     */
    public String scoreText(InspectedItem item) {
        return ScoreText.score(item.score(), imageThreshold.get(), ngThreshold.get());
    }

    /**
     * Opens the review queue: the unsure images first, then the NG ones, each with its maps; the first one
     * without a decision is selected.
     */
    public void startReview() {
        filter.set(Filter.REVIEW);
        selected.set(null);
        for (InspectedItem item : gallery) {
            if (decision(item) == Label.UNLABELLED) {
                selected.set(item);
                return;
            }
        }
        if (!gallery.isEmpty()) {
            selected.set(gallery.get(0));
        }
    }

    /**
     * A person's decision on the selected image ({@code O} or {@code D}, as in Annotate): stored with the
     * annotations; an image marked OK is copied into the project's normal set (and the copy removed again when
     * it is marked defective), then the next image of the gallery without a decision is selected.
     *
     * @param label {@link Label#OK} or {@link Label#DEFECT}
     */
    public void decide(Label label) {
        InspectedItem item = selected.get();
        Project current = project.get();
        if (item == null || current == null || label == Label.UNLABELLED) {
            return;
        }
        Path file = item.image().file();
        decisions.put(file, label);
        decisionStore.decide(file, label);
        background.run(() -> {
            if (label == Label.OK) {
                ReviewedNormals.add(current, file);
            } else {
                ReviewedNormals.remove(current, file);
            }
            return true;
        }, changed -> onNormalSetChanged.run(),
                error -> message.set(Ui.text("status.error", error.getMessage())));
        nextUndecided();
    }

    /** Selects the next gallery image without a decision after the selected one (or simply the next). */
    private void nextUndecided() {
        int start = selected.get() == null ? -1 : indexOf(selected.get());
        for (int k = 1; k <= gallery.size(); k++) {
            InspectedItem candidate = gallery.get(Math.floorMod(start + k, gallery.size()));
            if (decision(candidate) == Label.UNLABELLED) {
                selected.set(candidate);
                return;
            }
        }
        next();
    }

    /**
     * @param item a gallery item
     * @return what a person said of it (the annotations' label), {@link Label#UNLABELLED} when nothing
     */
    public Label decision(InspectedItem item) {
        return decisions.getOrDefault(item.image().file(), Label.UNLABELLED);
    }

    /**
     * Shows the labels people gave (the annotations, kept up to date by the annotation screen).
     *
     * @param labels label by image file
     */
    public void showDecisions(Map<Path, Label> labels) {
        if (!labels.equals(decisions)) {
            // one change, not one per entry: each entry's event recounted every image and redrew every cell, which
            // held the FX thread for seconds when a project of thousands of images opened or took one more
            replacingDecisions = true;
            try {
                decisions.clear();
                decisions.putAll(labels);
            } finally {
                replacingDecisions = false;
            }
            decisionsChanged();
        }
    }

    private void decisionsChanged() {
        decisionsRevision.set(decisionsRevision.get() + 1);
        recount();
    }

    /**
     * @return a number that changes once with every change of the {@linkplain #decisions() decisions} (a whole new
     *         set counts once): what screens listen to, rather than to the map's per-entry events
     */
    public javafx.beans.property.ReadOnlyIntegerProperty decisionsRevisionProperty() {
        return decisionsRevision.getReadOnlyProperty();
    }

    /** @param store where decisions are stored (the annotations) */
    public void setDecisionStore(DecisionStore store) {
        decisionStore = store;
    }

    /** @param action runs on the UI thread after a decision added or removed a copy in the normal set */
    public void setOnNormalSetChanged(Runnable action) {
        onNormalSetChanged = action;
    }

    /** @return people's decisions by image file (read-only use: the gallery's marks) */
    public ObservableMap<Path, Label> decisions() {
        return decisions;
    }

    /**
     * @return the review button's text: how many of the queue's images (unsure or NG) wait for a person's decision,
     *         that every one has one, or that nothing is flagged
     */
    public ReadOnlyStringProperty reviewTextProperty() {
        return reviewText;
    }

    /** Zooms in around the view centre. */
    public void zoomIn() {
        zoom.set(Math.min(16, zoom.get() * 1.25));
    }

    /** Zooms out. */
    public void zoomOut() {
        zoom.set(Math.max(1, zoom.get() / 1.25));
        clampPan();
    }

    /**
     * Moves the view by a fraction of the visible area.
     *
     * @param dx horizontal movement, in image widths
     * @param dy vertical movement, in image heights
     */
    public void pan(double dx, double dy) {
        panX.set(panX.get() + dx);
        panY.set(panY.get() + dy);
        clampPan();
    }

    /** Shows the whole image again. */
    public void resetView() {
        zoom.set(1);
        panX.set(0.5);
        panY.set(0.5);
    }

    private void clampPan() {
        double half = 0.5 / zoom.get();
        panX.set(Math.max(half, Math.min(1 - half, panX.get())));
        panY.set(Math.max(half, Math.min(1 - half, panY.get())));
    }

    private void relabel() {
        recount();
        refilter();
    }

    private void recount() {
        int ok = 0;
        int unsure = 0;
        int ng = 0;
        for (InspectedItem item : items) {
            Verdict v = verdict(item);
            if (v == Verdict.OK) {
                ok++;
            } else if (v == Verdict.UNSURE) {
                unsure++;
            } else if (v == Verdict.NG) {
                ng++;
            }
        }
        okCount.set(ok);
        unsureCount.set(unsure);
        ngCount.set(ng);
        long left = items.stream().filter(item -> inQueue(item) && decision(item) == Label.UNLABELLED).count();
        // "0 left" read as if nothing had been flagged: the text says whether people decided them all
        int queued = unsure + ng;
        reviewText.set(queued == 0 ? Ui.text("inspection.review.none") : left == 0
                ? Ui.text("inspection.review.allDecided", queued) : Ui.text("inspection.review", left, queued));
        updateHistogram();
    }

    private void refilter() {
        Filter f = filter.get();
        filtered.setPredicate(item -> switch (f) {
            case ALL -> true;
            case OK -> verdict(item) == Verdict.OK;
            case UNSURE -> verdict(item) == Verdict.UNSURE;
            case NG -> verdict(item) == Verdict.NG;
            case REVIEW -> inQueue(item);
        });
        if (f == Filter.REVIEW) {
            // Verdicts changed: the queue's order (unsure first) must be worked out again.
            resort();
        }
    }

    private boolean inQueue(InspectedItem item) {
        Verdict v = verdict(item);
        return v == Verdict.UNSURE || v == Verdict.NG;
    }

    private void resort() {
        Comparator<InspectedItem> byName = Comparator.comparing(item -> item.image().file().toString());
        Comparator<InspectedItem> byScore = Comparator.comparingDouble(
                item -> Double.isNaN(item.score()) ? Double.NEGATIVE_INFINITY : item.score());
        Comparator<InspectedItem> chosen = switch (sortOrder.get()) {
            case NAME -> byName;
            case SCORE_DESCENDING -> byScore.reversed().thenComparing(byName);
            case SCORE_ASCENDING -> byScore.thenComparing(byName);
        };
        if (filter.get() == Filter.REVIEW) {
            Comparator<InspectedItem> unsureFirst = Comparator.comparingInt(item -> verdict(item) == Verdict.UNSURE ? 0 : 1);
            chosen = unsureFirst.thenComparing(chosen);
        }
        gallery.setComparator(chosen);
    }

    private void updateHistogram() {
        InspectionEngine.Calibration calib = calibration.get();
        double[] normal = calib == null ? new double[0] : calib.normalScores();
        double[] inspected = items.stream().mapToDouble(InspectedItem::score).filter(Double::isFinite).toArray();
        // The axis holds the calibrated thresholds, not the ones on screen: it stays put while the user drags them.
        histogram.set(ScoreHistogram.of(normal, inspected, calib == null ? Double.NaN : calib.imageThreshold(),
                calib == null ? Double.NaN : calib.ngThreshold(), 30));
    }

    private void saveScores(Project target, String modelId) {
        Map<String, SavedScores.Scored> scores = new LinkedHashMap<>();
        for (InspectedItem item : items) {
            String stamp = scoredAs.get(item.image().file());
            if (item.isInspected() && stamp != null) {
                scores.put(relative(target, item.image().file()), new SavedScores.Scored(item.score(), stamp));
            }
        }
        background.run(() -> {
            SavedScores.write(scoresFile(target), modelId, scores);
            return true;
        }, ok -> { }, error -> message.set(Ui.text("status.error", error.getMessage())));
    }

    private static Path scoresFile(Project target) {
        // Per method: another method's model scores on another scale.
        return target.resultsDir(target.method()).resolve("scores.json");
    }

    private static String relative(Project target, Path file) {
        return target.folder().relativize(file).toString().replace('\\', '/');
    }

    /** @param action stores user thresholds in the project (nulls = use the calibrated ones) */
    public void setSaveThresholds(ThresholdSaver action) {
        saveThresholds = action;
    }

    /**
     * @return the method whose model the screen shows (the one chosen in the project's training settings); it
     *         decides what the three maps are
     */
    public ObjectProperty<Method> methodProperty() {
        return method;
    }

    /** @return the shown project */
    public ObjectProperty<Project> projectProperty() {
        return project;
    }

    /** @return the model's calibration, null without a model */
    public ObjectProperty<InspectionEngine.Calibration> calibrationProperty() {
        return calibration;
    }

    /** @return all items, in project order */
    public ObservableList<InspectedItem> items() {
        return items;
    }

    /** @return the gallery: filtered by verdict and sorted */
    public SortedList<InspectedItem> gallery() {
        return gallery;
    }

    /** @return the verdict filter */
    public ObjectProperty<Filter> filterProperty() {
        return filter;
    }

    /** @return the sort order */
    public ObjectProperty<SortOrder> sortOrderProperty() {
        return sortOrder;
    }

    /** @return the OK-below image-score threshold (OK at or below it) */
    public DoubleProperty imageThresholdProperty() {
        return imageThreshold;
    }

    /** @return the NG-above image-score threshold (NG above it; unsure between the two), never below the other */
    public DoubleProperty ngThresholdProperty() {
        return ngThreshold;
    }

    /** @return the pixel threshold of the fused map (draws the contour) */
    public DoubleProperty pixelThresholdProperty() {
        return pixelThreshold;
    }

    /** @return the opacity of the heat layers, shared by the panels */
    public DoubleProperty opacityProperty() {
        return opacity;
    }

    /** @return zoom factor shared by the panels (1 = whole image) */
    public DoubleProperty zoomProperty() {
        return zoom;
    }

    /** @return centre of the view as a fraction of the image width */
    public DoubleProperty panXProperty() {
        return panX;
    }

    /** @return centre of the view as a fraction of the image height */
    public DoubleProperty panYProperty() {
        return panY;
    }

    /** @return the selected gallery item */
    public ObjectProperty<InspectedItem> selectedProperty() {
        return selected;
    }

    /**
     * @return the defect contour of the shown picture at the pixel threshold, drawn in the background; null while
     *         none is drawn yet
     */
    public ReadOnlyObjectProperty<Image> contourProperty() {
        return contour;
    }

    /** @return the selected image's pictures (null while loading or without model) */
    public ObjectProperty<RenderedInspection> detailProperty() {
        return detail;
    }

    /** @return the selected image's picture while the project has no model (null otherwise, or while loading) */
    public ReadOnlyObjectProperty<Image> pictureWithoutModelProperty() {
        return pictureWithoutModel;
    }

    /** @return the score histogram */
    public ObjectProperty<ScoreHistogram> histogramProperty() {
        return histogram;
    }

    /** @return number of OK images */
    public IntegerProperty okCountProperty() {
        return okCount;
    }

    /** @return number of UNSURE images */
    public IntegerProperty unsureCountProperty() {
        return unsureCount;
    }

    /** @return number of NG images */
    public IntegerProperty ngCountProperty() {
        return ngCount;
    }

    /** @return whether Inspect all runs */
    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    /**
     * @return whether a training runs (bound by the workstation): inspecting and improving wait for it, since it
     *         writes the model they would read or write
     */
    public BooleanProperty trainingRunningProperty() {
        return trainingRunning;
    }

    /** @return whether a trained model is loaded */
    public BooleanProperty modelReadyProperty() {
        return modelReady;
    }

    /** @return progress of Inspect all */
    public ReadOnlyDoubleProperty progressProperty() {
        return job.progressProperty();
    }

    /** @return status text */
    public StringProperty messageProperty() {
        return message;
    }
}
