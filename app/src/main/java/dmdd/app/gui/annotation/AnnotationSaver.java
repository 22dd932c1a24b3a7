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
 * whole annotation, so nothing is lost). Each save is atomic ({@link AnnotationStore#save}). A save the disk refuses
 * is kept and tried again with every later save and by {@link #flush}, which says whether everything is on disk.
 */
public final class AnnotationSaver {
    private final AnnotationStore store;
    private final Executor executor;
    private final Consumer<Throwable> onError;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
    /** Saves the disk refused (full, read-only, locked): tried again with every later save and by {@link #flush}. */
    private final Map<Path, Pending> failed = new ConcurrentHashMap<>();

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
            retryFailed();
            Pending latest = pending.remove(image);
            if (latest != null) {
                try {
                    store.save(image, latest.finish().apply(latest.annotation()));
                    failed.remove(image);
                } catch (Exception e) {
                    // kept, not dropped: a person's paint stays until the disk takes it (a newer change replaces it)
                    if (!pending.containsKey(image)) {
                        failed.put(image, latest);
                    }
                    onError.accept(e);
                }
            }
        });
    }

    /** Tries the refused saves again (on the saving thread); one still refused stays, reported once already. */
    private void retryFailed() {
        for (Map.Entry<Path, Pending> f : java.util.List.copyOf(failed.entrySet())) {
            if (pending.containsKey(f.getKey())) {
                failed.remove(f.getKey(), f.getValue()); // a newer annotation of it is queued
                continue;
            }
            try {
                store.save(f.getKey(), f.getValue().finish().apply(f.getValue().annotation()));
                failed.remove(f.getKey(), f.getValue());
            } catch (Exception stillRefused) {
                // stays in the list: unsavedImages() tells the screen
            }
        }
    }

    /** @return the images whose annotations the disk refused and are not saved yet, in file order */
    public java.util.List<Path> unsavedImages() {
        return failed.keySet().stream().sorted().toList();
    }

    /**
     * Waits until every queued save is on disk (before closing, or before measuring).
     *
     * @param seconds how long to wait at most
     * @return whether everything was saved in time
     */
    public boolean flush(long seconds) {
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(() -> {
            retryFailed();
            done.countDown();
        });
        try {
            return done.await(seconds, TimeUnit.SECONDS) && pending.isEmpty() && failed.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
