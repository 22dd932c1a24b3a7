package dmdd.datasets.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which files count as images, by their name. Content is checked later, when
 * {@link ImageReader} decodes them; a misnamed file then becomes a skipped file with a reason.
 */
public final class ImageFiles {
    /** Lower-case extensions (without the dot) of the formats {@link ImageReader} decodes. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif");

    private ImageFiles() {
    }

    /**
     * Whether a file name has an image extension. Hidden files (a leading dot, such as macOS
     * {@code ._x.png} resource forks and this project's temporary files) never count.
     *
     * @param file a path; only its name is looked at
     * @return whether it names an image file
     */
    public static boolean isImageFile(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        if (s.startsWith(".") || dot < 1) {
            return false;
        }
        return EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The image files directly inside a folder (not in its sub-folders), sorted by name so that
     * every run sees them in the same order.
     *
     * @param dir the folder
     * @return regular files with an image extension
     * @throws IOException when the folder cannot be listed
     */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && isImageFile(p)).sorted().collect(Collectors.toList());
        }
    }

    /**
     * The image files in a folder and all its sub-folders (hidden folders skipped), sorted by
     * path.
     *
     * @param dir the folder
     * @return regular files with an image extension
     * @throws IOException when a folder cannot be listed
     */
    public static List<Path> listRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && isImageFile(p) && !inHiddenFolder(dir, p))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static boolean inHiddenFolder(Path root, Path file) {
        Path rel = root.relativize(file).getParent();
        if (rel == null) {
            return false;
        }
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
