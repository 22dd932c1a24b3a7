package dmdd.batch;

import dmdd.datasets.image.ImageFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The image files named by folders, files and globs on any Hadoop file system, listed on the driver.
 * A folder gives the image files directly inside it, as {@code dmdd infer --images DIR} does (with
 * {@code recursive}, also those of its sub-folders); hidden entries (a leading {@code .} or {@code _},
 * such as {@code _SUCCESS}) never count. A file named explicitly, or matched by a glob, is always an
 * input, whatever its name, so that a file that is not an image becomes an {@code ERROR} row instead of
 * silently disappearing.
 */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param inputs    folders, files or globs (paths or URIs)
     * @param recursive whether folders are listed with their sub-folders
     * @param conf      the Hadoop configuration of the job
     * @return the files' qualified URIs, sorted, each once
     * @throws BatchException naming the input that matches nothing or cannot be listed
     */
    static List<String> list(List<String> inputs, boolean recursive, Configuration conf) {
        List<String> files = new ArrayList<>();
        for (String input : inputs) {
            try {
                Path path = new Path(input);
                FileSystem fs = path.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(path);
                if (matches == null || matches.length == 0) {
                    throw new BatchException("--images " + input + ": no such file or folder");
                }
                // A wildcard skips hidden names as a shell's does (and as a listed folder's); a file named
                // outright is inspected whatever its name.
                boolean wildcard = input.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
                for (FileStatus match : matches) {
                    if (wildcard && match.getPath().getName().startsWith(".")) {
                        continue;
                    }
                    if (match.isDirectory()) {
                        addImages(fs, match.getPath(), recursive, files, new java.util.HashSet<>());
                    } else {
                        files.add(match.getPath().toString());
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new BatchException("--images " + input + ": cannot be listed (" + e.getMessage() + ")", e);
            }
        }
        return files.stream().distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /** A folder's real path on the local file system (links resolved), else its path. */
    private static String realFolder(FileSystem fs, Path dir) {
        if ("file".equals(fs.getUri().getScheme())) {
            try {
                return java.nio.file.Path.of(fs.makeQualified(dir).toUri()).toRealPath().toString();
            } catch (IOException | RuntimeException e) {
                // listed as it is named; a folder that cannot be resolved is listed by listStatus or reported there
            }
        }
        return fs.makeQualified(dir).toString();
    }

    private static void addImages(FileSystem fs, Path dir, boolean recursive, List<String> out,
            java.util.Set<String> visited) throws IOException {
        // A link back up (a local folder linking to its parent) would list the same images again at every depth,
        // and two links to one folder would list it twice: each folder is listed once, by its real path.
        if (!visited.add(realFolder(fs, dir))) {
            return;
        }
        FileStatus[] entries = fs.listStatus(dir);
        Arrays.sort(entries, Comparator.comparing(s -> s.getPath().getName()));
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            // As ImageFiles: hidden names are skipped; of the underscore names only Spark's own working folder
            // (an image called _0001.png is an input like any other).
            if (name.startsWith(".") || name.equals("_temporary")) {
                continue;
            }
            if (entry.isDirectory()) {
                // As ImageFiles: a folder of results this program wrote holds heatmaps, not pictures of parts.
                if (recursive && !fs.exists(new Path(entry.getPath(), ImageFiles.RESULTS_MARKER))) {
                    addImages(fs, entry.getPath(), true, out, visited);
                }
            } else if (ImageFiles.isImageFile(java.nio.file.Path.of(name))) {
                out.add(entry.getPath().toString());
            }
        }
        addBrokenLinks(fs, dir, entries, out);
    }

    /**
     * Hadoop's local listing leaves out a link whose target is gone: such an entry named like an image becomes an
     * input too, so that it is an ERROR row ("does not exist") as with {@code dmdd infer}, not a missing row.
     */
    private static void addBrokenLinks(FileSystem fs, Path dir, FileStatus[] listed, List<String> out) {
        if (!"file".equals(fs.getUri().getScheme())) {
            return;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (FileStatus s : listed) {
            names.add(s.getPath().getName());
        }
        java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(dir).toUri());
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(local)) {
            entries.filter(p -> !names.contains(p.getFileName().toString()) && !p.getFileName().toString().startsWith(".")
                            && java.nio.file.Files.isSymbolicLink(p) && !java.nio.file.Files.exists(p)
                            && ImageFiles.isImageFile(p))
                    .sorted().forEach(p -> out.add(new Path(dir, p.getFileName().toString()).toString()));
        } catch (IOException | RuntimeException e) {
            // the folder was listed above; only the broken links go unreported
        }
    }
}
