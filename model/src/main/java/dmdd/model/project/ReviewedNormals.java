package dmdd.model.project;

import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.FileNames;
import dmdd.model.infer.ModelFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Images a person marked OK in the review join the project's normal set as copies: the image stays where it
 * is (the user keeps it there), a copy goes into {@code normal/} under a name that says where it came from
 * ({@value #PREFIX}{@code <folder>_<stem>-<tag>.<ext>}, the tag eight hex digits of the image's path in the
 * project, so images whose folder and file names join alike, {@code a_b/c.png} and {@code a/b_c.png}, never
 * share a copy), written atomically. Marking the image defective again removes the copy. The next "Improve
 * model" trains on them.
 */
public final class ReviewedNormals {
    /** Prefix of the copies' names in {@code normal/}. */
    public static final String PREFIX = "reviewed_";
    /** Room left for the tag and the extension under the file system's 255 bytes. */
    private static final int STEM_BYTES = 200;

    private ReviewedNormals() {
    }

    /**
     * @param project the project
     * @param image   an image of the project (or anywhere)
     * @return where its copy in the normal set lies (whether or not it exists)
     */
    public static Path copyOf(Project project, Path image) {
        Path absolute = image.toAbsolutePath().normalize();
        String name = absolute.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path root = project.folder().toAbsolutePath().normalize();
        String where = (absolute.startsWith(root) ? root.relativize(absolute) : absolute).toString().replace('\\', '/');
        String tag = ModelFolder.sha256(where.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        return project.normalDir().resolve(FileNames.withinBytes(PREFIX + folderPart(absolute) + stem, STEM_BYTES)
                + "-" + tag + extension);
    }

    /** The name copies had before the tag: {@code reviewed_<folder>_<name>}, which two images could share. */
    private static Path legacyCopyOf(Project project, Path image) {
        Path absolute = image.toAbsolutePath().normalize();
        return project.normalDir().resolve(PREFIX + folderPart(absolute) + absolute.getFileName());
    }

    private static String folderPart(Path absolute) {
        Path parent = absolute.getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "_";
    }

    /**
     * Copies an image into the normal set (atomically). An existing copy with other bytes (the image was replaced
     * under its name) is written anew; a copy saved under the earlier, untagged name with the same bytes counts
     * as the copy.
     *
     * @param project the project
     * @param image   the image marked OK
     * @return the copy
     * @throws IOException when the image cannot be read or the copy written
     */
    public static Path add(Project project, Path image) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        Path legacy = legacyCopyOf(project, image);
        if (holds(legacy, bytes)) {
            return legacy;
        }
        Path copy = copyOf(project, image);
        if (!holds(copy, bytes)) {
            Files.createDirectories(copy.getParent());
            AtomicFiles.write(copy, out -> out.write(bytes));
        }
        return copy;
    }

    /**
     * Removes an image's copy from the normal set (the image itself is untouched). A copy under the earlier,
     * untagged name is removed only if it holds this image's bytes: under that name it may be another image's.
     *
     * @param project the project
     * @param image   the image no longer marked OK
     * @return whether a copy was removed
     * @throws IOException when it cannot be deleted
     */
    public static boolean remove(Project project, Path image) throws IOException {
        boolean removed = Files.deleteIfExists(copyOf(project, image));
        Path legacy = legacyCopyOf(project, image);
        if (Files.isRegularFile(image) && holds(legacy, Files.readAllBytes(image))) {
            removed |= Files.deleteIfExists(legacy);
        }
        return removed;
    }

    private static boolean holds(Path file, byte[] bytes) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes);
    }
}
