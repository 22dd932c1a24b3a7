package dmdd.app.gui;

import dmdd.app.LibraryLogging;
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
        LibraryLogging.quietGpuProbe();
        try {
            Application.launch(WorkstationApplication.class, args);
        } catch (RuntimeException | Error e) {
            String why = missingDesktop(e);
            if (why == null) {
                throw e;
            }
            throw new WorkstationUnavailableException(why, e);
        }
    }

    /** The workstation cannot open on this machine; the message says what to install or do instead. */
    public static final class WorkstationUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkstationUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Says in one line what a failed start needs, when the cause is a missing desktop library or display.
     *
     * @param failure what JavaFX threw
     * @return the message, or {@code null} when the failure is something else
     */
    static String missingDesktop(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("GTK") || m.contains("libgtk")) {
                return "The workstation needs GTK 3, which this system lacks: install it (Debian/Ubuntu: "
                        + "sudo apt-get install libgtk-3-0) and start again. The command line works without it "
                        + "(dmdd --help).";
            }
            if (m.contains("DISPLAY") || m.contains("no suitable pipeline")) {
                return "The workstation needs a graphical desktop, and none was found (" + m.trim() + "). Start it "
                        + "on a desktop session, or use the command line, which needs none (dmdd --help).";
            }
        }
        return null;
    }
}
