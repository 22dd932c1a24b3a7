package dmdd.datasets.annotation;

import dmdd.datasets.image.Mask;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Edits one image's annotation with undo and redo: label, defect type, and the defect mask (brush and
 * eraser strokes, polygon fill, "start from the model's prediction", clear). Every finished change
 * (a whole stroke, a fill, a label) is one undo step and is handed to the change listener at once,
 * which is where the caller saves it. Pure Java, so the GUI's view model and the tests share it.
 *
 * <p>Consistency rules, so that the saved files always follow the MVTec convention: painting on an
 * image that is not labelled defective labels it defective; labelling an image OK (or unlabelled)
 * removes its mask. Both happen inside the same undo step.
 *
 * <p>Not thread-safe: one thread (the UI thread) edits.
 */
public final class AnnotationEditor {
    /** Undo steps kept per image; older ones are dropped. */
    public static final int MAX_UNDO = 200;

    private final EditableMask mask;
    private final Deque<Change> undo = new ArrayDeque<>();
    private final Deque<Change> redo = new ArrayDeque<>();
    private final Consumer<ImageAnnotation> onChange;
    private Label label;
    private String defectType;
    private String newDefectType;
    private boolean[] strokeStart;
    private double strokeX;
    private double strokeY;
    private double strokeRadius;
    private boolean strokePaints;

    /** One undo step: the mask pixels that flipped and the label before and after. */
    private record Change(int[] flipped, Label labelBefore, String typeBefore, Label labelAfter, String typeAfter) {
    }

    /**
     * @param width          image width in pixels
     * @param height         image height in pixels
     * @param initial        the saved annotation (its mask is resized to the image when its size differs)
     * @param newDefectType  the type given when the image becomes defective without one (for example
     *                       the image's folder, or the type used last)
     * @param onChange       receives the new annotation after every change, undo and redo
     */
    public AnnotationEditor(int width, int height, ImageAnnotation initial, String newDefectType,
                            Consumer<ImageAnnotation> onChange) {
        this.mask = new EditableMask(width, height);
        if (initial.mask() != null) {
            mask.set(initial.mask());
        }
        this.label = initial.label();
        this.defectType = initial.defectType();
        this.newDefectType = newDefectType == null ? DefectTypes.DEFAULT : DefectTypes.validate(newDefectType);
        this.onChange = Objects.requireNonNull(onChange);
    }

    /** @return the annotation as it stands */
    public ImageAnnotation annotation() {
        return new ImageAnnotation(label, defectType, label == Label.DEFECT ? mask.toMask() : null);
    }

    /** @return the current label */
    public Label label() {
        return label;
    }

    /** @return the current defect type, {@code null} unless defective */
    public String defectType() {
        return defectType;
    }

    /** @return the mask being edited (read it; change it only through this editor) */
    public EditableMask mask() {
        return mask;
    }

    /** @return image width */
    public int width() {
        return mask.width();
    }

    /** @return image height */
    public int height() {
        return mask.height();
    }

    /**
     * Sets the type that an image gets when it becomes defective without a type.
     *
     * @param type a valid defect type
     */
    public void setNewDefectType(String type) {
        this.newDefectType = DefectTypes.validate(type);
    }

    /**
     * Labels the image. OK and unlabelled remove the mask; defect keeps the type (or takes the new-defect type).
     *
     * @param newLabel the label
     */
    public void setLabel(Label newLabel) {
        endStroke();
        if (newLabel == label) {
            return;
        }
        boolean[] before = mask.toBooleans();
        // Marked OK, the mask stays (hidden; the store sets its file aside) so that a mistaken OK undone by marking
        // the image defective again shows and keeps it; taking a defect's label away clears it.
        if (label == Label.DEFECT && newLabel == Label.UNLABELLED) {
            mask.clear();
        }
        commit(before, newLabel, newLabel == Label.DEFECT ? newDefectType : null);
    }

    /**
     * Names the defect type (labels the image defective if it was not).
     *
     * @param type a valid defect type
     */
    public void setDefectType(String type) {
        String t = DefectTypes.validate(type);
        endStroke();
        if (label == Label.DEFECT && t.equals(defectType)) {
            return;
        }
        commit(mask.toBooleans(), Label.DEFECT, t);
    }

