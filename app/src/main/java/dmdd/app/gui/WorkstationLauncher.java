package dmdd.app.gui;

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
        Application.launch(WorkstationApplication.class, args);
    }
}
