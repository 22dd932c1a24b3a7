package dmdd.app.gui.annotation;

import dmdd.datasets.annotation.AnnotationStore;
import dmdd.datasets.annotation.ImageAnnotation;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Saves annotations away from the UI thread, one file operation at a time and in order. When changes to
 * one image pile up faster than the disk takes them, only the latest is written (every save writes the
 * whole annotation, so nothing is lost). Each save is atomic ({@link AnnotationStore#save}).
 */
public final class AnnotationSaver {
    private final AnnotationStore store;
    private final Executor executor;
    private final Consumer<Throwable> onError;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();

    /** An annotation waiting to be saved and what turns it into the saved one (on the saving thread). */
    private record Pending(ImageAnnotation annotation, UnaryOperator<ImageAnnotation> finish) {
    }

    /**
     * @param store    where annotations go
     * @param executor a single-threaded executor (or {@code Runnable::run} in tests)
     * @param onError  told about a failed save (on the saving thread)
     */
    public AnnotationSaver(AnnotationStore store, Executor executor, Consumer<Throwable> onError) {
        this.store = store;
        this.executor = executor;
        this.onError = onError;
    }

    /** @return the store it saves to */
    public AnnotationStore store() {
        return store;
    }

    /**
     * Queues a save, its annotation finished on the saving thread (a mask painted on a shrunk picture is brought to
     * the image's size there, not on the FX thread).
     *
     * @param image      the image
     * @param annotation its whole annotation as it stands now
     * @param finish     makes the annotation to store from it
     */
    public void save(Path image, ImageAnnotation annotation, UnaryOperator<ImageAnnotation> finish) {
        pending.put(image, new Pending(annotation, finish));
        executor.execute(() -> {
            Pending latest = pending.remove(image);
            if (latest != null) {
                try {
                    store.save(image, latest.finish().apply(latest.annotation()));
                } catch (Exception e) {
                    onError.accept(e);
                }
            }
        });
    }

    /**
     * Waits until every queued save is on disk (before closing, or before measuring).
     *
     * @param seconds how long to wait at most
     * @return whether everything was saved in time
     */
    public boolean flush(long seconds) {
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(done::countDown);
        try {
            return done.await(seconds, TimeUnit.SECONDS) && pending.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
