package dmdd.app.gui.state;

import dmdd.model.project.Project;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * What every screen shares, in one place (as JabRef's {@code StateManager}): the current project and the
 * image and pixel thresholds on screen. Screens bind to these properties instead of copying each other's
 * values through listeners. Background work reads {@link #snapshot()}, a consistent, immutable view that
 * is safe to read from any thread. Properties change on the UI thread only.
 */
public final class StateManager {
    /**
     * The shared state at one moment.
     *
     * @param project        the current project, or {@code null}
     * @param imageThreshold the OK-below image threshold on screen, NaN before a model is calibrated
     * @param ngThreshold    the NG-above image threshold on screen, NaN before a model is calibrated
     * @param pixelThreshold the pixel threshold on screen, NaN before a model is calibrated
     */
    public record Snapshot(Project project, double imageThreshold, double ngThreshold, double pixelThreshold) {
    }

    private final ObjectProperty<Project> project = new SimpleObjectProperty<>();
    private final DoubleProperty imageThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty ngThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty pixelThreshold = new SimpleDoubleProperty(Double.NaN);
    private volatile Snapshot snapshot = new Snapshot(null, Double.NaN, Double.NaN, Double.NaN);

    /** An empty state: no project, no thresholds. */
    public StateManager() {
        project.addListener(obs -> publish());
        imageThreshold.addListener(obs -> publish());
        ngThreshold.addListener(obs -> publish());
        pixelThreshold.addListener(obs -> publish());
    }

    private void publish() {
        snapshot = new Snapshot(project.get(), imageThreshold.get(), ngThreshold.get(), pixelThreshold.get());
    }

    /** @return the current project */
    public ObjectProperty<Project> projectProperty() {
        return project;
    }

    /** @return the OK-below image threshold on screen (verdicts, Measure's counts, exports) */
    public DoubleProperty imageThresholdProperty() {
        return imageThreshold;
    }

    /** @return the NG-above image threshold on screen (verdicts, exports) */
    public DoubleProperty ngThresholdProperty() {
        return ngThreshold;
    }

    /** @return the pixel threshold on screen (contour, Start from prediction, exported maps) */
    public DoubleProperty pixelThresholdProperty() {
        return pixelThreshold;
    }

    /** @return the state as of the last change on the UI thread (any thread may call this) */
    public Snapshot snapshot() {
        return snapshot;
    }
}
