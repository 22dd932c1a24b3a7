package dmdd.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary folders for tests that cannot use {@code @TempDir} (FX start methods): removed when the JVM ends. */
public final class TempFolders {
    private TempFolders() {
    }

    /**
     * @param prefix the folder name's prefix
     * @return a new empty folder in the system temp folder, deleted with its content at JVM exit
     * @throws IOException when it cannot be created
     */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return dir;
    }

    /**
     * Deletes a folder tree, quietly (a temp folder the system cleans eventually anyway).
     *
     * @param dir the folder
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Nothing more to do for a temporary folder.
        }
    }
}
