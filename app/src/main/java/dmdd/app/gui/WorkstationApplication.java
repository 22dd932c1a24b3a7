package dmdd.app.gui;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.app.gui.images.ThumbnailCache;
import dmdd.app.gui.main.MainWindowView;
import dmdd.app.gui.main.MainWindowViewModel;
import dmdd.app.gui.project.Workspace;
import dmdd.app.gui.training.DmddTrainingEngine;
import dmdd.app.gui.training.TrainingView;
import dmdd.app.gui.training.TrainingViewModel;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The JavaFX application: builds the main window on the workspace in the user data folder and
 * opens the last project (the sample project on first start).
 */
public class WorkstationApplication extends Application {

    @Override
    public void start(Stage stage) {
        open(stage, new Workspace(Workspace.defaultUserData()));
    }

    /**
     * Builds and shows the workstation on a stage; tests call this with a temporary workspace.
     *
     * @param stage     the stage
     * @param workspace the user's workspace
     * @return the main window
     */
    public static Workstation open(Stage stage, Workspace workspace) {
        BackgroundWork background = BackgroundWork.javaFx(2);
        ThumbnailCache thumbnails = new ThumbnailCache(MainWindowView.THUMBNAIL_SIDE, 600);
        MainWindowViewModel mainModel = new MainWindowViewModel(workspace, background);
        MainWindowView mainView = new MainWindowView(mainModel, thumbnails);
        TrainingViewModel trainingModel = new TrainingViewModel(new DmddTrainingEngine(), background);
        trainingModel.projectProperty().bind(mainModel.projectProperty());
        TrainingView trainingView = new TrainingView(trainingModel, (settings, device) ->
                mainModel.updateSettings(project -> project.withTraining(settings, device)));
        mainView.setTrainingScreen(trainingView.root(), trainingView::trainWithDialog);
        dmdd.app.gui.annotation.ReviewScreens.install(mainModel, mainView, background,
                new dmdd.app.gui.annotation.ModelPredictions());
        Workstation workstation = new Workstation(mainModel, mainView, thumbnails, trainingModel);
        // Never open larger than the screen (the headless test screen is small, so are laptops).
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(mainView.root(), Math.min(1360, screen.getWidth()), Math.min(860, screen.getHeight()));
        scene.getStylesheets().add(Ui.stylesheet());
        stage.setScene(scene);
        stage.titleProperty().bind(mainModel.windowTitleProperty());
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        mainModel.start();
        return workstation;
    }

    /**
     * The parts of a running workstation (for tests and tools).
     *
     * @param main       main window state
     * @param view       main window
     * @param thumbnails thumbnail cache
     * @param training   training screen state
     */
    public record Workstation(MainWindowViewModel main, MainWindowView view, ThumbnailCache thumbnails,
            TrainingViewModel training) {
    }
}
