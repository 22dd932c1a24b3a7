package dmdd.app.gui;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.gui.startup.ReviewScreens;
import dmdd.app.gui.state.StateManager;
import dmdd.app.gui.images.ThumbnailCache;
import dmdd.app.gui.inspection.DmddInspectionEngine;
import dmdd.app.gui.inspection.InspectedItem;
import dmdd.app.gui.inspection.InspectionEngine;
import dmdd.app.gui.inspection.InspectionView;
import dmdd.app.gui.inspection.InspectionViewModel;
import dmdd.app.gui.main.MainWindowView;
import dmdd.app.gui.main.MainWindowViewModel;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.Workspace;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.app.gui.training.TrainingEngine;
import dmdd.app.gui.training.TrainingView;
import dmdd.app.gui.training.TrainingViewModel;
import java.util.List;
import javafx.application.Application;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The JavaFX application: builds the main window on the workspace in the user data folder and
 * opens the last project (the sample project on first start).
 */
public class WorkstationApplication extends Application {

    @Override
    public void start(Stage stage) {
        open(stage, new Workspace(Workspace.defaultUserData()), new DmddTrainingEngine(), new DmddInspectionEngine());
    }

    /**
     * Builds and shows the workstation on a stage with the model's engines.
     *
     * @param stage     the stage
     * @param workspace the user's workspace
     * @return the main window
     */
    public static Workstation open(Stage stage, Workspace workspace) {
        return open(stage, workspace, new DmddTrainingEngine(), new DmddInspectionEngine());
    }

    /**
     * Builds and shows the workstation on a stage; tests call this with a temporary workspace.
     *
     * @param stage      the stage
     * @param workspace  the user's workspace
     * @param trainer    trains models
     * @param inspector  runs models
     * @return the main window
     */
    public static Workstation open(Stage stage, Workspace workspace, TrainingEngine trainer, InspectionEngine inspector) {
        BackgroundWork background = BackgroundWork.javaFx(2);
        ThumbnailCache thumbnails = new ThumbnailCache(MainWindowView.THUMBNAIL_SIDE, 600);
        MainWindowViewModel mainModel = new MainWindowViewModel(workspace, background);
        MainWindowView mainView = new MainWindowView(mainModel, thumbnails);

        TrainingViewModel trainingModel = new TrainingViewModel(trainer, background);
        trainingModel.projectProperty().bind(mainModel.projectProperty());
        trainingModel.hasNormalImagesProperty().bind(Bindings.isNotEmpty(mainModel.normalImages()));
        // One change, saved at once: another method's model scores on another scale, so a switch puts the
        // thresholds the user set aside for the method left and brings back the new method's own (withTraining).
        TrainingView trainingView = new TrainingView(trainingModel, (settings, device) ->
                mainModel.updateSettings(project -> project.withTraining(settings, device)));
        mainView.setTrainingScreen(trainingView.root(), trainingView::trainWithDialog,
                mainModel.projectProperty().isNotNull().and(trainingModel.runningProperty().not())
                        .and(Bindings.isNotEmpty(mainModel.normalImages())));

        InspectionViewModel inspectionModel = new InspectionViewModel(inspector, background);
        InspectionView inspectionView = new InspectionView(inspectionModel, thumbnails);
        // Inspecting or improving while a training writes the model would read or write a model about to change.
        inspectionModel.trainingRunningProperty().bind(trainingModel.runningProperty());
        mainView.setInspectionScreen(inspectionView.root(), () -> inspectionModel.inspectAll(false),
                inspectionModel.modelReadyProperty().and(inspectionModel.runningProperty().not())
                        .and(trainingModel.runningProperty().not()));
        StateManager state = new StateManager();
        state.projectProperty().bind(mainModel.projectProperty());
        state.imageThresholdProperty().bind(inspectionModel.imageThresholdProperty());
        state.ngThresholdProperty().bind(inspectionModel.ngThresholdProperty());
        state.pixelThresholdProperty().bind(inspectionModel.pixelThresholdProperty());
        ReviewScreens review = ReviewScreens.install(state, mainModel, mainView, background, inspector,
                inspectionModel);
        inspectionModel.setSaveThresholds((image, ng, pixel, model) ->
                mainModel.updateSettings(project -> project.withThresholds(image, ng, pixel, model)));
        mainModel.inspectImages().addListener((ListChangeListener<ProjectImage>) change -> {
            Project project = mainModel.projectProperty().get();
            List<ProjectImage> images = List.copyOf(mainModel.inspectImages());
            Project shown = inspectionModel.projectProperty().get();
            if (project != null && (shown == null || !shown.folder().equals(project.folder()))) {
                inspectionModel.show(project, images);
            } else {
                inspectionModel.updateImages(images);
            }
        });
        // Another method chosen in the training settings: inspection shows that method's model (or says there is
        // none yet).
        // The same model with other settings: inspection keeps its images and maps and reads the new settings.
        mainModel.projectProperty().addListener((obs, old, now) -> {
            if (old != null && now != null && old.folder().equals(now.folder())) {
                if (old.method() != now.method()) {
                    inspectionModel.show(now, List.copyOf(mainModel.inspectImages()));
                } else {
                    inspectionModel.settingsChanged(now);
                }
            }
        });
        trainingModel.lastOutcomeProperty().addListener((obs, old, outcome) -> {
            if (outcome != null && outcome.completed()) {
                inspectionModel.modelChanged(trainingModel.lastTrainedProject());
            }
        });

        rememberWhereTheUserIs(mainModel, mainView, inspectionModel);

        Workstation workstation = new Workstation(mainModel, mainView, thumbnails, trainingModel, inspectionModel,
                inspectionView, review.annotation());
        // Never open larger than the screen (the headless test screen is small, so are laptops).
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(mainView.root(), Math.min(1360, screen.getWidth()), Math.min(860, screen.getHeight()));
        scene.getStylesheets().add(Ui.stylesheet());
        stage.setScene(scene);
        stage.titleProperty().bind(mainModel.windowTitleProperty());
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        // Closing (the window's button or Quit) with annotations the disk refused asks first. Closing while training
        // or an inspection run works first stops them at their next step (training writes a checkpoint to resume
        // from, an inspection run saves the scores it has), then closes.
        BooleanBinding busy = trainingModel.runningProperty().or(inspectionModel.runningProperty());
        stage.setOnCloseRequest(event -> {
            if (!mainView.mayLeaveProject()) {
                event.consume();
                return;
            }
            if (busy.get()) {
                event.consume();
                trainingModel.cancel();
                inspectionModel.cancel();
                busy.addListener((obs, was, running) -> {
                    if (!running) {
                        stage.close();
                    }
                });
            }
        });
        mainView.showProgress(trainingModel.runningProperty(), trainingModel.progressProperty());
        mainView.showProgress(inspectionModel.runningProperty(), inspectionModel.progressProperty());
        stage.show();
        mainModel.start();
        return workstation;
    }

