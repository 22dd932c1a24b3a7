package dmdd.app.gui.annotation;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.annotation.AnnotationEditor;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.DefectTypes;
import dmdd.datasets.annotation.EditableMask;
import dmdd.datasets.annotation.ImageAnnotation;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.WritableImage;

/**
 * State of the annotation screen, without any JavaFX node (tested without a window): the list of images
 * with their labels, the current image, its mask editor (brush, eraser, polygon, start from the model's
 * prediction), label and defect type, undo/redo per image (kept while the project is open), and saving:
 * every finished change is queued to an {@link AnnotationSaver} at once. Coordinates are image pixels.
 */
public final class AnnotationViewModel {
    /** Largest image side read for annotation; bigger files are subsampled and their masks saved at that size. */
    public static final int MAX_SIDE = 4096;
    /** Smallest and largest brush radius in image pixels. */
    public static final double MIN_RADIUS = 1;
    /** Largest brush radius in image pixels. */
    public static final double MAX_RADIUS = 200;

    /** The painting tools. */
    public enum Tool {
        /** Paints defect pixels. */
        BRUSH,
        /** Removes defect pixels. */
        ERASER,
        /** Click corners, then close to fill. */
        POLYGON
    }

    /**
     * The model's fused map for an image, for "start from the model's prediction".
     *
     * @param fused          row-major fused map
     * @param width          map width
     * @param height         map height
     * @param pixelThreshold pixels above it are defect
     */
    public record Prediction(float[] fused, int width, int height, float pixelThreshold) {
    }

    /** Runs the model on one image (called on a background thread). */
    @FunctionalInterface
    public interface PredictionSource {
        /**
         * @param projectFolder the project
         * @param image         the image file
         * @return the prediction
         * @throws Exception when there is no model or the image cannot be inspected
         */
        Prediction predict(Path projectFolder, Path image) throws Exception;
    }

    /** Reads an image for display and annotation (called on a background thread). */
    @FunctionalInterface
    public interface ImageLoader {
        /**
         * @param file the image file
         * @return the pixels (at most {@link #MAX_SIDE} a side) and the image's full upright size, which its mask
         *         is saved at
         * @throws Exception when the file cannot be read
         */
        ImageReader.Sized load(Path file) throws Exception;
    }

    /**
     * One image in the list.
     *
     * @param file       the image file
     * @param name       its path inside the project's inspect folder
     * @param label      its label
     * @param defectType its defect type or {@code null}
     */
    public record Entry(Path file, String name, Label label, String defectType) {
    }

    /**
     * A polygon corner.
     *
     * @param x column in image pixels
     * @param y row in image pixels
     */
    public record Point(double x, double y) {
    }

    private final BackgroundWork background;
    private final Executor saveExecutor;
    private final ImageLoader loader;
    private final PredictionSource predictions;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<String> defectTypes = FXCollections.observableArrayList();
    private final ObservableList<Point> polygon = FXCollections.observableArrayList();
    private final IntegerProperty selectedIndex = new SimpleIntegerProperty(-1);
    private final ObjectProperty<RgbImage> image = new SimpleObjectProperty<>();
    private final ObjectProperty<WritableImage> picture = new SimpleObjectProperty<>();
    private final ObjectProperty<Label> label = new SimpleObjectProperty<>(Label.UNLABELLED);
    private final StringProperty defectType = new SimpleStringProperty(DefectTypes.DEFAULT);
    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(Tool.BRUSH);
    private final DoubleProperty brushRadius = new SimpleDoubleProperty(8);
    private final BooleanProperty canUndo = new SimpleBooleanProperty();
    private final BooleanProperty canRedo = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    /** Whether a model can predict a mask (the workstation binds it to the inspection screen's model). */
    private final BooleanProperty predictionAvailable = new SimpleBooleanProperty(true);
    private final IntegerProperty maskRevision = new SimpleIntegerProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final ObjectProperty<Path> projectFolder = new SimpleObjectProperty<>();
    private final Map<Path, AnnotationEditor> editors = new HashMap<>();
    private AnnotationSaver saver;
    private AnnotationEditor editor;
    private Path current;
    private String chosenType;
    /** The message of the last refused type name: an accepted name takes it off the status line. */
    private String typeRefusal;
    private Label pendingLabel;
    private int[] dirty;
    private double lastX;
    private double lastY;
    private int loadGeneration;
    private int showGeneration;

