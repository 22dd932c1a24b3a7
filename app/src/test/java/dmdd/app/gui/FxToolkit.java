package dmdd.app.gui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.application.Platform;

/** Starts the JavaFX toolkit without a window, for view models that use Service or Platform.runLater. */
public final class FxToolkit {
    private static boolean started;

    private FxToolkit() {
    }

    /** Starts the toolkit once per JVM. */
    public static synchronized void start() {
        if (started) {
            return;
        }
        // Started the TestFX way, so that later TestFX tests in the same JVM find the toolkit, the
        // primary stage and the headless robot as they expect (a bare Platform.startup broke their clicks).
        try {
            org.testfx.api.FxToolkit.registerPrimaryStage();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the JavaFX toolkit did not start", e);
        }
        started = true;
    }

    /**
     * Runs code on the FX thread and returns its result.
     *
     * @param code what to run
     * @param <T>  result type
     * @return the result
     * @throws Exception when the code throws or takes over 30 s
     */
    public static <T> T onFx(Supplier<T> code) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(code.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until a condition, checked on the FX thread, holds.
     *
     * @param seconds   how long at most
     * @param condition the condition
     * @throws Exception when it does not hold in time
     */
    public static void waitUntil(double seconds, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (onFx(condition::getAsBoolean)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met within " + seconds + " s");
    }
}
