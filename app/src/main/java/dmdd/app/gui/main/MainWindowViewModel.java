package dmdd.app.gui.main;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.model.project.ProjectImporter;
import dmdd.model.project.ProjectLock;
import dmdd.model.project.ProjectStore;
import dmdd.model.project.SampleProject;
import dmdd.model.project.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the main window: the open project, its images, the recent projects, the status line and
 * the files a last import could not read. Holds no JavaFX nodes; all file work goes through
 * {@link BackgroundWork}.
 */
public final class MainWindowViewModel {
    private final Workspace workspace;
    private final BackgroundWork background;
    /** The open project's mark ({@link ProjectLock}); held until another project is shown. */
    private ProjectLock openLock;
    private final ObjectProperty<Project> project = new SimpleObjectProperty<>();
    private final StringProperty projectName = new SimpleStringProperty("");
    private final StringProperty windowTitle = new SimpleStringProperty(Ui.text("app.title"));
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObservableList<ProjectImage> normalImages = FXCollections.observableArrayList();
    private final ObservableList<ProjectImage> inspectImages = FXCollections.observableArrayList();
    private final ObservableList<Path> recentProjects = FXCollections.observableArrayList();
    private final ObservableList<ImportReport.Skipped> skippedFiles = FXCollections.observableArrayList();
    private final java.util.concurrent.atomic.AtomicLong settingsVersion = new java.util.concurrent.atomic.AtomicLong();
    private final ObjectProperty<ImportReport<Path>> lastImport = new SimpleObjectProperty<>();

    /**
     * A view model.
     *
     * @param workspace  the user's workspace (recent projects, sample project)
     * @param background runs file work off the FX thread
     */
    public MainWindowViewModel(Workspace workspace, BackgroundWork background) {
        this.workspace = workspace;
        this.background = background;
        project.addListener((obs, old, now) -> projectName.set(now == null ? "" : now.settings().name()));
        windowTitle.bind(Bindings.createStringBinding(() -> projectName.get().isEmpty()
                ? Ui.text("app.title") : Ui.text("app.titleWithProject", projectName.get()), projectName));
    }

    /**
     * Opens the project the user had open last, or the sample project on first start.
     */
    public void start() {
        busy.set(true);
        status.set(Ui.text("status.opening"));
        background.run(() -> {
            Path last = workspace.lastProject();
            Project opened = last != null ? ProjectStore.open(last) : SampleProject.openOrCreate(workspace);
            return loaded(opened);
        }, this::show, this::fail);
    }

    /**
     * Opens the sample project (creating it if it was deleted).
     */
    public void openSample() {
        busy.set(true);
        status.set(Ui.text("status.opening"));
        background.run(() -> {
            return loaded(SampleProject.openOrCreate(workspace));
        }, this::show, this::fail);
    }

    /**
     * Opens a project folder.
     *
     * @param folder the folder
     */
    public void openProject(Path folder) {
        busy.set(true);
        status.set(Ui.text("status.opening"));
        background.run(() -> {
            return loaded(ProjectStore.open(folder));
        }, this::show, this::fail);
    }

    /**
     * Creates a new empty project and opens it.
     *
     * @param folder the folder for it
     * @param name   its name
     */
    public void createProject(Path folder, String name) {
        busy.set(true);
        background.run(() -> {
            return loaded(ProjectStore.create(folder, name));
        }, this::show, this::fail);
    }

    /**
     * Imports files or folders into the open project; unreadable files end up in {@link #skippedFiles()}.
     *
     * @param sources files and folders
     * @param role    normal images or images to inspect
     */
    public void importFiles(List<Path> sources, ProjectImage.Role role) {
        Project current = project.get();
        if (current == null || sources.isEmpty()) {
            return;
        }
        busy.set(true);
        status.set(Ui.text("status.importing", sources.size()));
        background.run(() -> {
            ImportReport<Path> summary = new ProjectImporter(current).importFiles(sources, role);
            return new Imported(current.folder(), summary, current.normalImages(), current.inspectImages());
        }, this::showImported, this::fail);
    }

    /**
     * Imports several part types into the open project, one image set per sub-folder of {@code parent} (MVTec AD
     * categories or folders of normal images), each into sub-folders of its own
     * ({@link ProjectImporter#importImageSets}); for one model of many part types (DCAM).
     *
     * @param parent the folder holding one folder per part type
     */
    public void importImageSets(Path parent) {
        Project current = project.get();
        if (current == null) {
            return;
        }
        busy.set(true);
        status.set(Ui.text("status.importingSets", parent.getFileName()));
        background.run(() -> {
            List<Path> sets = ProjectImporter.setFolders(parent);
            if (sets.isEmpty()) {
                throw new java.io.IOException(Ui.text("status.noSets", parent));
            }
            ImportReport<Path> summary = new ProjectImporter(current).importImageSets(sets);
            return new Imported(current.folder(), summary, current.normalImages(), current.inspectImages());
        }, this::showImported, this::fail);
    }