    /**
     * @param background   runs file and model work off the UI thread
     * @param saveExecutor a single-threaded executor for saves ({@code Runnable::run} in tests)
     * @param loader       reads images
     * @param predictions  runs the model for "start from prediction"
     */
    public AnnotationViewModel(BackgroundWork background, Executor saveExecutor, ImageLoader loader,
                               PredictionSource predictions) {
        this.background = background;
        this.saveExecutor = saveExecutor;
        this.loader = loader;
        this.predictions = predictions;
        brushRadius.addListener((obs, old, r) -> {
            double clamped = Math.max(MIN_RADIUS, Math.min(MAX_RADIUS, r.doubleValue()));
            if (clamped != r.doubleValue()) {
                brushRadius.set(clamped);
            }
        });
    }

    /** @return the default image loader (the datasets reader, up to {@link #MAX_SIDE}) */
    public static ImageLoader defaultLoader() {
        ImageReader reader = new ImageReader(MAX_SIDE);
        return reader::readSized;
    }

    /**
     * Shows a project's images to inspect (opening its annotations in the background).
     *
     * @param folder the project folder
     * @param images its images to inspect, in display order
     */
    public void show(Path folder, List<Path> images) {
        // The saves still queued reach the disk before the list is read again, off the UI thread: a save can
        // take a while (a large mask, a slow disk) and this runs on many clicks.
        Callable<Boolean> saved = flushLater();
        Path previous = projectFolder.get();
        boolean sameProject = folder.equals(previous) && saver != null;
        projectFolder.set(folder);
        if (!sameProject) {
            editors.clear();
            editor = null;
            current = null;
            saver = null;
            image.set(null);
            picture.set(null);
            entries.clear();
            selectedIndex.set(-1);
            // The edits to undo were the other project's.
            canUndo.set(false);
            canRedo.set(false);
        }
        busy.set(true);
        int generation = ++showGeneration;
        AnnotationSaver keptSaver = saver;
        background.run(() -> {
            saved.call();
            AnnotationStore store = sameProject ? keptSaver.store() : AnnotationStore.forProject(folder);
            List<Entry> list = images.stream().map(file -> entry(store, file)).toList();
            return new Object[] {store, list, store.defectTypes()};
        }, result -> {
            if (generation != showGeneration) {
                // A newer list (an import still adding images, another project) is on its way.
                return;
            }
            busy.set(false);
            if (!folder.equals(projectFolder.get())) {
                return;
            }
            AnnotationStore store = (AnnotationStore) result[0];
            if (saver == null || saver.store() != store) {
                saver = new AnnotationSaver(store, saveExecutor,
                        e -> background.onUiThread(() -> status.set(text("annotation.saveFailed", e.getMessage()))));
            }
            @SuppressWarnings("unchecked")
            List<Entry> list = (List<Entry>) result[1];
            @SuppressWarnings("unchecked")
            List<String> types = (List<String>) result[2];
            int shown = selectedIndex.get();
            Path keep = current != null ? current
                    : shown >= 0 && shown < entries.size() ? entries.get(shown).file() : null;
            entries.setAll(list);
            defectTypes.setAll(types);
            int index = keep == null ? -1 : indexOf(keep);
            if (index < 0 && !list.isEmpty()) {
                select(0);
            } else if (index >= 0) {
                selectedIndex.set(index);
            } else {
                selectedIndex.set(-1);
                image.set(null);
                picture.set(null);
            }
        }, error -> {
            if (generation == showGeneration) {
                busy.set(false);
                status.set(text("annotation.openFailed", error.getMessage()));
            }
        });
    }

    private static Entry entry(AnnotationStore store, Path file) {
        ImageAnnotation a = store.loadLabel(file);
        String name = store.imagesRoot().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
        return new Entry(file, name, a.label(), a.defectType());
    }

