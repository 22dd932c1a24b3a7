package dmdd.app.gui.images;

import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.UnreadableImageException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;

/**
 * Decodes thumbnails on a background thread and keeps the most recently used ones in a bounded
 * cache. Requests are served newest first (a LIFO queue): when the user scrolls quickly through
 * thousands of images, the cells now on screen are decoded before the ones scrolled past.
 */
public final class ThumbnailCache {
    private final ImageReader reader;
    private final int capacity;
    private final Map<Path, Image> cache;
    private final Map<Path, List<Consumer<Image>>> pending = new HashMap<>();
    private final ThreadPoolExecutor decoder;
    private final AtomicLong decoded = new AtomicLong();

    /**
     * A cache of square thumbnails.
     *
     * @param side     the longer side of a thumbnail in pixels
     * @param capacity how many thumbnails stay in memory
     */
    public ThumbnailCache(int side, int capacity) {
        this.reader = new ImageReader(side);
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, Image> eldest) {
                return size() > ThumbnailCache.this.capacity;
            }
        };
        LinkedBlockingDeque<Runnable> lifo = new LinkedBlockingDeque<>() {
            @Override
            public boolean offer(Runnable runnable) {
                return offerFirst(runnable);
            }
        };
        this.decoder = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, lifo,
                BackgroundWork.daemonThreads("dmdd-thumbnails"));
    }

    /**
     * The thumbnail if it is cached; otherwise null, and {@code whenReady} is called on the FX thread
     * once it is decoded. Must be called on the FX thread.
     *
     * @param file      the image file
     * @param whenReady receives the thumbnail later (not called when it is returned directly)
     * @return the cached thumbnail or null
     */
    public Image get(Path file, Consumer<Image> whenReady) {
        Image image = cache.get(file);
        if (image != null) {
            return image;
        }
        List<Consumer<Image>> waiting = pending.get(file);
        if (waiting != null) {
            waiting.add(whenReady);
            return null;
        }
        waiting = new java.util.ArrayList<>();
        waiting.add(whenReady);
        pending.put(file, waiting);
        decoder.execute(() -> {
            Image thumbnail = decode(file);
            decoded.incrementAndGet();
            Platform.runLater(() -> {
                cache.put(file, thumbnail);
                List<Consumer<Image>> callbacks = pending.remove(file);
                if (callbacks != null) {
                    callbacks.forEach(callback -> callback.accept(thumbnail));
                }
            });
        });
        return null;
    }

    /**
     * Forgets a file (e.g. after it changed).
     *
     * @param file the image file
     */
    public void invalidate(Path file) {
        cache.remove(file);
    }

    /** @return how many thumbnails have been decoded so far (for tests and benchmarks) */
    public long decodedCount() {
        return decoded.get();
    }

    /** @return how many thumbnails are in memory now */
    public int size() {
        return cache.size();
    }

    private Image decode(Path file) {
        // The shared reader subsamples while decoding, so a big photo never sits in memory at full
        // size, and it reads every format the import accepts (TIFF, CMYK JPEG, EXIF orientation).
        try {
            return SwingFXUtils.toFXImage(reader.read(file).toBufferedImage(), null);
        } catch (UnreadableImageException e) {
            // An empty picture: the cell stays blank and the file is not decoded again and again.
            return new WritableImage(1, 1);
        }
    }
}
