package dmdd.datasets.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder operations every module needs. */
public final class Folders {
    private Folders() {
    }

    /**
     * Deletes a folder and everything in it, deepest first; nothing when it does not exist. Links inside are removed,
     * never followed (their targets stay).
     *
     * @param dir the folder
     * @throws IOException when something in it cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
