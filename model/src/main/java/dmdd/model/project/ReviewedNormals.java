package dmdd.model.project;

import dmdd.datasets.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images a person marked OK in the review join the project's normal set as copies: the image stays where it
 * is (the user keeps it there), a copy goes into {@code normal/} under a name that says where it came from
 * ({@value #PREFIX}{@code <folder>_<name>}, so two images of the same name in different folders never
 * collide), written atomically. Marking the image defective again removes the copy. The next "Improve model"
 * trains on them.
 */
public final class ReviewedNormals {
    /** Prefix of the copies' names in {@code normal/}. */
    public static final String PREFIX = "reviewed_";

    private ReviewedNormals() {
    }

    /**
     * @param project the project
     * @param image   an image of the project (or anywhere)
     * @return where its copy in the normal set lies (whether or not it exists)
     */
    public static Path copyOf(Project project, Path image) {
        Path absolute = image.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "_";
        return project.normalDir().resolve(PREFIX + folder + absolute.getFileName());
    }

    /**
     * Copies an image into the normal set (atomically; an existing copy is kept as it is).
     *
     * @param project the project
     * @param image   the image marked OK
     * @return the copy
     * @throws IOException when the image cannot be read or the copy written
     */
    public static Path add(Project project, Path image) throws IOException {
        Path copy = copyOf(project, image);
        if (!Files.isRegularFile(copy)) {
            Files.createDirectories(copy.getParent());
            AtomicFiles.write(copy, out -> Files.copy(image, out));
        }
        return copy;
    }

    /**
     * Removes an image's copy from the normal set (the image itself is untouched).
     *
     * @param project the project
     * @param image   the image no longer marked OK
     * @return whether a copy was removed
     * @throws IOException when it cannot be deleted
     */
    public static boolean remove(Project project, Path image) throws IOException {
        return Files.deleteIfExists(copyOf(project, image));
    }
}
