package dmdd.batch;

import java.io.IOException;

/**
 * Removes what a run leaves behind if the JVM is stopped by a signal before the run's own cleanup: a
 * {@code finally} does not run on SIGTERM, a shutdown hook does. Closing it withdraws the hook once the run
 * has cleaned up (or kept) its files itself.
 */
final class ExitCleanup implements AutoCloseable {
    /** Cleanup work that may fail on I/O. */
    @FunctionalInterface
    interface Action {
        /**
         * Does the cleanup.
         *
         * @throws IOException if a file cannot be removed
         */
        void run() throws IOException;
    }

    private final Thread hook;
    private volatile boolean withdrawn;

    private ExitCleanup(String name, Action action) {
        this.hook = new Thread(() -> {
            if (withdrawn) {
                return;
            }
            try {
                action.run();
            } catch (IOException | RuntimeException e) {
                // the JVM is stopping: a leftover temporary file is all that remains, nobody is left to tell
            }
        }, name);
    }

    /**
     * Registers a cleanup for a stop by signal.
     *
     * @param name   the hook thread's name
     * @param action what to remove
     * @return the registration, to close when the run has cleaned up itself
     */
    static ExitCleanup register(String name, Action action) {
        ExitCleanup cleanup = new ExitCleanup(name, action);
        Runtime.getRuntime().addShutdownHook(cleanup.hook);
        return cleanup;
    }

    /** Withdraws the hook: the run's files are its own business again (also while the JVM is stopping). */
    @Override
    public void close() {
        withdrawn = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM is stopping already; the hook sees the flag
        }
    }
}
