package dmdd.app.gui.background;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.StringProperty;

/**
 * The one background-job type of the screens: runs work through {@link BackgroundWork} (inline in tests)
 * and carries what every long job shows, whether it runs, its progress and its message, and a cancel flag
 * the work polls. One job at a time: {@link #start} refuses a second while one runs. Properties change on
 * the UI thread only.
 */
public final class BackgroundJob {
    /** What the work sees while it runs (callable from any thread). */
    public interface Context {
        /**
         * @param done  units finished (a fraction of a unit for work inside one, such as the tiles of an image)
         * @param total units in all (0: unknown)
         */
        void progress(double done, double total);

        /** @param text a message for the status line */
        void message(String text);

        /** @return whether the user asked to stop (the work stops at its next check) */
        boolean isCancelled();
    }

    /**
     * The work of a job.
     *
     * @param <T> its result
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param context progress, message and cancel
         * @return the result
         * @throws Exception when the work fails
         */
        T run(Context context) throws Exception;
    }

    private final BackgroundWork background;
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final StringProperty message;
    private volatile AtomicBoolean cancel = new AtomicBoolean();

    /**
     * @param background runs the work
     * @param message    the screen's status line, which the job's messages go to
     */
    public BackgroundJob(BackgroundWork background, StringProperty message) {
        this.background = Objects.requireNonNull(background);
        this.message = Objects.requireNonNull(message);
    }

    /**
     * Starts a job unless one is running (call on the UI thread).
     *
     * @param startMessage shown at once (may be null)
     * @param work         the work
     * @param onSuccess    receives the result on the UI thread, after {@code running} turned false
     * @param onFailure    receives the error (a {@link java.util.concurrent.CancellationException} when
     *                     cancelled) on the UI thread, after {@code running} turned false
     * @param <T>          the result type
     * @return whether the job started
     */
    public <T> boolean start(String startMessage, Work<T> work, Consumer<? super T> onSuccess,
                             Consumer<Throwable> onFailure) {
        if (running.get()) {
            return false;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        cancel = cancelled;
        running.set(true);
        progress.set(0);
        if (startMessage != null) {
            message.set(startMessage);
        }
        Context context = new Context() {
            @Override
            public void progress(double done, double total) {
                double fraction = total <= 0 ? -1 : Math.min(1.0, done / total);
                background.onUiThread(() -> progress.set(fraction));
            }

            @Override
            public void message(String text) {
                background.onUiThread(() -> message.set(text));
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        background.run(() -> work.run(context), result -> {
            running.set(false);
            progress.set(1);
            onSuccess.accept(result);
        }, error -> {
            running.set(false);
            onFailure.accept(error);
        });
        return true;
    }

    /** Asks the running job to stop at its next check. */
    public void cancel() {
        cancel.set(true);
    }

    /** @return whether a job runs */
    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    /** @return progress of the running job in [0, 1], -1 when unknown */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }
}
