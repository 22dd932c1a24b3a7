package dmdd.app.gui.metrics;

import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where the workstation's "Export results" writes: a new folder inside the one the person chose, named after the
 * project and the time. The chosen folder is usually a place of their own (Documents, a share, a project's folder)
 * that may hold a {@code results.csv} or {@code report.html} of theirs; a folder of its own per export never writes
 * over them, never mixes one export's maps with another's, and carries the results marker
 * ({@link ImageFiles#RESULTS_MARKER}), so that its heatmaps are never read as pictures of parts, even inside a
 * folder of images.
 */
final class ExportFolder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss");

    private ExportFolder() {
    }

    /**
     * Creates the export's folder and marks it (before anything is written into it).
     *
     * @param chosen  the folder the person chose
     * @param project the project's name
     * @param now     the time to name it by
     * @return the new, empty, marked folder
     * @throws IOException when the folder cannot be created or marked
     */
    static Path create(Path chosen, String project, LocalDateTime now) throws IOException {
        if (!Files.isDirectory(chosen)) {
            throw new IOException(chosen + " is not a folder");
        }
        String base = safe(project) + " results " + TIME.format(now);
        for (int n = 1; ; n++) {
            Path candidate = chosen.resolve(n == 1 ? base : base + " (" + n + ")");
            try {
                Files.createDirectory(candidate); // fails when it exists: never someone else's folder
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            AtomicFiles.writeBytes(candidate.resolve(ImageFiles.RESULTS_MARKER),
                    ("written by DMDD Inspector's workstation (Export results)\n").getBytes(StandardCharsets.UTF_8));
            return candidate;
        }
    }

    /** Longest part of the name taken from the project, in UTF-8 bytes (file systems allow 255 for the whole). */
    private static final int MAX_NAME_BYTES = 160;

    /**
     * The project name with the characters no file system takes in a folder name replaced, shortened to
     * {@link #MAX_NAME_BYTES} bytes.
     */
    private static String safe(String name) {
        String s = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        s = s.isEmpty() || s.startsWith(".") ? "project" + s : s;
        while (s.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1)).strip();
        }
        return s;
    }

    /**
     * Removes an export's folder that holds nothing but its mark (an export that failed or was stopped before it
     * wrote anything); a folder with results stays.
     *
     * @param folder the folder {@link #create} made
     */
    static void removeIfEmpty(Path folder) {
        try {
            if (ImageFiles.holdsOnlyResultsMarker(folder)) {
                Files.deleteIfExists(folder.resolve(ImageFiles.RESULTS_MARKER));
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            // left as it is: an empty, marked folder harms nothing
        }
    }
}
