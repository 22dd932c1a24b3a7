package dmdd.datasets.image;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way every file in the project is saved (images, masks, checkpoints, settings,
 * annotations): the content goes to a temporary file in the target's own folder, is flushed to
 * disk, then replaces the target with one atomic rename. A crash or a failed write therefore
 * leaves either the old file or the new one, never a half-written file.
 */
public final class AtomicFiles {
    /** Prefix of the temporary files; {@link ImageFiles} skips names that start with a dot. */
    static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /**
     * Writes a file atomically. Missing parent folders are created.
     *
     * @param target the file to create or replace
     * @param writer writes the complete content to the stream it is given (closing it is allowed
     *               and harmless)
     * @throws IOException when writing or the final rename fails; the target is then unchanged
     *                     and no temporary file is left behind
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (IOException e) {
            // Library messages ("I/O error writing PNG file!") name no file; people need the path and the cause.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.contains(target.toString())) {
                throw e;
            }
            Throwable cause = e.getCause();
            String reason = cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())
                    ? message + ": " + cause.getMessage() : message;
            throw new IOException("cannot write " + target + ": " + reason + " (the previous file, if any, is "
                    + "unchanged)", e);
        }
    }

    private static void writeAtomically(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Same folder as the target, so the rename never crosses a file system and can be atomic.
        removeStaleTempsOf(dir, absolute.getFileName().toString());
        Path temp = createTemp(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                // Writers such as Jackson close the stream they are given; the sync below needs it open.
                writer.accept(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                // On disk before the rename, or a power cut could leave a renamed but empty file.
                file.getFD().sync();
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A temporary file untouched this long belongs to no running write (a write takes seconds). */
    public static final java.time.Duration STALE = java.time.Duration.ofMinutes(10);

    /**
     * Removes the temporary files that killed writes left in a folder nobody locks, untouched for {@link #STALE},
     * so that a write running in another process at the same moment keeps its file. Best effort: a leftover is
     * hidden and never read.
     *
     * @param dir a folder
     */
    public static void removeStale(Path dir) {
        removeStale(dir, TEMP_PREFIX);
    }

    /**
     * {@link #removeStale(Path)} for one target's leftovers: before its next write (an export's zip in the user's
     * folder; each kill left another hidden file of the target's size).
     */
    private static void removeStaleTempsOf(Path dir, String targetName) {
        removeStale(dir, TEMP_PREFIX + FileNames.withinBytes(targetName, 100) + ".");
    }

    private static void removeStale(Path dir, String prefix) {
        long before = System.currentTimeMillis() - STALE.toMillis();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix) && isTemporary(p)).toList()) {
                if (Files.getLastModifiedTime(f).toMillis() < before) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // a leftover stays; nothing else depends on it
        }
    }

    /**
     * Creates an empty, uniquely named temporary file. Unlike {@code Files.createTempFile}, which
     * makes it readable by the owner only, it gets the usual permissions for new files (the
     * umask), and the renamed result keeps them.
     */
    private static Path createTemp(Path dir, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            // The target's name only to recognise the file by: cut, so a target of 255 bytes still has a temp file.
            Path temp = dir.resolve(TEMP_PREFIX + FileNames.withinBytes(targetName, 100) + "."
                    + Long.toString(id, 36) + ".part");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes the temporary files that interrupted saves (a killed process) left in a folder. Call it only
     * where no other save can be running in that folder (under the folder's lock).
     *
     * @param dir a folder
     * @return how many files were removed
     * @throws IOException when the folder cannot be listed
     */
    public static int removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (isTemporary(f) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Writes bytes atomically.
     *
     * @param target  the file to create or replace
     * @param content the complete content
     * @throws IOException when the write fails (the target is then unchanged)
     */
    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /**
     * Writes UTF-8 text atomically.
     *
     * @param target  the file to create or replace
     * @param content the complete text
     * @throws IOException when the write fails (the target is then unchanged)
     */
    public static void writeString(Path target, String content) throws IOException {
        writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param file a file
     * @return whether it is a temporary file of a write (the leftover of a killed one when no write is running)
     */
    public static boolean isTemporary(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        return n.startsWith(TEMP_PREFIX) && n.endsWith(".part");
    }
}