    /**
     * Starts a brush or eraser stroke at a point (the first dab is painted at once).
     *
     * @param x      column in image pixels
     * @param y      row in image pixels
     * @param radius brush radius in image pixels
     * @param paints {@code true} for the brush, {@code false} for the eraser
     */
    public void beginStroke(double x, double y, double radius, boolean paints) {
        if (strokeStart != null) {
            endStroke();
        }
        strokeStart = mask.toBooleans();
        strokeRadius = radius;
        strokePaints = paints;
        strokeX = x;
        strokeY = y;
        mask.stamp(x, y, radius, paints);
    }

    /**
     * Continues the stroke to a point (no gaps, however fast the mouse moved).
     *
     * @param x column
     * @param y row
     */
    public void strokeTo(double x, double y) {
        if (strokeStart == null) {
            return;
        }
        mask.line(strokeX, strokeY, x, y, strokeRadius, strokePaints);
        strokeX = x;
        strokeY = y;
    }

    /** @return whether a stroke is in progress */
    public boolean isStroking() {
        return strokeStart != null;
    }

    /** Ends the stroke: it becomes one undo step (nothing when it changed no pixel). */
    public void endStroke() {
        if (strokeStart == null) {
            return;
        }
        boolean[] before = strokeStart;
        strokeStart = null;
        commitMaskEdit(before, strokePaints);
    }

    /**
     * Fills a polygon with the brush or the eraser.
     *
     * @param xs     vertex columns
     * @param ys     vertex rows
     * @param paints {@code true} marks defect, {@code false} erases
     */
    public void fillPolygon(double[] xs, double[] ys, boolean paints) {
        endStroke();
        boolean[] before = mask.toBooleans();
        mask.fillPolygon(xs, ys, paints);
        commitMaskEdit(before, paints);
    }

    /**
     * Replaces the mask by the model's prediction: the pixels of the fused map above the pixel
     * threshold, resized (nearest) from the map's size to the image. Labels the image defective
     * when the prediction is not empty.
     *
     * @param fusedMap  row-major fused anomaly map
     * @param mapWidth  its width
     * @param mapHeight its height
     * @param threshold pixel threshold (values strictly above it become defect)
     */
    public void startFromPrediction(float[] fusedMap, int mapWidth, int mapHeight, float threshold) {
        endStroke();
        Mask predicted = Mask.threshold(mapWidth, mapHeight, fusedMap, threshold);
        boolean[] before = mask.toBooleans();
        mask.set(predicted);
        commitMaskEdit(before, !predicted.isEmpty());
    }

    /** Erases the whole mask (the label stays). */
    public void clearMask() {
        endStroke();
        boolean[] before = mask.toBooleans();
        mask.clear();
        commitMaskEdit(before, false);
    }

    /** @return whether there is a step to undo */
    public boolean canUndo() {
        return !undo.isEmpty();
    }

    /** @return whether there is a step to redo */
    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** Undoes the last step (nothing when there is none). */
    public void undo() {
        endStroke();
        Change c = undo.pollFirst();
        if (c == null) {
            return;
        }
        mask.flip(c.flipped());
        label = c.labelBefore();
        defectType = c.typeBefore();
        redo.addFirst(c);
        onChange.accept(annotation());
    }

    /** Redoes the last undone step (nothing when there is none). */
    public void redo() {
        endStroke();
        Change c = redo.pollFirst();
        if (c == null) {
            return;
        }
        mask.flip(c.flipped());
        label = c.labelAfter();
        defectType = c.typeAfter();
        undo.addFirst(c);
        onChange.accept(annotation());
    }

    private void commitMaskEdit(boolean[] before, boolean paints) {
        boolean changed = mask.differences(before).length > 0;
        if (!changed) {
            return;
        }
        if (paints && label != Label.DEFECT) {
            commit(before, Label.DEFECT, newDefectType);
        } else {
            commit(before, label, defectType);
        }
    }

    private void commit(boolean[] maskBefore, Label newLabel, String newType) {
        int[] flipped = mask.differences(maskBefore);
        Change c = new Change(flipped, label, defectType, newLabel, newType);
        label = newLabel;
        defectType = newType;
        undo.addFirst(c);
        while (undo.size() > MAX_UNDO) {
            undo.pollLast();
        }
        redo.clear();
        onChange.accept(annotation());
    }
}
