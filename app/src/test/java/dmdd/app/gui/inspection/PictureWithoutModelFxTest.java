package dmdd.app.gui.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.gui.WorkstationApplication;
import dmdd.app.gui.WorkstationApplication.Workstation;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.model.project.Workspace;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A project that has no model yet: a selected image is shown as it is, the three map panels say that a model
 * brings them, and once a model exists the same image gets its maps.
 */
@ExtendWith(ApplicationExtension.class)
class PictureWithoutModelFxTest {
    private Workstation workstation;
    private final ScriptedInspectionEngine engine = new ScriptedInspectionEngine();

    @Start
    void start(Stage primary) throws Exception {
        engine.modelPresent = false;
        workstation = WorkstationApplication.open(new Stage(),
                new Workspace(dmdd.app.testing.TempFolders.create("dmdd-gui-nomodel")), new DmddTrainingEngine(), engine);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> ((Stage) workstation.view().root().getScene().getWindow()).close());
    }

    @Test
    void anImageIsShownBeforeTrainingAndGetsItsMapsOnceAModelExists(FxRobot robot) throws Exception {
        InspectionViewModel model = workstation.inspection();
        robot.interact(() -> workstation.view().selectScreen("inspectionTab"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.items().isEmpty());
        robot.interact(() -> model.selectedProperty().set(model.gallery().get(0)));

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.pictureWithoutModelProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        List<MapPanel> panels = workstation.inspectionView().panels().stream().map(MapPanel.class::cast).toList();
        assertThat(panels.get(0).baseLayer().getImage()).isSameAs(model.pictureWithoutModelProperty().get());
        assertThat(panels.get(0).placeholderText()).isNull();
        for (MapPanel panel : panels.subList(1, 4)) {
            assertThat(panel.baseLayer().getImage()).isNull();
            assertThat(panel.placeholderText()).contains("No model yet");
            Node text = robot.from(panel).lookup(".map-placeholder").query();
            assertThat(text.isVisible()).isTrue();
        }
        assertThat(engine.inspections.get()).as("nothing is inspected without a model").isZero();

        engine.modelPresent = true;
        robot.interact(() -> model.modelChanged());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.modelReadyProperty().get()
                && model.selectedProperty().get() != null && model.detailProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.pictureWithoutModelProperty().get()).isNull();
        for (MapPanel panel : panels) {
            assertThat(panel.placeholderText()).isNull();
            assertThat(panel.baseLayer().getImage()).isNotNull();
        }
        assertThat(panels.get(3).heatLayer().getImage()).isNotNull();
    }
}
