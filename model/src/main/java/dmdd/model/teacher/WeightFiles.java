package dmdd.model.teacher;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File helpers for weights: atomic writes and SHA-256. */
final class WeightFiles {
    private WeightFiles() {
    }

    /** Writes the content of one file. */
    @FunctionalInterface
    interface Writer {
        /**
         * @param out the stream to write the complete content to
         * @throws IOException when writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically: a temporary file in the same folder, synced, then renamed over the
     * target, so a crash leaves the old file or the new one, never half a file.
     *
     * @param target the file to create or replace (its folder is created)
     * @param writer writes the content
     * @throws IOException when writing fails; the target is then unchanged
     */
    static void writeAtomically(Path target, Writer writer) throws IOException {
        // TODO switch to dmdd.datasets.image.AtomicFiles once it is on main (same behaviour).
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tmp-" + absolute.getFileName() + ".", ".part");
        boolean moved = false;
        try {
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                writer.write(out);
                out.flush();
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

    /**
     * @param file a file
     * @return its SHA-256 as lower-case hex
     * @throws IOException when the file cannot be read
     */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** @return a fresh SHA-256 digest */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
