package dmdd.datasets.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.Mask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotationEditorTest {
    private final List<ImageAnnotation> saved = new ArrayList<>();

    private AnnotationEditor editor(ImageAnnotation initial) {
        return new AnnotationEditor(30, 20, initial, "scratch", saved::add);
    }

    @Test
    void aStrokeIsOneUndoStepAndLabelsTheImageDefective() {
        AnnotationEditor e = editor(ImageAnnotation.UNLABELLED);
        e.beginStroke(5, 5, 2, true);
        e.strokeTo(15, 5);
        e.strokeTo(25, 10);
        assertThat(saved).as("nothing saved mid-stroke").isEmpty();
        e.endStroke();
        assertThat(saved).hasSize(1);
        ImageAnnotation painted = saved.get(0);
        assertThat(painted.label()).isEqualTo(Label.DEFECT);
        assertThat(painted.defectType()).isEqualTo("scratch");
        assertThat(painted.mask().area()).isGreaterThan(30);

        e.undo();
        assertThat(e.annotation()).isEqualTo(ImageAnnotation.UNLABELLED);
        assertThat(e.mask().area()).isZero();
        e.redo();
        assertThat(e.annotation()).isEqualTo(painted);
        assertThat(saved).hasSize(3);
    }

    @Test
    void eraserStrokeOnlyRemovesAndKeepsTheLabel() {
        boolean[] full = new boolean[30 * 20];
        java.util.Arrays.fill(full, true);
        AnnotationEditor e = editor(ImageAnnotation.defect("crack", Mask.of(30, 20, full)));
        e.beginStroke(10, 10, 3, false);
        e.endStroke();
        assertThat(e.label()).isEqualTo(Label.DEFECT);
        assertThat(e.defectType()).isEqualTo("crack");
        assertThat(e.mask().area()).isLessThan(600).isGreaterThan(550);
        e.undo();
        assertThat(e.mask().area()).isEqualTo(600);
    }

    @Test
    void labellingOkSetsTheMaskAsideAndDefectOrUndoBringsItBack() {
        AnnotationEditor e = editor(ImageAnnotation.UNLABELLED);
        e.fillPolygon(new double[] {0, 10, 10, 0}, new double[] {0, 0, 10, 10}, true);
        Mask painted = e.annotation().mask();
        e.setLabel(Label.OK);
        assertThat(e.annotation()).as("an OK image has no mask").isEqualTo(ImageAnnotation.OK);
        e.setLabel(Label.DEFECT);
        assertThat(e.annotation().mask()).as("a mistaken OK undone by D").isEqualTo(painted);
        e.setLabel(Label.UNLABELLED);
        assertThat(e.mask().area()).as("a defect's label taken away clears it").isZero();
        e.undo();
        e.undo();
        assertThat(e.label()).isEqualTo(Label.OK);
        e.undo();
        assertThat(e.annotation().mask()).isEqualTo(painted);
        assertThat(e.canRedo()).isTrue();
        e.setDefectType("dent");
        assertThat(e.canRedo()).as("a new change drops the redo branch").isFalse();
        assertThat(e.annotation().defectType()).isEqualTo("dent");
        assertThat(e.annotation().mask()).isEqualTo(painted);
    }

    @Test
    void startFromPredictionThresholdsAndResizesTheFusedMap() {
        AnnotationEditor e = editor(ImageAnnotation.UNLABELLED);
        // 3 x 2 map; only the top-left cell is above 0.5, which is the top-left 10 x 10 of the image.
        e.startFromPrediction(new float[] {0.9f, 0.1f, 0.2f, 0.3f, 0.5f, 0.0f}, 3, 2, 0.5f);
        assertThat(e.label()).isEqualTo(Label.DEFECT);
        assertThat(e.mask().area()).isEqualTo(100);
        assertThat(e.mask().get(9, 9)).isTrue();
        assertThat(e.mask().get(10, 9)).isFalse();
        e.undo();
        assertThat(e.label()).isEqualTo(Label.UNLABELLED);
    }

    @Test
    void undoWithoutHistoryAndEmptyStrokesChangeNothing() {
        AnnotationEditor e = editor(ImageAnnotation.OK);
        e.undo();
        e.redo();
        e.beginStroke(5, 5, 2, false);
        e.endStroke();
        assertThat(saved).isEmpty();
        assertThat(e.canUndo()).isFalse();
    }
}
