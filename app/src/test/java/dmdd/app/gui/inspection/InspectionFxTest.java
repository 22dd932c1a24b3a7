package dmdd.app.gui.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.model.project.Workspace;
import dmdd.app.gui.training.DmddTrainingEngine;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.controlsfx.control.RangeSlider;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The inspection screen in the running workstation (headless), with a scripted model so it runs in
 * seconds: inspect all, open an image, four equal panels, threshold re-labels, keyboard, zoom in step.
 */
@ExtendWith(ApplicationExtension.class)
class InspectionFxTest {
    private Workstation workstation;
    private final ScriptedInspectionEngine engine = new ScriptedInspectionEngine();

    @Start
    void start(Stage primary) throws Exception {
        // A window of its own: the primary stage is shared by all test classes of this JVM, and a
        // fresh window is sure to be on top where the robot clicks.
        Stage stage = new Stage();
        workstation = WorkstationApplication.open(stage, new Workspace(dmdd.app.testing.TempFolders.create("dmdd-gui-insp")),
                new DmddTrainingEngine(), engine);
    }

    @org.junit.jupiter.api.AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> ((javafx.stage.Stage) workstation.view().root().getScene().getWindow()).close());
    }

    @Test
    void inspectOpenMoveThresholdAndStepThroughImages(FxRobot robot) throws Exception {
        InspectionViewModel model = workstation.inspection();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.modelReadyProperty().get());
        // Look up inside this window only: earlier test classes may have left their windows open.
        Node root = workstation.view().root();
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        robot.clickOn(robot.from(root).lookup(".button").lookup((javafx.scene.control.Button b) ->
                "Inspect all".equals(b.getText())).queryButton());
        int total = workstation.main().inspectImages().size();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> !model.runningProperty().get() && model.items().stream().allMatch(InspectedItem::isInspected));
        assertThat(engine.inspections.get()).isEqualTo(total);

        Node firstCell = robot.from(workstation.view().root()).lookup("#gallery .thumbnail-cell").queryAllAs(org.controlsfx.control.GridCell.class)
                .stream().filter(cell -> cell.getItem() != null && cell.isVisible() && cell.getWidth() > 0)
                .min(java.util.Comparator.comparingDouble(cell -> cell.localToScene(0, 0).getY() * 10
                        + cell.localToScene(0, 0).getX())).orElseThrow();
        robot.clickOn(firstCell);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.detailProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        List<Node> panels = workstation.inspectionView().panels();
        assertThat(panels).hasSize(4);
        double width = ((Region) panels.get(0)).getWidth();
        for (Node panel : panels) {
            assertThat(((Region) panel).getWidth()).isEqualTo(width, org.assertj.core.data.Offset.offset(1.0));
            assertThat(robot.from(panel).lookup(".image-view").queryAllAs(ImageView.class))
                    .anyMatch(view -> view.getImage() != null && view.getFitWidth() > 20);
        }

        int modelRuns = engine.inspections.get();
        RangeSlider range = robot.from(root).lookup("#imageThresholds").queryAs(RangeSlider.class);
        Label counts = robot.from(root).lookup("#verdictCounts").queryAs(Label.class);
        robot.interact(() -> {
            range.setLowValue(range.getMin());
            range.setHighValue(range.getMin());
        });
        assertThat(counts.getText()).startsWith("0 OK \u00b7 0 UNSURE");
        assertThat(shownBadges(robot, model)).isNotEmpty().allMatch(text -> text.equals("NG"));
        // The range spans every score: each image lies in the unsure band between the two thresholds.
        robot.interact(() -> range.setHighValue(range.getMax()));
        assertThat(model.ngThresholdProperty().get()).isEqualTo(range.getMax());
        assertThat(counts.getText()).startsWith("0 OK \u00b7 " + total + " UNSURE");
        assertThat(shownBadges(robot, model)).isNotEmpty().allMatch(text -> text.equals("UNSURE"));
        robot.interact(() -> range.setLowValue(range.getMax()));
        assertThat(counts.getText()).endsWith("0 UNSURE \u00b7 0 NG");
        assertThat(shownBadges(robot, model)).isNotEmpty().allMatch(text -> text.equals("OK"));
        assertThat(engine.inspections.get()).as("moving the threshold never re-runs the model").isEqualTo(modelRuns);

        // The fused map's colour bar (range 0 .. 0.6) marks the pixel threshold, 0.3 when calibrated, and follows it.
        MapPanel fused = (MapPanel) panels.get(3);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fused.markerPosition()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.03));
        assertThat(((MapPanel) panels.get(1)).markerPosition()).as("only the fused map has the threshold").isNaN();
        robot.interact(() -> model.pixelThresholdProperty().set(0.45));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fused.markerPosition()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.03));
        robot.interact(() -> model.pixelThresholdProperty().set(0.3));

        InspectedItem before = model.selectedProperty().get();
        robot.clickOn(panels.get(0));
        robot.type(KeyCode.RIGHT);
        assertThat(model.selectedProperty().get().image()).isNotEqualTo(before.image());

        robot.type(KeyCode.ADD, 3);
        robot.drag(panels.get(3)).moveBy(-30, -20).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.panXProperty().get()).isNotEqualTo(0.5);
        assertThat(model.zoomProperty().get()).isGreaterThan(1);
        Rectangle2D reference = robot.from(panels.get(0)).lookup(".image-view").queryAs(ImageView.class).getViewport();
        assertThat(reference.getWidth()).isLessThan(model.detailProperty().get().inspection().width());
        for (Node panel : panels) {
            for (ImageView view : robot.from(panel).lookup(".image-view").queryAllAs(ImageView.class)) {
                if (view.getViewport() != null && view.getFitHeight() > 20) {
                    assertThat(view.getViewport()).isEqualTo(reference);
                }
            }
        }

        // Stepping with the arrow keys past the gallery's visible rows scrolls it: the selected image stays in sight.
        robot.clickOn(panels.get(0));
        int presses = model.gallery().size() - 1 - model.gallery().indexOf(model.selectedProperty().get());
        assertThat(presses).as("the last image is rows away from the first").isGreaterThan(6);
        robot.type(KeyCode.RIGHT, presses);
        WaitForAsyncUtils.waitForFxEvents();
        InspectedItem last = model.selectedProperty().get();
        assertThat(model.gallery().indexOf(last)).isEqualTo(model.gallery().size() - 1);
        Node gallery = robot.from(root).lookup("#gallery").query();
        javafx.geometry.Bounds view = gallery.localToScene(gallery.getLayoutBounds());
        assertThat(robot.from(root).lookup("#gallery .thumbnail-cell").queryAllAs(org.controlsfx.control.GridCell.class))
                .as("a cell showing the selected image lies inside the gallery's view")
                .anyMatch(cell -> cell.isVisible() && cell.getItem() == last
                        && view.contains(cell.localToScene(cell.getLayoutBounds()).getCenterX(),
                                cell.localToScene(cell.getLayoutBounds()).getCenterY()));
    }

    /** Badge texts of the gallery cells that show a current gallery item (the grid keeps spare cells). */
    private List<String> shownBadges(FxRobot robot, InspectionViewModel model) {
        return robot.from(workstation.view().root()).lookup("#gallery .thumbnail-cell").queryAllAs(org.controlsfx.control.GridCell.class).stream()
                .filter(cell -> cell.isVisible() && cell.getItem() != null && model.gallery().contains(cell.getItem()))
                .map(cell -> robot.from(cell).lookup(".badge").queryAs(Label.class).getText())
                .toList();
    }
}
