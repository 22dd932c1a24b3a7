package dmdd.app.gui.state;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import java.nio.file.Path;
import javafx.beans.property.SimpleDoubleProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateManagerTest {

    @Test
    void screensBoundToTheStateSeeOneValueAndBackgroundWorkAConsistentSnapshot(@TempDir Path dir) throws Exception {
        StateManager state = new StateManager();
        assertThat(state.snapshot().project()).isNull();
        assertThat(state.snapshot().pixelThreshold()).isNaN();

        // The inspection screen owns the sliders; Measure and Annotate follow through the state.
        SimpleDoubleProperty slider = new SimpleDoubleProperty(0.4);
        state.imageThresholdProperty().bind(slider);
        SimpleDoubleProperty measureThreshold = new SimpleDoubleProperty();
        measureThreshold.bind(state.imageThresholdProperty());
        Project project = ProjectStore.create(dir.resolve("p"), "P");
        state.projectProperty().set(project);
        state.pixelThresholdProperty().set(0.7);
        state.ngThresholdProperty().set(0.8);

        slider.set(0.55);
        assertThat(measureThreshold.get()).isEqualTo(0.55);
        StateManager.Snapshot now = state.snapshot();
        assertThat(now.project()).isSameAs(project);
        assertThat(now.imageThreshold()).isEqualTo(0.55);
        assertThat(now.pixelThreshold()).isEqualTo(0.7);
        assertThat(now.ngThreshold()).isEqualTo(0.8);
        // A snapshot taken earlier does not change under a reader's feet.
        slider.set(0.9);
        assertThat(now.imageThreshold()).isEqualTo(0.55);
        assertThat(state.snapshot().imageThreshold()).isEqualTo(0.9);
    }
}
