package dmdd.app.gui.startup;

import dmdd.app.gui.annotation.AnnotationView;
import dmdd.app.gui.annotation.AnnotationViewModel;
import dmdd.app.gui.annotation.UnsavedAnnotationsDialog;
import dmdd.app.gui.state.StateManager;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.gui.inspection.InspectionEngine;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.app.gui.main.MainWindowView;
import dmdd.app.gui.main.MainWindowViewModel;
import dmdd.app.gui.metrics.DmddMetricsEngine;
import dmdd.app.gui.metrics.MetricsEngine;
import dmdd.app.gui.metrics.MetricsView;
import dmdd.app.gui.metrics.MetricsViewModel;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Tab;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * Adds the annotation and metrics screens to the main window as two tabs ("Annotate", "Measure") and
 * wires them to the open project: the annotation screen shows the project's images to inspect, the
 * metrics screen measures the project's model against the annotations, a click on a missed defect or a
 * false alarm opens the image in the annotation screen, and closing the window waits for pending saves.
 *
 * @param annotation     the annotation screen's state
 * @param annotationView the annotation screen
 * @param metrics        the metrics screen's state
 * @param metricsView    the metrics screen
 */
public record ReviewScreens(AnnotationViewModel annotation, AnnotationView annotationView, MetricsViewModel metrics,
                            MetricsView metricsView) {

    /**
     * Builds both screens and adds them to the main window.
     *
     * @param main        the main window's state (project, images to inspect)
     * @param view        the main window
     * @param background  runs file and model work off the FX thread
     * @param predictions runs the model on one image for "start from prediction"
     * @param engine      measures and exports
     * @return the screens
     */
    public static ReviewScreens install(MainWindowViewModel main, MainWindowView view, BackgroundWork background,
                                        AnnotationViewModel.PredictionSource predictions, MetricsEngine engine) {
        ExecutorService saves = Executors.newSingleThreadExecutor(BackgroundWork.daemonThreads("dmdd-annotation-save"));
        AnnotationViewModel annotation = new AnnotationViewModel(background,
                background.isInline() ? Runnable::run : saves, AnnotationViewModel.defaultLoader(), predictions);
        AnnotationView annotationView = new AnnotationView(annotation);
        MetricsViewModel metrics = new MetricsViewModel(engine, background);
        MetricsView metricsView = new MetricsView(metrics);

        Tab annotationTab = new Tab(Ui.text("tab.annotation"), annotationView.root());
        annotationTab.setId("annotationTab");
        annotationTab.setClosable(false);
        Tab metricsTab = new Tab(Ui.text("tab.metrics"), metricsView.root());
        metricsTab.setId("metricsTab");
        metricsTab.setClosable(false);
        view.screens().getTabs().addAll(annotationTab, metricsTab);
        annotationTab.selectedProperty().addListener((obs, was, selected) -> {
            if (selected) {
                annotationView.root().requestFocus();
            }
        });

        // Import and export of the model from the Model menu too, shown on Measure, where they report
        List<javafx.scene.control.MenuItem> modelItems = metricsView.modelMenuItems();
        for (javafx.scene.control.MenuItem item : modelItems) {
            javafx.event.EventHandler<javafx.event.ActionEvent> action = item.getOnAction();
            item.setOnAction(event -> {
                view.screens().getSelectionModel().select(metricsTab);
                action.handle(event);
            });
        }
        view.addModelMenuItems(modelItems);
        metrics.setBeforeMeasuring(annotation::flushLater);
        metrics.setOpenImage(file -> {
            view.screens().getSelectionModel().select(annotationTab);
            annotation.select(file);
        });
        Runnable showProject = () -> {
            Project project = main.projectProperty().get();
            if (project != null) {
                List<Path> images = main.inspectImages().stream().map(ProjectImage::file).toList();
                annotation.show(project.folder(), images);
                metrics.projectFolderProperty().set(project.folder());
                metrics.methodProperty().set(project.method());
            }
        };
        main.inspectImages().addListener((ListChangeListener<ProjectImage>) change -> showProject.run());
        // Settings, thresholds and the place the user is at change the project too, on many clicks: only another
        // project is read again; another method only changes what Measure reads.
        main.projectProperty().addListener((obs, old, project) -> {
            if (old == null || project == null || !old.folder().equals(project.folder())) {
                showProject.run();
            } else {
                metrics.methodProperty().set(project.method());
            }
        });
        showProject.run();

        // Another project, or closing the window, first asks about annotations the disk refused.
        view.setLeaveCheck(() -> UnsavedAnnotationsDialog.mayLeave(annotation,
                view.root().getScene() == null ? null : view.root().getScene().getWindow()));
        // Closing the window waits for the last annotation to reach the disk.
        view.root().sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o, oldWindow, window) -> flushOnClose(window, annotation));
                flushOnClose(scene.getWindow(), annotation);
            }
        });
        return new ReviewScreens(annotation, annotationView, metrics, metricsView);
    }

    /**
     * Adds the screens to the workstation and connects them through the shared state: "start from
     * prediction" asks the inspection engine (the model already open for the inspection screen) at the
     * pixel threshold on screen; Measure counts and exports at the thresholds on screen; an imported model
     * reloads the inspection screen.
     *
     * @param state       the state every screen shares (project, thresholds on screen)
     * @param main        the main window's state
     * @param view        the main window
     * @param background  runs file and model work off the FX thread
     * @param engine      the inspection screen's engine
     * @param inspection  the inspection screen's state
     * @return the screens
     */
    public static ReviewScreens install(StateManager state, MainWindowViewModel main, MainWindowView view,
                                        BackgroundWork background, InspectionEngine engine,
                                        InspectionViewModel inspection) {
        ReviewScreens screens = install(main, view, background, new InspectionPredictions(engine, state),
                new DmddMetricsEngine());
        MetricsViewModel metrics = screens.metrics();
        metrics.pixelThresholdProperty().bind(state.pixelThresholdProperty());
        metrics.thresholdProperty().bind(state.imageThresholdProperty());
        metrics.ngThresholdProperty().bind(state.ngThresholdProperty());
        metrics.setOnModelImported(inspection::modelChanged);
        // what needs a model waits for the one the inspection screen has loaded
        metrics.modelAvailableProperty().bind(inspection.modelReadyProperty());
        // Another model on screen (trained, improved, restored, imported): Measure's figures were the old one's.
        // The calibration goes to null while a model loads (old, null, new): compared with the last model shown.
        String[] lastModel = {null};
        inspection.calibrationProperty().addListener((obs, old, now) -> {
            if (now == null) {
                return;
            }
            if (lastModel[0] != null && !lastModel[0].equals(now.modelId())) {
                metrics.modelChanged();
            }
            lastModel[0] = now.modelId();
        });
        // The review queue's decisions are annotations: stored through the annotation screen's one store and
        // saver, and every label there (Annotate's or the review's) is shown in the inspection gallery.
        AnnotationViewModel annotation = screens.annotation();
        annotation.predictionAvailableProperty().bind(inspection.modelReadyProperty());
        inspection.setDecisionStore(annotation::decide);
        inspection.setOnNormalSetChanged(main::refreshNormalImages);
        Runnable showDecisions = () -> {
            java.util.Map<Path, dmdd.datasets.annotation.Label> labels = new java.util.HashMap<>();
            annotation.entries().forEach(entry -> labels.put(entry.file(), entry.label()));
            inspection.showDecisions(labels);
        };
        annotation.entries().addListener((javafx.beans.Observable obs) -> showDecisions.run());
        showDecisions.run();
        return screens;
    }

    /** "Start from prediction" through the inspection screen's engine, at the pixel threshold on screen. */
    private record InspectionPredictions(InspectionEngine engine, StateManager state)
            implements AnnotationViewModel.PredictionSource {
        @Override
        public AnnotationViewModel.Prediction predict(Path projectFolder, Path image) throws Exception {
            StateManager.Snapshot now = state.snapshot();
            Project p = now.project();
            if (p == null || !p.folder().equals(projectFolder)) {
                throw new IllegalStateException("the project changed");
            }
            if (!engine.hasModel(p)) {
                throw new IllegalStateException(Ui.text("metrics.noModel"));
            }
            InspectionEngine.ImageInspection r = engine.inspect(p, image);
            double t = now.pixelThreshold();
            if (!Double.isFinite(t)) {
                t = engine.calibration(p).pixelThreshold();
            }
            return new AnnotationViewModel.Prediction(r.fused(), r.width(), r.height(), (float) t);
        }
    }

    private static void flushOnClose(Window window, AnnotationViewModel annotation) {
        if (window != null) {
            window.addEventHandler(WindowEvent.WINDOW_HIDING, event -> annotation.flush());
        }
    }
}
