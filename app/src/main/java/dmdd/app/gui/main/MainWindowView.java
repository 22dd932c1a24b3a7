package dmdd.app.gui.main;

import dmdd.app.gui.Ui;
import dmdd.app.gui.images.ThumbnailCache;
import dmdd.app.gui.images.ThumbnailCell;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.project.ProjectImage;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TitledPane;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import javafx.util.Duration;
import org.controlsfx.control.GridView;
import org.controlsfx.control.Notifications;
import org.controlsfx.control.StatusBar;

/**
 * The main window: header with the project name and the main actions, the screens (images,
 * training, inspection) as tabs, and a status bar. Images and folders can be dropped onto it.
 */
public final class MainWindowView {
    /** Side of a thumbnail in the image grids, in pixels. */
    public static final int THUMBNAIL_SIDE = 112;

    private final MainWindowViewModel viewModel;
    private final ThumbnailCache thumbnails;
    private final StatusBar statusBar = new StatusBar();
    private final GridView<ProjectImage> normalGrid = new GridView<>();
    private final GridView<ProjectImage> inspectGrid = new GridView<>();
    private final BorderPane rootPane;

    @FXML private BorderPane root;
    @FXML private Label projectName;
    @FXML private Label normalTitle;
    @FXML private Label inspectTitle;
    @FXML private StackPane normalHolder;
    @FXML private StackPane inspectHolder;
    @FXML private Menu recentMenu;
    @FXML private ListView<Path> recentList;
    @FXML private TabPane screens;
    @FXML private Tab imagesTab;
    @FXML private Tab trainingTab;
    @FXML private Tab inspectionTab;
    @FXML private TitledPane skippedPane;
    @FXML private ListView<ImportReport.Skipped> skippedList;
    @FXML private Button trainButton;
    @FXML private Button inspectButton;
    @FXML private Menu modelMenu;
    @FXML private javafx.scene.control.MenuItem trainItem;
    @FXML private javafx.scene.control.MenuItem inspectItem;

    private Runnable onTrain = () -> { };
    private java.util.function.BooleanSupplier leaveCheck = () -> true;
    private Runnable onInspect = () -> { };

    /**
     * Builds the window content.
     *
     * @param viewModel  the state it shows
     * @param thumbnails the thumbnail cache shared by all grids
     */
    public MainWindowView(MainWindowViewModel viewModel, ThumbnailCache thumbnails) {
        this.viewModel = viewModel;
        this.thumbnails = thumbnails;
        this.rootPane = Ui.load("main/MainWindow.fxml", this);
    }

