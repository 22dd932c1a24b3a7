package dmdd.app.gui.background;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;

/**
 * Runs file and model work away from the JavaFX thread and hands the result back to it.
 * In the application the work runs as a {@link Task} on a small daemon pool and the callbacks run on
 * the FX thread; in view-model tests {@link #inline()} runs both on the calling thread so tests need
 * no toolkit and no waiting.
 */
public abstract class BackgroundWork {

    /**
     * Starts a piece of work.
     *
     * @param work      what to compute (never touches JavaFX nodes)
     * @param onSuccess receives the result on the UI thread
     * @param onFailure receives the error on the UI thread
     * @param <T>       result type
     */
    public abstract <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure);

    /**
     * Runs a small piece of code on the UI thread (the FX thread, or the caller when inline).
     *
     * @param action what to run
     */
    public abstract void onUiThread(Runnable action);

    /**
     * Whether this instance runs everything on the calling thread (tests).
     *
     * @return true for {@link #inline()}
     */
    public abstract boolean isInline();

    /**
     * Work on a daemon thread pool, callbacks on the FX thread.
     *
     * @param threads number of worker threads
     * @return the background runner
     */
    public static BackgroundWork javaFx(int threads) {
        return new FxBackgroundWork(threads);
    }

    /**
     * Work and callbacks on the calling thread, for tests.
     *
     * @return the inline runner
     */
    public static BackgroundWork inline() {
        return new ExecutorBackgroundWork(Runnable::run, Runnable::run, true);
    }

    /**
     * Work where and when a test wants it: each piece of work goes to {@code work} (a queue the test runs in the
     * order it chooses, or a thread of its own), its callbacks and {@link #onUiThread} actions to {@code ui} (the
     * calling thread, or a queue the test's "UI thread" drains).
     *
     * @param work runs the work
     * @param ui   runs the callbacks
     * @return the runner
     */
    public static BackgroundWork on(java.util.concurrent.Executor work, java.util.concurrent.Executor ui) {
        return new ExecutorBackgroundWork(work, ui, false);
    }

    /**
     * A thread factory for named daemon threads (the JVM may exit while they still run).
     *
     * @param prefix thread name prefix
     * @return the factory
     */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class FxBackgroundWork extends BackgroundWork {
        private final ExecutorService executor;

        FxBackgroundWork(int threads) {
            this.executor = Executors.newFixedThreadPool(threads, daemonThreads("dmdd-background"));
        }

        @Override
        public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
            Objects.requireNonNull(work);
            Task<T> task = new Task<>() {
                @Override
                protected T call() throws Exception {
                    return work.call();
                }
            };
            task.setOnSucceeded(event -> onSuccess.accept(task.getValue()));
            task.setOnFailed(event -> onFailure.accept(task.getException()));
            executor.execute(task);
        }

        @Override
        public void onUiThread(Runnable action) {
            if (Platform.isFxApplicationThread()) {
                action.run();
            } else {
                Platform.runLater(action);
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }

    private static final class ExecutorBackgroundWork extends BackgroundWork {
        private final java.util.concurrent.Executor work;
        private final java.util.concurrent.Executor ui;
        private final boolean inline;

        ExecutorBackgroundWork(java.util.concurrent.Executor work, java.util.concurrent.Executor ui, boolean inline) {
            this.work = Objects.requireNonNull(work);
            this.ui = Objects.requireNonNull(ui);
            this.inline = inline;
        }

        @Override
        public <T> void run(Callable<T> task, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
            work.execute(() -> {
                T result;
                try {
                    result = task.call();
                } catch (Exception | Error e) {
                    ui.execute(() -> onFailure.accept(e));
                    return;
                }
                ui.execute(() -> onSuccess.accept(result));
            });
        }

        @Override
        public void onUiThread(Runnable action) {
            ui.execute(action);
        }

        @Override
        public boolean isInline() {
            return inline;
        }
    }
}
