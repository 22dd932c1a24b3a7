package dmdd.batch;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * Removes what a run leaves behind if the JVM is stopped by a signal before the run's own cleanup: a
 * {@code finally} does not run on SIGTERM, a shutdown hook does. Closing it withdraws the hook once the run
 * has cleaned up (or kept) its files itself.
 *
 * <p>The hook is Hadoop's, not the JVM's: the JVM runs its hooks all at once, so Hadoop's own hook could close the
 * cached file systems (an HDFS output's among them) while the cleanup still needs them. Hadoop runs its hooks one
 * after another by priority: this one after Spark has stopped its context, before the file systems close.
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

    /** Between Spark's context (50) and its temporary folders (25), above Hadoop's file systems (10). */
    static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 20;

    private final Runnable hook;
    private volatile boolean withdrawn;

    private ExitCleanup(Action action) {
        this.hook = () -> {
            if (withdrawn) {
                return;
            }
            try {
                action.run();
            } catch (IOException | RuntimeException e) {
                // the JVM is stopping: a leftover temporary file is all that remains, nobody is left to tell
            }
        };
    }

    /**
     * Registers a cleanup for a stop by signal.
     *
     * @param action what to remove
     * @return the registration, to close when the run has cleaned up itself
     */
    static ExitCleanup register(Action action) {
        ExitCleanup cleanup = new ExitCleanup(action);
        ShutdownHookManager.get().addShutdownHook(cleanup.hook, PRIORITY);
        return cleanup;
    }

    /** Withdraws the hook: the run's files are its own business again (also while the JVM is stopping). */
    @Override
    public void close() {
        withdrawn = true;
        try {
            ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM is stopping already; the hook sees the flag
        }
    }
}