    @FXML
    private void initialize() {
        projectName.textProperty().bind(viewModel.projectNameProperty());
        setUpGrid(normalGrid, viewModel.normalImages(), normalHolder, "normal-grid", Ui.text("images.normal.empty"));
        setUpGrid(inspectGrid, viewModel.inspectImages(), inspectHolder, "inspect-grid",
                Ui.text("images.inspect.empty"));
        normalTitle.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("images.normal", viewModel.normalImages().size()), viewModel.normalImages()));
        inspectTitle.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("images.inspect", viewModel.inspectImages().size()), viewModel.inspectImages()));

        statusBar.textProperty().bind(viewModel.statusProperty());
        statusBar.setId("statusBar");
        root.setBottom(statusBar);

        skippedList.setItems(viewModel.skippedFiles());
        skippedList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            {
                getStyleClass().add("problem-item");
            }

            @Override
            protected void updateItem(ImportReport.Skipped item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null
                        : Ui.text("import.skippedItem", item.file().getFileName(), item.reason()));
            }
        });
        skippedPane.visibleProperty().bind(Bindings.isNotEmpty(viewModel.skippedFiles()));
        skippedPane.managedProperty().bind(skippedPane.visibleProperty());
        skippedPane.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("import.skippedCount", viewModel.skippedFiles().size()), viewModel.skippedFiles()));
        viewModel.lastImportProperty().addListener((obs, old, summary) -> {
            if (summary != null && root.getScene() != null && root.getScene().getWindow() != null) {
                notifyImport(summary);
            }
        });

        recentList.setId("recentProjects");
        recentList.setItems(viewModel.recentProjects());
        recentList.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(Path folder, boolean empty) {
                super.updateItem(folder, empty);
                setText(empty || folder == null ? null : folder.getFileName() + "    " + folder);
            }
        });
        recentList.setOnMouseClicked(event -> openSelectedRecent());
        recentList.setOnKeyPressed(event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ENTER) {
                openSelectedRecent();
            }
        });
        viewModel.recentProjects().addListener((ListChangeListener<Path>) change -> rebuildRecentMenu());
        rebuildRecentMenu();

        // Drops: on a grid they take that grid's role; anywhere else they are images to inspect.
        installDrop(normalHolder, ProjectImage.Role.NORMAL);
        installDrop(inspectHolder, ProjectImage.Role.INSPECT);
        installDrop(root, ProjectImage.Role.INSPECT);
    }

    private void setUpGrid(GridView<ProjectImage> grid, javafx.collections.ObservableList<ProjectImage> items,
            StackPane holder, String id, String emptyText) {
        grid.setId(id);
        grid.setItems(items);
        grid.setCellWidth(THUMBNAIL_SIDE + 8);
        grid.setCellHeight(THUMBNAIL_SIDE + 26);
        grid.setHorizontalCellSpacing(6);
        grid.setVerticalCellSpacing(6);
        grid.setCellFactory(g -> new ThumbnailCell<>(thumbnails, THUMBNAIL_SIDE, ProjectImage::file,
                image -> image.group().isEmpty() ? image.fileName() : image.group() + "/" + image.fileName()));
        // an empty grid is a drop zone that says so: a new project's first step is to bring images
        javafx.scene.control.Label empty = new javafx.scene.control.Label(emptyText);
        empty.setId(id + "-empty");
        empty.getStyleClass().add("drop-hint");
        empty.setWrapText(true);
        empty.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        empty.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        empty.setMouseTransparent(true);
        empty.visibleProperty().bind(Bindings.isEmpty(items));
        holder.getChildren().setAll(grid, empty);
    }

    private void installDrop(Node target, ProjectImage.Role role) {
        target.setOnDragOver(event -> {
            if (event.getDragboard().hasFiles()) {
                event.acceptTransferModes(TransferMode.COPY);
            }
            event.consume();
        });
        target.setOnDragDropped((DragEvent event) -> {
            List<File> files = event.getDragboard().getFiles();
            boolean accepted = files != null && !files.isEmpty();
            if (accepted) {
                viewModel.importFiles(files.stream().map(File::toPath).toList(), role);
            }
            event.setDropCompleted(accepted);
            event.consume();
        });
    }

    private void notifyImport(ImportReport<Path> summary) {
        String text = summary.loaded().isEmpty() && summary.skipped().isEmpty() ? Ui.text("import.nothing")
                : summary.skipped().isEmpty() ? Ui.text("import.done", summary.loaded().size())
                : Ui.text("import.doneWithProblems", summary.loaded().size(), summary.skipped().size());
        Notifications notification = Notifications.create().title(Ui.text("app.title")).text(text)
                .owner(root.getScene().getWindow()).hideAfter(Duration.seconds(4));
        if (summary.skipped().isEmpty() && !summary.loaded().isEmpty()) {
            notification.showInformation();
        } else {
            notification.showWarning();
        }
    }

    private void rebuildRecentMenu() {
        recentMenu.getItems().clear();
        for (Path folder : viewModel.recentProjects()) {
            MenuItem item = new MenuItem(folder.toString());
            item.setOnAction(e -> {
                if (mayLeaveProject()) {
                    viewModel.openProject(folder);
                }
            });
            recentMenu.getItems().add(item);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem(Ui.text("menu.project.noRecent"));
            none.setDisable(true);
            recentMenu.getItems().add(none);
        }
    }

    private void openSelectedRecent() {
        Path folder = recentList.getSelectionModel().getSelectedItem();
        if (folder != null && mayLeaveProject()) {
            viewModel.openProject(folder);
            screens.getSelectionModel().select(imagesTab);
        }
    }

    @FXML
    private void openSample() {
        if (!mayLeaveProject()) {
            return;
        }
        viewModel.openSample();
        screens.getSelectionModel().select(imagesTab);
    }

    /**
     * Shows the screen whose tab has this id.
     *
     * @param id tab id, e.g. {@code imagesTab}, {@code trainingTab}, {@code inspectionTab}
     */
    public void selectScreen(String id) {
        screens.getTabs().stream().filter(tab -> id.equals(tab.getId())).findFirst()
                .ifPresent(tab -> screens.getSelectionModel().select(tab));
    }

    private Window window() {
        return root.getScene().getWindow();
    }

    @FXML
    private void newProject() {
        if (!mayLeaveProject()) {
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Ui.text("chooser.newProject"));
        File folder = chooser.showDialog(window());
        if (folder == null) {
            return;
        }
        TextInputDialog dialog = new TextInputDialog(folder.getName());
        dialog.setTitle(Ui.text("dialog.newProject.title"));
        dialog.setHeaderText(Ui.text("dialog.newProject.name"));
        dialog.showAndWait().filter(name -> !name.isBlank())
                .ifPresent(name -> viewModel.createProject(folder.toPath(), name.trim()));
    }

    @FXML
    private void openProject() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Ui.text("chooser.openProject"));
        File folder = chooser.showDialog(window());
        if (folder != null && mayLeaveProject()) {
            viewModel.openProject(folder.toPath());
        }
    }

    @FXML
    private void importNormalFiles() {
        chooseFiles(Ui.text("chooser.normalFiles"), ProjectImage.Role.NORMAL);
    }

    @FXML
    private void importInspectFiles() {
        chooseFiles(Ui.text("chooser.inspectFiles"), ProjectImage.Role.INSPECT);
    }

    @FXML
    private void importNormalFolder() {
        chooseFolder(Ui.text("chooser.folder"), ProjectImage.Role.NORMAL);
    }

    @FXML
    private void importInspectFolder() {
        chooseFolder(Ui.text("chooser.folder"), ProjectImage.Role.INSPECT);
    }

    @FXML
    private void importMvtec() {
        chooseFolder(Ui.text("chooser.mvtec"), ProjectImage.Role.INSPECT);
    }

    @FXML
    private void importImageSets() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Ui.text("chooser.sets"));
        File folder = chooser.showDialog(window());
        if (folder != null) {
            viewModel.importImageSets(folder.toPath());
        }
    }

    private void chooseFiles(String title, ProjectImage.Role role) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Ui.text("chooser.images"),
                "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.tif", "*.tiff", "*.gif"));
        List<File> files = chooser.showOpenMultipleDialog(window());
        if (files != null) {
            viewModel.importFiles(files.stream().map(File::toPath).toList(), role);
        }
    }

    private void chooseFolder(String title, ProjectImage.Role role) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            viewModel.importFiles(List.of(folder.toPath()), role);
        }
    }

    /** Quit asks the window to close, as its close button does, so running work is stopped and saved first. */
    @FXML
    private void quit() {
        Window window = window();
        window.fireEvent(new WindowEvent(window, WindowEvent.WINDOW_CLOSE_REQUEST));
    }

    @FXML
    private void train() {
        screens.getSelectionModel().select(trainingTab);
        onTrain.run();
    }

    @FXML
    private void inspect() {
        screens.getSelectionModel().select(inspectionTab);
        onInspect.run();
    }

    /**
     * Sets what is asked before the open project is left, for another project or because the window closes (work
     * that is not on disk yet: the person decides).
     *
     * @param check true when the project may be left
     */
    public void setLeaveCheck(java.util.function.BooleanSupplier check) {
        leaveCheck = check;
    }

    /** @return whether the open project may be left now (asks the person when something would be lost) */
    public boolean mayLeaveProject() {
        return leaveCheck.getAsBoolean();
    }

    /**
     * Puts the training screen into its tab and wires the Train action to it.
     *
     * @param content the training screen
     * @param action    what Train does
     * @param available whether Train can start now (a project with normal images, no training running)
     */
    public void setTrainingScreen(Node content, Runnable action, javafx.beans.value.ObservableBooleanValue available) {
        trainingTab.setContent(content);
        onTrain = action;
        // Enabled only when a click can start something: never a button that silently does nothing.
        trainButton.disableProperty().bind(Bindings.not(available));
        trainItem.disableProperty().bind(Bindings.not(available));
    }

    /**
     * Puts the inspection screen into its tab and wires the Inspect action to it.
     *
     * @param content the inspection screen
     * @param action    what Inspect does
     * @param available whether Inspect can start now (a model ready, no inspection or training running)
     */
    public void setInspectionScreen(Node content, Runnable action,
            javafx.beans.value.ObservableBooleanValue available) {
        inspectionTab.setContent(content);
        // The screen's keys (O, D, arrows) reach it when it opens, not the row of tabs that had the focus.
        inspectionTab.selectedProperty().addListener((obs, was, selected) -> {
            if (selected) {
                content.requestFocus();
            }
        });
        onInspect = action;
        inspectButton.disableProperty().bind(Bindings.not(available));
        inspectItem.disableProperty().bind(Bindings.not(available));
    }

    /**
     * Adds items to the Model menu, after a separator (a screen's own actions on the model, as import and export).
     *
     * @param items the items
     */
    public void addModelMenuItems(List<javafx.scene.control.MenuItem> items) {
        modelMenu.getItems().add(new javafx.scene.control.SeparatorMenuItem());
        modelMenu.getItems().addAll(items);
    }

    /**
     * Shows a background job's progress in the status bar while it runs.
     *
     * @param running  whether the job runs
     * @param progress its progress in [0, 1] (negative: unknown)
     */
    public void showProgress(javafx.beans.value.ObservableBooleanValue running,
            javafx.beans.value.ObservableNumberValue progress) {
        javafx.beans.InvalidationListener update = obs -> {
            // With two jobs at once the bar shows whichever reported last; it clears when one ends.
            statusBar.setProgress(running.get() ? progress.doubleValue() : 0);
        };
        running.addListener(update);
        progress.addListener(update);
    }

    /** @return the tab pane of the screens */
    public TabPane screens() {
        return screens;
    }

    /** @return the root node of the window */
    public BorderPane root() {
        return rootPane;
    }
}
