package dmdd.datasets.layout;

import dmdd.datasets.image.UnreadableImageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an import loaded and which files it skipped, and why. An import goes through every file:
 * a bad file becomes an entry in {@link #skipped()}, never an exception that ends the import.
 *
 * @param loaded  what was loaded, in the order the files were given
 * @param skipped the files that were not loaded, each with the reason
 * @param <T>     what a loaded file becomes
 */
public record ImportReport<T>(List<T> loaded, List<Skipped> skipped) {
    /**
     * A file left out of an import.
     *
     * @param file   the file
     * @param reason why, in words for a user (without the file name)
     */
    public record Skipped(Path file, String reason) {
        /** @return the file and the reason, naming the file once (readers' messages often name it already) */
        @Override
        public String toString() {
            return file.getFileName() != null && reason.contains(file.getFileName().toString()) ? reason
                    : file + ": " + reason;
        }
    }

    /**
     * Loads something from one file.
     *
     * @param <T> what a file becomes
     */
    @FunctionalInterface
    public interface Loader<T> {
        /**
         * @param file the file
         * @return what it holds
         * @throws IOException when the file cannot be used; the import skips it with the message
         */
        T load(Path file) throws IOException;
    }

    /**
     * @param loaded  what was loaded (copied)
     * @param skipped the skipped files (copied)
     */
    public ImportReport {
        loaded = List.copyOf(loaded);
        skipped = List.copyOf(skipped);
    }

    /**
     * Loads every file, collecting the ones that fail instead of stopping at them.
     *
     * @param files  the files, in the order they should be loaded
     * @param loader loads one file
     * @param <T>    what a file becomes
     * @return the loaded values and the skipped files
     */
    public static <T> ImportReport<T> loadAll(Collection<Path> files, Loader<T> loader) {
        List<T> loaded = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                loaded.add(loader.load(file));
            } catch (UnreadableImageException e) {
                skipped.add(new Skipped(file, e.reason()));
            } catch (IOException | RuntimeException e) {
                skipped.add(new Skipped(file, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return new ImportReport<>(loaded, skipped);
    }

    /**
     * This report with more skipped files added (for files rejected before loading, such as
     * ones with a non-image extension).
     *
     * @param more further skipped files
     * @return a new report
     */
    public ImportReport<T> withSkipped(Collection<Skipped> more) {
        List<Skipped> all = new ArrayList<>(skipped);
        all.addAll(more);
        return new ImportReport<>(loaded, all);
    }

    /** @return whether any file was skipped */
    public boolean hasSkipped() {
        return !skipped.isEmpty();
    }

    /**
     * A one-paragraph summary for a log or a dialog, e.g.
     * {@code "Loaded 58 files, skipped 2: a.png (file is empty); b.png (is a text file, not an image)"}.
     *
     * @return the summary
     */
    public String summary() {
        if (skipped.isEmpty()) {
            return "Loaded " + loaded.size() + " files.";
        }
        return "Loaded " + loaded.size() + " files, skipped " + skipped.size() + ": "
                + skipped.stream().map(s -> s.file() + " (" + s.reason() + ")").collect(Collectors.joining("; "));
    }
}
