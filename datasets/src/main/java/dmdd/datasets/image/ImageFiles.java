package dmdd.datasets.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /**
     * The file by which a folder is marked as results this program wrote ({@code infer}, {@code export}): never
     * read as input images, so that heatmaps are never trained on or inspected as pictures of parts.
     */
    public static final String RESULTS_MARKER = ".dmdd-results";

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
            return s.filter(p -> isImageEntry(p)).sorted().collect(Collectors.toList());
        }
    }

    /**
     * An entry named like an image that is not a folder: a broken or looping link counts too, so that reading it
     * reports it by name instead of it vanishing from the list.
     */
    private static boolean isImageEntry(Path p) {
        return isImageFile(p) && !Files.isDirectory(p);
    }

    /**
     * The image files in a folder and all its sub-folders, sorted by path. Links to folders are followed and their
     * files listed under the link's name (a defect folder linked into a dataset is read, not dropped without a word);
     * a link back into a folder above it, or to a folder read anyway, is not followed ({@link #listing} names it);
     * hidden folders and folders of results this program wrote ({@link #RESULTS_MARKER}) are skipped.
     *
     * @param dir the folder
     * @return entries with an image extension that are not folders (a broken link named like an image too, so that
     *         reading it reports it by name)
     * @throws IOException when a folder cannot be listed
     */
    public static List<Path> listRecursively(Path dir) throws IOException {
        return listing(dir).images();
    }

    /**
     * What one walk below a folder finds, for a command that reports what it leaves out beside what it reads.
     *
     * @param images           as {@link #listRecursively}
     * @param others           as {@link #otherFiles} of its sub-folders too
     * @param linksNotFollowed the links (and folders inside linked ones) it does not enter, with why, so that a
     *                         command can name them ({@link FolderWalk})
     */
    public record Listing(List<Path> images, List<Path> others, List<FolderWalk.NotFollowed> linksNotFollowed) {
    }

    /**
     * The files an image listing leaves out that a person may have meant as images: regular files without an image
     * extension (a picture saved without one, a {@code .webp}), not hidden and not the thumbnail caches Windows
     * writes into picture folders, so that they can be named instead of vanishing.
     *
     * @param dir       the folder
     * @param recursive whether its sub-folders count (as {@link #listRecursively}: through links, not hidden ones,
     *                  nor results)
     * @return those files, sorted by path
     * @throws IOException when a folder cannot be listed
     */
    public static List<Path> otherFiles(Path dir, boolean recursive) throws IOException {
        if (recursive) {
            return listing(dir).others();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && !isImageFile(p) && !isSystemFile(p))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** Whether {@link #listing} leaves a folder out: hidden, or results this program wrote. */
    private static boolean isSkippedFolder(Path folder) {
        return folder.getFileName().toString().startsWith(".") || isResultsFolder(folder);
    }

    /**
     * Walks a folder tree through links to folders, each real folder once ({@link FolderWalk}), and sorts what it
     * finds by path.
     *
     * @param dir the folder
     * @return its image files, other files and the links not followed
     * @throws IOException when a folder cannot be listed
     */
    public static Listing listing(Path dir) throws IOException {
        FolderWalk walk = FolderWalk.of(dir, ImageFiles::isSkippedFolder);
        if (!walk.unreadable().isEmpty()) {
            throw walk.unreadable().get(0).error();
        }
        List<Path> images = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        for (Path file : walk.files()) {
            // a broken link is listed when named like an image, so that reading it reports it by name
            if (isImageFile(file)) {
                images.add(file);
            } else if (Files.isRegularFile(file) && !isSystemFile(file)) {
                others.add(file);
            }
        }
        return new Listing(images, others, walk.notFollowed());
    }

    /**
     * The name of a file below a folder as results show it (a row of {@code results.csv}, a report): its path inside
     * the folder, with {@code /} between folders. A name the system's character set cannot spell (a Latin-1
     * {@code café.png} on a UTF-8 system) has lost bytes in its text form, so that two such files showed the same
     * name; such a part of the path is shown as a URI spells it instead, its bytes outside ASCII (and spaces)
     * percent-escaped ({@code caf%E9.png}).
     *
     * @param root the folder, or {@code null} for a file named relative to the working folder
     * @param file a file below it
     * @return the name
     */
    public static String nameIn(Path root, Path file) {
        Path relative = root == null ? file : root.relativize(file);
        String name = relative.toString().replace('\\', '/');
        if (name.indexOf('\uFFFD') < 0) {
            return name;
        }
        // The path keeps the name's bytes, and the last segments of its URI spell them; only the parts that lost
        // bytes take that spelling, so a folder's name stays the same for every file in it.
        String[] segments = file.toUri().getRawPath().split("/");
        StringBuilder out = new StringBuilder();
        int parts = relative.getNameCount();
        for (int i = 0; i < parts; i++) {
            String part = relative.getName(i).toString();
            int segment = segments.length - parts + i;
            boolean lostBytes = part.indexOf('\uFFFD') >= 0 && segment >= 0;
            out.append(i > 0 ? "/" : "").append(lostBytes ? segments[segment] : part);
        }
        return out.toString();
    }

    /** @return why a file of {@link #otherFiles} is not read, with the extensions that are */
    public static String notAnImage() {
        return "not an image file (supported: " + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")";
    }

    /** Hidden files and the folder caches of Windows, which nobody takes for a picture. */
    private static boolean isSystemFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") || name.equalsIgnoreCase("Thumbs.db") || name.equalsIgnoreCase("desktop.ini")
                || name.equalsIgnoreCase("ehthumbs.db");
    }

    /**
     * @param folder a folder of results
     * @return whether it holds nothing but its {@link #RESULTS_MARKER} (a run that failed or stopped before it wrote)
     * @throws IOException when the folder cannot be listed
     */
    public static boolean holdsOnlyResultsMarker(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(RESULTS_MARKER));
        }
    }

    /**
     * @param folder a folder
     * @return whether it holds results this program wrote ({@link #RESULTS_MARKER}), not input images
     */
    public static boolean isResultsFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RESULTS_MARKER));
    }
}
