package dmdd.app;

import dmdd.app.cli.DmddCli;
import dmdd.app.gui.WorkstationLauncher;
import java.util.OptionalInt;

/**
 * Entry point of {@code dmdd.jar}. Without arguments it opens the workstation; with a subcommand it
 * runs the command line. A plain class (not an {@code Application}) so the jar starts on a class path. On Linux
 * it first starts itself again with the native memory settings glibc reads only at start-up
 * ({@link NativeMemoryRelaunch}).
 */
public final class Main {
    private Main() {
    }

    /**
     * Starts the GUI or the command line.
     *
     * @param args command line arguments
     */
    public static void main(String[] args) {
        OptionalInt child = NativeMemoryRelaunch.runInChildIfUseful(Main.class, args);
        if (child.isPresent()) {
            System.exit(child.getAsInt());
        }
        NativeMemoryRelaunch.endWithTheFirstProcess(System.getenv());
        if (args.length == 0) {
            try {
                WorkstationLauncher.launch(args);
            } catch (WorkstationLauncher.WorkstationUnavailableException e) {
                System.err.println("error: " + e.getMessage());
                System.exit(DmddCli.EXIT_USAGE);
            }
            return;
        }
        System.exit(DmddCli.run(args));
    }
}