    private int indexOf(Path file) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).file().equals(file)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Shows one image of the list (its pixels and annotation load in the background; its undo history
     * is kept from earlier visits).
     *
     * @param index position in {@link #entries()}
     */
    public void select(int index) {
        if (index < 0 || index >= entries.size() || saver == null) {
            return;
        }
        finishStroke();
        polygon.clear();
        Path file = entries.get(index).file();
        selectedIndex.set(index);
        if (file.equals(current) && editor != null) {
            return;
        }
        int generation = ++loadGeneration;
        // Until the new image is there, edits must not reach the previous one; a label typed meanwhile
        // (fast review: Right, O) waits for it.
        editor = null;
        current = null;
        pendingLabel = null;
        AnnotationStore store = saver.store();
        AnnotationEditor known = editors.get(file);
        busy.set(true);
        background.run(() -> {
            ImageReader.Sized loaded = loader.load(file);
            // the picture for the canvas is built here too: converting a camera frame took the FX thread ~0.5 s
            return new Object[] {loaded, known == null ? store.load(file) : null, store.suggestedDefectType(file),
                picture(loaded.image())};
        }, result -> {
                if (generation != loadGeneration) {
                    return;
                }
                busy.set(false);
                ImageReader.Sized sized = (ImageReader.Sized) result[0];
                RgbImage pixels = sized.image();
                AnnotationEditor e = known;
                if (e == null || e.width() != pixels.width() || e.height() != pixels.height()) {
                    ImageAnnotation saved = result[1] != null ? (ImageAnnotation) result[1] : e.annotation();
                    String suggested = (String) result[2];
                    if (DefectTypes.DEFAULT.equals(suggested) && chosenType != null) {
                        suggested = chosenType;
                    }
                    int fullWidth = sized.originalWidth();
                    int fullHeight = sized.originalHeight();
                    Mask fullBefore = saved.mask();
                    Mask[] shownBefore = new Mask[1];
                    // Painted on the picture shown (a camera frame over MAX_SIDE is shown smaller), saved at the
                    // image's own size with only the edited pixels changed: a mask of another size is left out of
                    // the metrics, and an enlarged shrunk copy would erase detail finer than the picture shown.
                    e = new AnnotationEditor(pixels.width(), pixels.height(), saved, suggested,
                            annotation -> changed(file, annotation, shown -> atSize(shown, fullBefore,
                                    shownBefore[0], fullWidth, fullHeight)));
                    shownBefore[0] = e.mask().toMask();
                    editors.put(file, e);
                }
                current = file;
                editor = e;
                picture.set((WritableImage) result[3]);
                image.set(pixels);
                refresh();
                // a refused save stays on screen until the disk takes it: the paint is not on disk yet
                int unsaved = saver == null ? 0 : saver.unsavedImages().size();
                status.set(unsaved > 0 ? text("annotation.unsaved", unsaved) : "");
                if (pendingLabel != null) {
                    Label waiting = pendingLabel;
                    pendingLabel = null;
                    e.setLabel(waiting);
                }
            }, error -> {
                if (generation == loadGeneration) {
                    busy.set(false);
                    current = null;
                    editor = null;
                    image.set(null);
                    picture.set(null);
                    // nothing of the image shown before stays: its label and type are not this one's
                    label.set(Label.UNLABELLED);
                    pendingLabel = null;
                    canUndo.set(false);
                    canRedo.set(false);
                    status.set(text("annotation.loadFailed", file.getFileName(), error.getMessage()));
                }
            });
    }

    /**
     * Selects the image with this file, if it is in the list (for "open from the metrics view").
     *
     * @param file an image file
     * @return whether it was found
     */
    public boolean select(Path file) {
        int index = indexOf(file);
        if (index >= 0) {
            select(index);
        }
        return index >= 0;
    }

    /** Shows the next image. */
    public void next() {
        select(Math.min(entries.size() - 1, selectedIndex.get() + 1));
    }

    /** Shows the previous image. */
    public void previous() {
        select(Math.max(0, selectedIndex.get() - 1));
    }

    /** Labels the current image OK (its mask is removed). */
    public void labelOk() {
        setLabel(Label.OK);
    }

    /** Labels the current image defective (with the chosen defect type). */
    public void labelDefect() {
        setLabel(Label.DEFECT);
    }

    /**
     * Records a review decision on any image of the list (the inspection screen's review queue), through the
     * same store and saver as every other change here, so the two screens never overwrite each other: OK
     * drops a mask; defective keeps a painted mask and type, or takes the chosen type. An image open here
     * changes through its editor (one undo step).
     *
     * @param file     an image of the list
     * @param decision {@link Label#OK} or {@link Label#DEFECT}
     */
    public void decide(Path file, Label decision) {
        AnnotationEditor known = editors.get(file);
        if (known != null) {
            known.setLabel(decision);
            return;
        }
        int index = indexOf(file);
        if (saver == null || index < 0) {
            status.set(text("annotation.saveFailed", file.getFileName()));
            return;
        }
        Entry entry = entries.get(index);
        if (entry.label() == decision) {
            return; // a defect keeps its mask and type; an OK image stays OK
        }
        // Decided here, on the UI thread, and queued on the one saver at once: a list reloaded meanwhile
        // (show() flushes the saver first) already reads the decision back.
        String type = chosenType != null ? chosenType : saver.store().suggestedDefectType(file);
        changed(file, decision == Label.DEFECT ? ImageAnnotation.defect(type, null)
                : new ImageAnnotation(decision, null, null));
    }

    /** Removes the current image's label. */
    public void clearLabel() {
        setLabel(Label.UNLABELLED);
    }

    private void setLabel(Label newLabel) {
        if (editor != null) {
            editor.setLabel(newLabel);
        } else if (busy.get() && selectedIndex.get() >= 0) {
            pendingLabel = newLabel;
        }
    }

    /**
     * Names the defect type of the current image (and of images labelled defective next); new names are
     * added to the list.
     *
     * @param name the type name
     * @return whether the name was accepted
     */
    public boolean chooseDefectType(String name) {
        String type;
        try {
            type = DefectTypes.validate(name);
            if (!defectTypes.contains(type)) {
                DefectTypes.validateNew(type);
            }
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            typeRefusal = e.getMessage();
            return false;
        }
        if (typeRefusal != null && typeRefusal.equals(status.get())) {
            status.set(""); // the refusal was of another name
        }
        typeRefusal = null;
        if (!defectTypes.contains(type)) {
            defectTypes.add(type);
            defectTypes.sort(null);
        }
        defectType.set(type);
        chosenType = type;
        if (editor != null) {
            editor.setNewDefectType(type);
            if (editor.label() == Label.DEFECT) {
                editor.setDefectType(type);
            }
        }
        return true;
    }

    /** Undoes the current image's last change. */
    public void undo() {
        if (editor != null) {
            polygon.clear();
            editor.undo();
        }
    }

    /** Redoes the current image's last undone change. */
    public void redo() {
        if (editor != null) {
            editor.redo();
        }
    }

    /**
     * The mouse went down on the image.
     *
     * @param x column in image pixels
     * @param y row in image pixels
     */
    public void press(double x, double y) {
        if (editor == null) {
            return;
        }
        if (tool.get() == Tool.POLYGON) {
            polygon.add(new Point(x, y));
            return;
        }
        editor.beginStroke(x, y, brushRadius.get(), tool.get() == Tool.BRUSH);
        lastX = x;
        lastY = y;
        changedRegion(x, y, x, y);
    }

    /**
     * The mouse moved with the button down.
     *
     * @param x column in image pixels
     * @param y row in image pixels
     */
    public void drag(double x, double y) {
        if (editor != null && editor.isStroking()) {
            editor.strokeTo(x, y);
            changedRegion(lastX, lastY, x, y);
            lastX = x;
            lastY = y;
        }
    }

    /** Marks the pixels a brush segment can have touched, so the view redraws only them. */
    private void changedRegion(double ax, double ay, double bx, double by) {
        double r = Math.max(brushRadius.get(), 0.5) + 1;
        int w = editor.width();
        int h = editor.height();
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - r));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - r));
        int x1 = Math.min(w - 1, (int) Math.ceil(Math.max(ax, bx) + r));
        int y1 = Math.min(h - 1, (int) Math.ceil(Math.max(ay, by) + r));
        dirty = x0 <= x1 && y0 <= y1 ? new int[] {x0, y0, x1, y1} : new int[] {0, 0, -1, -1};
        maskRevision.set(maskRevision.get() + 1);
    }

    /**
     * The part of the mask the last change can have touched, for a fast redraw while painting.
     *
     * @return {x0, y0, x1, y1} inclusive (empty when x1 &lt; x0), or {@code null} when the whole mask may have changed
     */
    public int[] dirtyRegion() {
        return dirty == null ? null : dirty.clone();
    }

    /** The mouse button went up: the stroke becomes one undo step and is saved. */
    public void release() {
        finishStroke();
    }

    private void finishStroke() {
        if (editor != null && editor.isStroking()) {
            editor.endStroke();
            dirty = null;
            maskRevision.set(maskRevision.get() + 1);
        }
    }

    /**
     * Fills the polygon clicked so far (with the eraser when {@code erase}) and starts a new one.
     *
     * @param erase whether the polygon removes defect pixels instead
     */
    public void closePolygon(boolean erase) {
        if (editor == null || polygon.size() < 3) {
            polygon.clear();
            return;
        }
        double[] xs = polygon.stream().mapToDouble(Point::x).toArray();
        double[] ys = polygon.stream().mapToDouble(Point::y).toArray();
        polygon.clear();
        editor.fillPolygon(xs, ys, !erase);
    }

    /** Drops the polygon clicked so far. */
    public void cancelPolygon() {
        polygon.clear();
    }

    /** Erases the current mask (one undo step). */
    public void clearMask() {
        if (editor != null) {
            editor.clearMask();
        }
    }

    /**
     * @return whether the image shown has a mask that "start from prediction" would replace (a person's ground
     *         truth: the view asks first, since Measure would then score the model against its own answer)
     */
    public boolean predictionReplacesAMask() {
        return editor != null && editor.mask().area() > 0;
    }

    /** Replaces the current mask by the model's prediction (the fused map above the pixel threshold). */
    public void startFromPrediction() {
        Path file = current;
        Path project = projectFolder.get();
        AnnotationEditor target = editor;
        if (file == null || project == null || target == null) {
            return;
        }
        busy.set(true);
        status.set(text("annotation.predicting"));
        background.run(() -> predictions.predict(project, file), p -> {
            if (!project.equals(projectFolder.get()) || saver == null) {
                // another project was opened meanwhile: its saver must not store a mask of an image of this one
                return;
            }
            busy.set(false);
            status.set("");
            target.startFromPrediction(p.fused(), p.width(), p.height(), p.pixelThreshold());
            if (target == editor) {
                dirty = null;
                maskRevision.set(maskRevision.get() + 1);
            }
        }, error -> {
            if (!project.equals(projectFolder.get())) {
                return;
            }
            busy.set(false);
            status.set(text("annotation.predictFailed", error.getMessage()));
        });
    }

    /**
     * Waits until every change is on disk.
     *
     * @return whether all saves finished in time
     */
    public boolean flush() {
        finishStroke();
        return saver == null || saver.flush(30);
    }

    /**
     * Before the project is left (another project opens, or the window closes): ends a stroke in progress, tries
     * every save the disk refused once more and waits for the queued ones. Runs on the UI thread because the
     * person's answer to what is left decides whether the project may be left; a refused save fails at once.
     *
     * @return the images whose annotations are still not on disk, in file order (empty: nothing would be lost)
     */
    public List<Path> unsavedBeforeLeaving() {
        finishStroke();
        if (saver == null) {
            return List.of();
        }
        saver.flush(30);
        return saver.unsavedImages();
    }

    /**
     * Ends a stroke in progress (on the UI thread) and gives the wait for every change to reach the disk, to call
     * off the UI thread.
     *
     * @return waits at most 30 s; true when all saves finished in time
     */
    public Callable<Boolean> flushLater() {
        finishStroke();
        AnnotationSaver pending = saver;
        return () -> pending == null || pending.flush(30);
    }

    private static ImageAnnotation atSize(ImageAnnotation annotation, Mask fullBefore, Mask shownBefore, int width,
            int height) {
        Mask mask = annotation.mask();
        return mask == null || mask.width() == width && mask.height() == height ? annotation
                : new ImageAnnotation(annotation.label(), annotation.defectType(),
                        Mask.editedAtFullSize(fullBefore, shownBefore, mask, width, height));
    }

    private void changed(Path file, ImageAnnotation annotation) {
        changed(file, annotation, java.util.function.UnaryOperator.identity());
    }

    private void changed(Path file, ImageAnnotation annotation,
            java.util.function.UnaryOperator<ImageAnnotation> finish) {
        saver.save(file, annotation, finish);
        Path folder = projectFolder.get();
        if (annotation.label() != Label.OK && folder != null) {
            // An image no longer marked OK leaves the normal set, whichever screen changed its label: the review
            // queue's copy of it would otherwise be trained on as a normal part after it was marked defective here.
            background.run(() -> dmdd.model.project.ProjectStore.isProject(folder)
                    && dmdd.model.project.ReviewedNormals.remove(dmdd.model.project.ProjectStore.open(folder), file),
                    removed -> { }, error -> status.set(text("status.error", error.getMessage())));
        }
        int index = indexOf(file);
        if (index >= 0) {
            Entry old = entries.get(index);
            entries.set(index, new Entry(old.file(), old.name(), annotation.label(), annotation.defectType()));
        }
        if (annotation.defectType() != null && !defectTypes.contains(annotation.defectType())) {
            defectTypes.add(annotation.defectType());
            defectTypes.sort(null);
        }
        if (file.equals(current)) {
            refresh();
        }
    }

    private void refresh() {
        label.set(editor.label());
        if (editor.defectType() != null) {
            defectType.set(editor.defectType());
        }
        canUndo.set(editor.canUndo());
        canRedo.set(editor.canRedo());
        dirty = null;
        maskRevision.set(maskRevision.get() + 1);
    }

    private static String text(String key, Object... args) {
        return dmdd.app.gui.Ui.text(key, args);
    }

    /** @return the mask being edited, or {@code null} when no image is shown */
    public EditableMask mask() {
        return editor == null ? null : editor.mask();
    }

    /** @return the current image's annotation, or {@code null} */
    public ImageAnnotation annotation() {
        return editor == null ? null : editor.annotation();
    }

    /** @return the current image file, or {@code null} */
    public Path currentFile() {
        return current;
    }

    /** @return the images with their labels */
    public ObservableList<Entry> entries() {
        return entries;
    }

    /** @return the defect types to choose from */
    public ObservableList<String> defectTypes() {
        return defectTypes;
    }

    /** @return the corners of the polygon being clicked */
    public ObservableList<Point> polygon() {
        return polygon;
    }

    /** @return index of the shown image in {@link #entries()}, -1 for none */
    public IntegerProperty selectedIndexProperty() {
        return selectedIndex;
    }

    /**
     * @return the {@link #imageProperty() image} as a picture for the screen, built in the background with it and set
     *         just before it
     */
    public ObjectProperty<WritableImage> pictureProperty() {
        return picture;
    }

    /** The image's pixels as an opaque picture. */
    private static WritableImage picture(RgbImage pixels) {
        int w = pixels.width();
        int h = pixels.height();
        int[] argb = pixels.toBufferedImage().getRGB(0, 0, w, h, null, 0, w);
        WritableImage fx = new WritableImage(w, h);
        fx.getPixelWriter().setPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        return fx;
    }

    /** @return the shown image's pixels */
    public ObjectProperty<RgbImage> imageProperty() {
        return image;
    }

    /** @return the shown image's label */
    public ObjectProperty<Label> labelProperty() {
        return label;
    }

    /** @return the defect type in use */
    public StringProperty defectTypeProperty() {
        return defectType;
    }

    /** @return the painting tool */
    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    /** @return brush and eraser radius in image pixels */
    public DoubleProperty brushRadiusProperty() {
        return brushRadius;
    }

    /** @return whether undo is possible */
    public BooleanProperty canUndoProperty() {
        return canUndo;
    }

    /** @return whether redo is possible */
    public BooleanProperty canRedoProperty() {
        return canRedo;
    }

    /** @return whether a model can give "Start from prediction" a mask (off without one: it could only fail) */
    public BooleanProperty predictionAvailableProperty() {
        return predictionAvailable;
    }

    /** @return whether something loads or runs */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** @return increases whenever the mask changed (the view redraws) */
    public IntegerProperty maskRevisionProperty() {
        return maskRevision;
    }

    /** @return a message for the status line */
    public StringProperty statusProperty() {
        return status;
    }

    /** @return the project shown */
    public ObjectProperty<Path> projectFolderProperty() {
        return projectFolder;
    }
}
