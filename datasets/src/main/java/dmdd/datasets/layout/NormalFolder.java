package dmdd.datasets.layout;

import dmdd.datasets.image.FolderWalk;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain folder of normal (defect-free) images, the simplest way to give training data.
 *
 * <p>By default the folder is scanned recursively: people sort photos into sub-folders by day or
 * batch, and all of them are normal images. Hidden files and folders (a leading dot) are
 * ignored. Files are listed sorted by path, so every run sees the same order. Other regular files
 * (a {@code .txt}, a {@code .webp}) are reported as skipped, not silently dropped.
 */
public final class NormalFolder {
    private final Path dir;
    private final boolean recursive;

    private NormalFolder(Path dir, boolean recursive) {
        this.dir = dir;
        this.recursive = recursive;
    }

    /**
     * Opens a folder, including its sub-folders.
     *
     * @param dir the folder
     * @return the folder
     * @throws InvalidLayoutException when it does not exist, is not a folder or is an MVTec category
     */
    public static NormalFolder open(Path dir) throws InvalidLayoutException {
        return open(dir, true);
    }

    /**
     * Opens a folder.
     *
     * @param dir       the folder
     * @param recursive whether images in sub-folders count too
     * @return the folder
     * @throws InvalidLayoutException when it does not exist, is not a folder, or (recursive) is an
     *                                MVTec category, whose test images are not all normal
     */
    public static NormalFolder open(Path dir, boolean recursive) throws InvalidLayoutException {
        if (!Files.exists(dir)) {
            throw new InvalidLayoutException(dir, "Image folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidLayoutException(dir, dir + " is a file; expected a folder of normal images");
        }
        if (recursive && Files.isDirectory(dir.resolve("train").resolve(MvtecCategory.GOOD))
                && Files.isDirectory(dir.resolve("test"))) {
            // Scanning it as one folder would mix the defective test images into the normal ones.
            throw new InvalidLayoutException(dir, dir + " is an MVTec AD category, not a folder of normal images: "
                    + "open it as an MVTec category, or choose " + dir.resolve("train").resolve(MvtecCategory.GOOD));
        }
        return new NormalFolder(dir, recursive);
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return whether sub-folders are included */
    public boolean recursive() {
        return recursive;
    }

    /**
     * @return the image files (by extension), sorted by path
     * @throws IOException when the folder cannot be listed
     */
    public List<Path> files() throws IOException {
        return recursive ? ImageFiles.listRecursively(dir) : ImageFiles.list(dir);
    }

    /**
     * Reads every image; unreadable files and files that are not images are reported, not fatal.
     *
     * @param reader the reader (it sets the image size)
     * @return the images read and the files skipped with their reasons
     * @throws IOException when the folder itself cannot be listed
     */
    public ImportReport<LoadedImage> load(ImageLoader reader) throws IOException {
        // one walk of the tree says what is read and what is left out
        ImageFiles.Listing listing = recursive ? ImageFiles.listing(dir)
                : new ImageFiles.Listing(ImageFiles.list(dir), ImageFiles.otherFiles(dir, false), List.of());
        List<ImportReport.Skipped> skipped = new ArrayList<>();
        for (Path p : listing.others()) {
            skipped.add(new ImportReport.Skipped(p, ImageFiles.notAnImage()));
        }
        for (FolderWalk.NotFollowed link : listing.linksNotFollowed()) {
            skipped.add(new ImportReport.Skipped(link.link(), link.reason() + ": not followed"));
        }
        return ImportReport.loadAll(listing.images(), f -> new LoadedImage(f, reader.read(f))).withSkipped(skipped);
    }

    @Override
    public String toString() {
        return "NormalFolder[" + dir + (recursive ? ", recursive" : "") + "]";
    }
}