    private void showImported(Imported imported) {
        busy.set(false);
        Project current = project.get();
        if (current == null || !current.folder().equals(imported.project())) {
            // Another project was opened meanwhile: the images are in the project they were imported into, and
            // its lists are read when it is opened again; this one's lists stay its own.
            status.set(Ui.text("status.importedElsewhere", imported.summary().loaded().size(),
                    imported.project().getFileName()));
            return;
        }
        normalImages.setAll(imported.normal());
        inspectImages.setAll(imported.inspect());
        skippedFiles.setAll(imported.summary().skipped());
        lastImport.set(imported.summary());
        status.set(imported.summary().loaded().isEmpty() && !imported.summary().hasSkipped()
                ? Ui.text("import.nothing")
                : Ui.text("status.imported", imported.summary().loaded().size(), imported.summary().skipped().size()));
    }

    /**
     * Lists the normal images again (after the review copied images marked OK into the normal set).
     */
    public void refreshNormalImages() {
        Project current = project.get();
        if (current == null) {
            return;
        }
        background.run(current::normalImages, images -> {
            if (current.folder().equals(project.get() == null ? null : project.get().folder())) {
                normalImages.setAll(images);
            }
        }, this::fail);
    }

    /**
     * Saves a change to the project settings (atomically, in the background).
     *
     * @param change how the settings change
     */
    public void updateSettings(java.util.function.UnaryOperator<dmdd.model.project.ProjectSettings> change) {
        Project current = project.get();
        if (current == null) {
            return;
        }
        Project changed = current.with(change.apply(current.settings()));
        // Numbered before the listeners hear of it: a change they make in turn is newer and must win the save.
        long version = settingsVersion.incrementAndGet();
        project.set(changed);
        background.run(() -> {
            // Saves may finish out of order on the pool: only the newest settings are written.
            synchronized (settingsVersion) {
                if (version == settingsVersion.get()) {
                    ProjectStore.save(changed);
                }
            }
            return changed;
        }, saved -> { }, this::fail);
    }

    /**
     * Runs an action once a project is open (immediately if one is).
     *
     * @param action what to do with the project
     */
    public void whenProjectOpen(Consumer<Project> action) {
        if (project.get() != null) {
            action.accept(project.get());
        }
        project.addListener((obs, old, now) -> {
            if (now != null && (old == null || !now.folder().equals(old.folder()))) {
                action.accept(now);
            }
        });
    }

    /**
     * A project about to be shown, marked as open here ({@link ProjectLock}): refused, naming the other process, when
     * another workstation has it open, since each would undo the other's saves.
     */
    private Loaded loaded(Project opened) throws IOException {
        ProjectLock lock = ProjectLock.acquire(opened.folder());
        try {
            workspace.remember(opened.folder());
            return new Loaded(opened, opened.normalImages(), opened.inspectImages(), workspace.recentProjects(), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private void show(Loaded loaded) {
        ProjectLock previous = openLock;
        openLock = loaded.lock();
        if (previous != null) {
            try {
                previous.close();
            } catch (IOException e) {
                // the process's lock on the previous project goes at the latest with the process
            }
        }
        project.set(loaded.project());
        normalImages.setAll(loaded.normal());
        inspectImages.setAll(loaded.inspect());
        recentProjects.setAll(loaded.recent());
        skippedFiles.clear();
        status.set(Ui.text("status.opened", loaded.project().settings().name(), loaded.normal().size(),
                loaded.inspect().size()));
        busy.set(false);
    }

    private void fail(Throwable error) {
        busy.set(false);
        status.set(Ui.text("status.error", error.getMessage()));
    }

    private record Loaded(Project project, List<ProjectImage> normal, List<ProjectImage> inspect, List<Path> recent,
                          ProjectLock lock) {
    }

    private record Imported(Path project, ImportReport<Path> summary, List<ProjectImage> normal,
                            List<ProjectImage> inspect) {
    }

    /** @return the open project (null until one is open) */
    public ObjectProperty<Project> projectProperty() {
        return project;
    }

    /** @return the open project's name */
    public ReadOnlyStringProperty projectNameProperty() {
        return projectName;
    }

    /** @return the window title */
    public StringProperty windowTitleProperty() {
        return windowTitle;
    }

    /** @return the status line */
    public StringProperty statusProperty() {
        return status;
    }

    /** @return whether background file work is running */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** @return the normal images of the open project */
    public ObservableList<ProjectImage> normalImages() {
        return normalImages;
    }

    /** @return the images to inspect of the open project */
    public ObservableList<ProjectImage> inspectImages() {
        return inspectImages;
    }

    /** @return recent project folders, most recent first */
    public ObservableList<Path> recentProjects() {
        return recentProjects;
    }

    /** @return files the last import skipped, with reasons */
    public ObservableList<ImportReport.Skipped> skippedFiles() {
        return skippedFiles;
    }

    /** @return the summary of the last import */
    public ObjectProperty<ImportReport<Path>> lastImportProperty() {
        return lastImport;
    }

    /** @return the workspace */
    public Workspace workspace() {
        return workspace;
    }

    /** @return the background runner */
    public BackgroundWork background() {
        return background;
    }

    /**
     * Saves where the user is (screen and selected image) so the project opens there again.
     *
     * @param screen screen name
     * @param image  selected image or null
     */
    public void rememberPlace(String screen, Path image) {
        Project current = project.get();
        if (current == null) {
            return;
        }
        String relative = image == null ? null : current.folder().relativize(image).toString();
        updateSettings(settings -> settings.withPlace(screen, relative));
    }
}
