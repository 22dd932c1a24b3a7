package dmdd.app.gui;

import dmdd.model.paths.UserDataDirs;
import javafx.application.Application;

/**
 * Starts the JavaFX workstation from a plain class (a class extending {@code Application} cannot be
 * the main class on a plain class path). {@code dmdd.app.Main} calls this without arguments.
 */
public final class WorkstationLauncher {
    private WorkstationLauncher() {
    }

    /**
     * Opens the workstation and returns when its window is closed.
     *
     * @param args JavaFX application arguments
     */
    public static void launch(String[] args) {
        // JavaFX unpacks its native libraries into ~/.openjfx unless told otherwise; keep them with
        // the rest of our per-user cache (the place each system expects, never the install folder).
        if (System.getProperty("javafx.cachedir") == null) {
            System.setProperty("javafx.cachedir", UserDataDirs.cacheDir().resolve("openjfx").toString());
        }
        Application.launch(WorkstationApplication.class, args);
    }
}
