package dmdd.model.project;

import dmdd.datasets.image.FolderWalk;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.layout.InvalidLayoutException;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies images into a project: loose files and folders (as normal images or images to inspect),
 * whole MVTec AD categories (normal training images, test images by defect type, ground truth) and several
 * image sets at once, each in its own sub-folders ({@link #importImageSets}).
 * Every file is decoded once by the shared {@link ImageReader} to check it; a file that cannot be
 * read is reported with the reason ({@link ImportReport}) and the import goes on with the rest.
 */
public final class ProjectImporter {
    private final Project project;
    private dmdd.datasets.annotation.AnnotationStore annotations;
    private boolean annotationsRead;
    // Small side: the check decodes (subsampled) to prove the file is readable, nothing more.
    private final ImageReader reader = new ImageReader(64);

    /**
     * An importer into one project.
     *
     * @param project the target project
     */
    public ProjectImporter(Project project) {
        this.project = project;
    }

    /**
     * Whether a folder has the MVTec AD layout ({@code train/good} and {@code test/}).
     *
     * @param folder a folder
     * @return true for an MVTec category folder
     */
    public static boolean isMvtecCategory(Path folder) {
        return Files.isDirectory(folder.resolve("train").resolve(MvtecCategory.GOOD))
                && Files.isDirectory(folder.resolve("test"));
    }

    /**
     * Imports files and folders (searched recursively) with one role. A folder with the MVTec layout
     * is imported as a category whatever the role.
     *
     * @param sources files and folders, e.g. from a chooser or a drop
     * @param role    normal images or images to inspect
     * @return the files now in the project and the skipped ones with the reason
     * @throws IOException if the project folder cannot be written
     */
    public ImportReport<Path> importFiles(List<Path> sources, ProjectImage.Role role) throws IOException {
        annotationsRead = false; // annotations may have changed since the last import
        ImportReport<Path> report = new ImportReport<>(List.of(), List.of());
        Path target = role == ProjectImage.Role.NORMAL ? project.normalDir() : project.inspectDir();
        Path projectRoot = realOrAbsolute(project.folder());
        for (Path source : sources) {
            Path real = realOrAbsolute(source);
            if (real.startsWith(projectRoot) || projectRoot.startsWith(real)) {
                // the project's own images copied into it again: its images to inspect, defects among them, would
                // become normal training images, or every image a second copy of itself
                report = join(report, new ImportReport<>(List.of(), List.of(new ImportReport.Skipped(source,
                        (real.equals(projectRoot) ? "is" : real.startsWith(projectRoot) ? "is inside" : "holds")
                                + " the project " + project.folder()
                                + ": its images are already in it"))));
                continue;
            }
            List<String> categories = Files.isDirectory(source) && !isMvtecCategory(source)
                    ? setFolders(source).stream().filter(ProjectImporter::isMvtecCategory)
                            .map(p -> p.getFileName().toString()).toList() : List.of();
            if (Files.isDirectory(source) && isMvtecCategory(source)) {
                report = join(report, importMvtecCategory(source));
            } else if (!categories.isEmpty()) {
                // A dataset root: copied as a folder, its defective test images and masks would become images of
                // this role without labels (as normal images: defects to learn as normal).
                report = join(report, new ImportReport<>(List.of(), List.of(new ImportReport.Skipped(source,
                        "holds MVTec AD categories (" + String.join(", ", categories.subList(0,
                                Math.min(5, categories.size()))) + (categories.size() > 5 ? ", ..." : "")
                                + "): import one category folder, or all of them with Import image sets"))));
            } else if (Files.isDirectory(source)) {
                report = join(report, copyFolder(source, target));
            } else {
                report = join(report, copyAll(List.of(source), target, null));
            }
        }
        return report;
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * Imports an MVTec AD category: {@code train/good} as normal images, {@code test/<type>} as images
     * to inspect in {@code inspect/<type>}, and their masks into {@code ground_truth/<type>}.
     *
     * @param categoryFolder the category folder
     * @return what was imported and what was skipped
     * @throws IOException if the project folder cannot be written
     */
    public ImportReport<Path> importMvtecCategory(Path categoryFolder) throws IOException {
        annotationsRead = false; // annotations may have changed since the last import
        return importMvtecCategory(categoryFolder, "");
    }

    /**
     * Imports several image sets into one project (one model for several part types, e.g. for DCAM), each in a
     * sub-folder of its own named after its folder: an MVTec AD category's normal images go to
     * {@code normal/<set>/}, its test images to {@code inspect/<set>-<type>/} and its masks to
     * {@code ground_truth/<set>-<type>/}; any other folder is a set of normal images ({@code normal/<set>/}).
     * Importing a set again adds to it.
     *
     * @param setFolders one folder per image set
     * @return what was imported and what was skipped
     * @throws IOException if the project folder cannot be written
     */
    public ImportReport<Path> importImageSets(List<Path> setFolders) throws IOException {
        annotationsRead = false; // annotations may have changed since the last import
        ImportReport<Path> report = new ImportReport<>(List.of(), List.of());
        for (Path folder : setFolders) {
            if (!Files.isDirectory(folder)) {
                report = join(report, new ImportReport<>(List.of(),
                        List.of(new ImportReport.Skipped(folder, "an image set is a folder"))));
                continue;
            }
            String set = setName(folder);
            if (isMvtecCategory(folder)) {
                report = join(report, importMvtecCategory(folder, set));
            } else {
                report = join(report, copyFolder(folder, project.normalDir().resolve(set)));
            }
        }
        return report;
    }

    /** The folder of resource forks that archives made on a Mac carry ({@code __MACOSX/}): never images of a part. */
    public static final String MAC_ARCHIVE_FOLDER = "__MACOSX";

    /**
     * The sub-folders of a folder that are image sets: every sub-folder, except hidden ones, sorted by name (an
     * MVTec AD root gives its categories, a folder of part types gives one set per part type).
     *
     * @param parent a folder
     * @return its sub-folders
     * @throws IOException if it cannot be listed
     */
    public static List<Path> setFolders(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory)
                    .filter(dir -> !dir.getFileName().toString().startsWith("."))
                    .filter(dir -> !dir.getFileName().toString().equals(MAC_ARCHIVE_FOLDER))
                    .sorted()
                    .toList();
        }
    }

    /** The set's name: its folder's name. */
    private static String setName(Path folder) {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return name == null ? "set" : name.toString();
    }

    /**
     * Imports an MVTec AD category, into the sub-folders of one image set when {@code set} is not empty.
     *
     * @param categoryFolder the category folder
     * @param set            the image set's name, or "" for a project of one part type
     */
    private ImportReport<Path> importMvtecCategory(Path categoryFolder, String set) throws IOException {
        MvtecCategory category;
        try {
            category = MvtecCategory.open(categoryFolder);
        } catch (InvalidLayoutException e) {
            return new ImportReport<>(List.of(), List.of(new ImportReport.Skipped(categoryFolder, e.getMessage())));
        }
        Path normalTarget = set.isEmpty() ? project.normalDir() : project.normalDir().resolve(set);
        ImportReport<Path> report = copyAll(category.trainGood(), normalTarget, null);
        List<ImportReport.Skipped> linked = new ArrayList<>();
        for (FolderWalk.NotFollowed link : category.testLinksNotFollowed()) {
            linked.add(new ImportReport.Skipped(link.link(), link.reason() + ": not followed"));
        }
        report = join(report, new ImportReport<>(List.of(), linked));
        for (MvtecCategory.TestSample sample : category.test()) {
            // The set's name leads the group, so that "good" and "scratch" of two part types stay apart.
            String group = set.isEmpty() ? sample.defectType() : set + "-" + sample.defectType();
            Path typeDir = project.inspectDir().resolve(group);
            Path maskDir = project.groundTruthDir().resolve(group);
            ImportReport<Path> copied = copyAll(List.of(sample.image()), typeDir, maskDir);
            report = join(report, copied);
            if (!copied.loaded().isEmpty() && sample.maskOrNull() != null) {
                // The mask keeps the name that matches the copied image, so the pair stays a pair; the image's
                // name was chosen so that no mask has it yet (a painted one is never replaced).
                Path image = copied.loaded().get(0);
                Path mask = maskDir.resolve(Project.stem(image) + "_mask.png");
                report = join(report, ImportReport.loadAll(List.of(sample.maskOrNull()), file -> copyNew(file, mask)));
            }
        }
        return report;
    }

    /**
     * Copies the files under a folder, through symbolic links (a share linked into the home folder is imported, not
     * skipped without a word), each real folder once ({@link FolderWalk}); a link back into the folder, or to a folder
     * that holds it or is imported anyway, is named and not followed, and the rest imports.
     */
    private ImportReport<Path> copyFolder(Path folder, Path targetDir) throws IOException {
        // Results this program wrote (infer, export) are heatmaps, not pictures of parts; hidden folders are walked
        FolderWalk walk = FolderWalk.of(folder, ImageFiles::isResultsFolder);
        List<ImportReport.Skipped> skipped = new ArrayList<>();
        for (FolderWalk.NotFollowed link : walk.notFollowed()) {
            skipped.add(new ImportReport.Skipped(link.link(), link.reason() + ": not followed"));
        }
        for (FolderWalk.Unreadable bad : walk.unreadable()) {
            // one folder that cannot be read is named with its reason; the rest imports
            skipped.add(new ImportReport.Skipped(bad.folder(), "cannot be read (" + bad.error().getMessage() + ")"));
        }
        // a broken link is listed too: copying it reports it by name instead of dropping it
        List<Path> files = walk.files().stream()
                .filter(f -> (Files.isRegularFile(f) || Files.isSymbolicLink(f))
                        && !f.getFileName().toString().startsWith("."))
                .toList();
        return join(copyAll(files, targetDir, null), new ImportReport<>(List.of(), skipped));
    }

    /**
     * Copies the image files among {@code files} into {@code targetDir}, each under a name whose stem no file there
     * has yet (with any extension) and, with {@code maskDir}, no mask there has either.
     */
    private ImportReport<Path> copyAll(List<Path> files, Path targetDir, Path maskDir) throws IOException {
        Files.createDirectories(targetDir);
        List<ImportReport.Skipped> notImages = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (Path file : files) {
            if (ImageFiles.isImageFile(file)) {
                images.add(file);
            } else {
                notImages.add(new ImportReport.Skipped(file, ImageFiles.notAnImage()));
            }
        }
        java.util.function.Predicate<String> annotated = annotatedStems(targetDir);
        return ImportReport.loadAll(images, file -> {
            reader.read(file);
            return copy(file, uniqueTarget(targetDir, file.getFileName().toString(), maskDir, annotated));
        }).withSkipped(notImages);
    }

    private static Path copy(Path file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Both reports joined.
     *
     * @param a first report
     * @param b second report
     * @return the union
     */
    static ImportReport<Path> join(ImportReport<Path> a, ImportReport<Path> b) {
        List<Path> loaded = new ArrayList<>(a.loaded());
        loaded.addAll(b.loaded());
        return new ImportReport<>(loaded, a.skipped()).withSkipped(b.skipped());
    }

    /**
     * A name for an imported image: its own, or its stem with {@code _2}, {@code _3}, ... when another image in the
     * folder has that stem (masks and annotations go by the stem: {@code a.png} and {@code a.jpg} would share one)
     * or, with {@code maskDir}, a mask with that stem exists (a painted mask is never replaced by an imported one).
     */
    private static Path uniqueTarget(Path dir, String name, Path maskDir,
            java.util.function.Predicate<String> annotated) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = stem;
        for (int i = 2; stemTaken(dir, candidate) || annotated.test(candidate)
                || maskDir != null && Files.exists(maskDir.resolve(candidate + "_mask.png")); i++) {
            candidate = stem + "_" + i;
        }
        return dir.resolve(candidate + ext);
    }

    /**
     * The stems in {@code dir} that the project's annotations still mention (an image deleted outside the program
     * leaves its label and mask): a new image under such a name would show the old image's defect as its own.
     */
    private java.util.function.Predicate<String> annotatedStems(Path dir) {
        if (!dir.toAbsolutePath().normalize().startsWith(project.inspectDir().toAbsolutePath().normalize())) {
            return stem -> false; // only inspected images carry annotations
        }
        dmdd.datasets.annotation.AnnotationStore store = annotations();
        return store == null ? stem -> false : stem -> store.mentions(dir, stem);
    }

    /**
     * The project's annotations, read once per import (an MVTec category copies its test images one by one, and an
     * import adds images, never annotations; each public import reads them anew), or {@code null} when the labels
     * file cannot be read: it is refused where it is used, and the import goes on without the check.
     */
    private dmdd.datasets.annotation.AnnotationStore annotations() {
        if (!annotationsRead) {
            annotationsRead = true;
            try {
                annotations = dmdd.datasets.annotation.AnnotationStore.forProject(project.folder());
            } catch (IOException e) {
                annotations = null;
            }
        }
        return annotations;
    }

    private static boolean stemTaken(Path dir, String stem) {
        for (String extension : ImageFiles.EXTENSIONS) {
            if (Files.exists(dir.resolve(stem + "." + extension))
                    || Files.exists(dir.resolve(stem + "." + extension.toUpperCase(java.util.Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    /** Copies a file to a name nothing has yet; an existing file there is never replaced. */
    private static Path copyNew(Path file, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + " exists already; not replacing it");
        }
        return copy(file, target);
    }
}
