package dmdd.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Turns the end of the process (Ctrl-C, SIGTERM, the first process of a second start ending) into a cancel of a long
 * run, and holds the shutdown up to a grace period while the run saves what it has (a training run its checkpoint)
 * and says so. Without it the JVM would stop between two checkpoints and the steps since the last one would be lost
 * without a word. Poll it as the run's cancel; close it when the run has returned and said what it had to say.
 */
final class StopOnShutdown implements BooleanSupplier, AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch returned = new CountDownLatch(1);
    private final Thread hook;

    /**
     * @param grace the longest the shutdown waits for the run to return
     */
    StopOnShutdown(Duration grace) {
        hook = new Thread(() -> {
            requested.set(true);
            try {
                returned.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dmdd-stop-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return whether the process is ending (the run should stop after saving) */
    @Override
    public boolean getAsBoolean() {
        return requested.get();
    }

    /** Lets a waiting shutdown go on; outside one, removes the hook. */
    @Override
    public void close() {
        returned.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has been released above and ends at once
        }
    }

    /**
     * Says that a stop which came while the model was being saved waited for the save (the process still ends as
     * stopped), so that nobody takes the model for half-written.
     *
     * @param err the error stream
     */
    void noteIfStoppedDuringSave(java.io.PrintWriter err) {
        if (getAsBoolean()) {
            err.println("note: the stop came while the model was being saved; the save was finished and the model "
                    + "is complete");
            err.flush();
        }
    }

    /**
     * Says how far a stopped inspection got, before the shutdown goes on.
     *
     * @param err     the error stream
     * @param done    images whose results were written
     * @param total   images asked for
     * @param results the results file that holds them
     * @return the exit code of a stopped run
     */
    static int reportStopped(java.io.PrintWriter err, int done, int total, java.nio.file.Path results) {
        err.printf(java.util.Locale.ROOT, "%nstopped after %d of %d images; their results are in %s%n", done, total,
                results);
        err.flush();
        return DmddCli.EXIT_FAILURE;
    }
}
