package dmdd.datasets.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One walk below a folder through links to folders, in which every real folder is read once, under one name.
 *
 * <p>Datasets are often assembled from links ({@code test/hole -> /shared/hole}), so links are followed; but a link
 * to a folder that is read anyway ({@code test/crack2 -> crack}, two links to one folder elsewhere, a link into a
 * folder another link already reached) would count its images twice, and a link back into a folder above would list
 * them again at every depth, or a whole category or disk. The walk therefore reads the real folders below the root
 * first, then the links in the order of their paths (a link met inside a linked folder joins that order), and names
 * each link or folder it does not enter. The result does not depend on the order in which the file system lists a
 * folder.
 */
public final class FolderWalk {
    private final List<Path> files;
    private final List<NotFollowed> notFollowed;
    private final List<Unreadable> unreadable;

    private FolderWalk(List<Path> files, List<NotFollowed> notFollowed, List<Unreadable> unreadable) {
        this.files = files;
        this.notFollowed = notFollowed;
        this.unreadable = unreadable;
    }

    /**
     * A link to a folder, or a folder inside a linked one, that a walk does not enter.
     *
     * @param link   the link (or folder)
     * @param reason why, in words that follow "not followed: "
     */
    public record NotFollowed(Path link, String reason) {
        /** Why a link back into a folder above it is not followed. */
        public static final String LINK_BACK = "a link back into a folder above it";

        /**
         * @param link   the link
         * @param readAs the name, inside the walked folder, under which its folder is read
         * @return a link to a folder that is read under another name
         */
        public static NotFollowed readAs(Path link, String readAs) {
            return new NotFollowed(link, "a link to a folder read as " + readAs);
        }
    }

    /**
     * A folder the walk could not list.
     *
     * @param folder the folder
     * @param error  why
     */
    public record Unreadable(Path folder, IOException error) {
    }

    /**
     * Walks below a folder.
     *
     * @param dir           the folder
     * @param skippedFolder folders not to enter at all (hidden ones, results this program wrote: each caller's rule)
     * @return what the walk found
     * @throws IOException when the folder itself cannot be resolved
     */
    public static FolderWalk of(Path dir, Predicate<Path> skippedFolder) throws IOException {
        Walker walker = new Walker(dir, dir.toRealPath(), skippedFolder);
        walker.walked.put(walker.realRoot, dir);
        walker.read(dir);
        while (!walker.links.isEmpty()) {
            walker.visit(walker.links.pollFirst());
        }
        walker.files.sort(null);
        walker.notFollowed.sort(Comparator.comparing(NotFollowed::link));
        return new FolderWalk(walker.files, walker.notFollowed, walker.unreadable);
    }

    /** @return every entry that is not a folder (files, links to files, broken links), sorted by path */
    public List<Path> files() {
        return files;
    }

    /** @return the links and folders not entered, with why, sorted by path */
    public List<NotFollowed> notFollowed() {
        return notFollowed;
    }

    /** @return the folders that could not be listed */
    public List<Unreadable> unreadable() {
        return unreadable;
    }

    private static final class Walker {
        final Path root;
        final Path realRoot;
        final Predicate<Path> skippedFolder;
        /** Every real folder read, with the path it was read under. */
        final Map<Path, Path> walked = new HashMap<>();
        /** Links to folders met and not yet followed, in path order. */
        final TreeSet<Path> links = new TreeSet<>();
        final List<Path> files = new ArrayList<>();
        final List<NotFollowed> notFollowed = new ArrayList<>();
        final List<Unreadable> unreadable = new ArrayList<>();

        Walker(Path root, Path realRoot, Predicate<Path> skippedFolder) {
            this.root = root;
            this.realRoot = realRoot;
            this.skippedFolder = skippedFolder;
        }

        /** Reads a folder's entries: files kept, real sub-folders read at once, links to folders kept for later. */
        void read(Path folder) {
            List<Path> entries;
            try (Stream<Path> s = Files.list(folder)) {
                entries = s.sorted().toList();
            } catch (IOException e) {
                unreadable.add(new Unreadable(folder, e));
                return;
            }
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry) && Files.isDirectory(entry)) {
                    links.add(entry);
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    visit(entry);
                } else {
                    files.add(entry);
                }
            }
        }

        /**
         * A folder met by its own name or through a link: read unless skipped, unless it holds the root (a link back
         * up), or unless another name reached its real folder first.
         */
        void visit(Path folder) {
            if (skippedFolder.test(folder)) {
                return;
            }
            Path real;
            try {
                real = folder.toRealPath();
            } catch (IOException e) {
                unreadable.add(new Unreadable(folder, e));
                return;
            }
            if (realRoot.startsWith(real)) {
                notFollowed.add(new NotFollowed(folder, NotFollowed.LINK_BACK));
                return;
            }
            Path first = walked.putIfAbsent(real, folder);
            if (first != null) {
                notFollowed.add(NotFollowed.readAs(folder, name(first)));
                return;
            }
            read(folder);
        }

        private String name(Path path) {
            return ImageFiles.nameIn(root, path);
        }
    }
}