    /**
     * Keeps the shown screen and the inspected image in {@code project.json}, and shows them again
     * when the project opens, so it opens where it was left.
     */
    private static void rememberWhereTheUserIs(MainWindowViewModel mainModel, MainWindowView mainView,
            InspectionViewModel inspectionModel) {
        boolean[] restoring = {false};
        mainModel.projectProperty().addListener((obs, old, now) -> {
            if (now != null && (old == null || !old.folder().equals(now.folder()))) {
                restoring[0] = true;
                mainView.screens().getTabs().stream()
                        .filter(tab -> now.settings().lastScreen() != null
                                && now.settings().lastScreen().equals(tab.getId()))
                        .findFirst().ifPresent(tab -> mainView.screens().getSelectionModel().select(tab));
                restoring[0] = false;
            }
        });
        mainView.screens().getSelectionModel().selectedItemProperty().addListener((obs, old, tab) -> {
            if (!restoring[0] && tab != null && tab.getId() != null) {
                InspectedItem item = inspectionModel.selectedProperty().get();
                mainModel.rememberPlace(tab.getId(), item == null ? null : item.image().file());
            }
        });
        inspectionModel.selectedProperty().addListener((obs, old, item) -> {
            if (item != null) {
                Tab tab = mainView.screens().getSelectionModel().getSelectedItem();
                mainModel.rememberPlace(tab == null || tab.getId() == null ? "inspectionTab" : tab.getId(),
                        item.image().file());
            }
        });
    }

    /**
     * The parts of a running workstation (for tests and tools).
     *
     * @param main           main window state
     * @param view           main window
     * @param thumbnails     thumbnail cache
     * @param training       training screen state
     * @param inspection     inspection screen state
     * @param inspectionView inspection screen
     * @param annotation     annotation screen state
     */
    public record Workstation(MainWindowViewModel main, MainWindowView view, ThumbnailCache thumbnails,
            TrainingViewModel training, InspectionViewModel inspection, InspectionView inspectionView,
            dmdd.app.gui.annotation.AnnotationViewModel annotation) {
    }
}
