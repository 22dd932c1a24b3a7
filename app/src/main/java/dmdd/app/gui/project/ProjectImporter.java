package dmdd.app.gui.project;

import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.UnreadableImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies images into a project: loose files and folders (as normal images or images to inspect)
 * and whole MVTec AD categories (normal training images, test images by defect type, ground truth).
 * Every file is decoded once to check it; a file that cannot be read is reported with the reason and
 * the import goes on with the rest.
 */
public final class ProjectImporter {
    private final Project project;
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
        return Files.isDirectory(folder.resolve("train").resolve("good")) && Files.isDirectory(folder.resolve("test"));
    }

    /**
     * Imports files and folders (searched recursively) with one role. A folder with the MVTec layout
     * is imported as a category whatever the role.
     *
     * @param sources files and folders, e.g. from a chooser or a drop
     * @param role    normal images or images to inspect
     * @return what was imported and what was skipped
     * @throws IOException if the project folder cannot be written
     */
    public ImportSummary importFiles(List<Path> sources, ProjectImage.Role role) throws IOException {
        ImportSummary summary = ImportSummary.empty();
        Path target = role == ProjectImage.Role.NORMAL ? project.normalDir() : project.inspectDir();
        for (Path source : sources) {
            if (Files.isDirectory(source) && isMvtecCategory(source)) {
                summary = summary.plus(importMvtecCategory(source));
            } else if (Files.isDirectory(source)) {
                summary = summary.plus(copyAll(listFiles(source), target));
            } else {
                summary = summary.plus(copyAll(List.of(source), target));
            }
        }
        return summary;
    }

    /**
     * Imports an MVTec AD category: {@code train/good} as normal images, {@code test/<type>} as images
     * to inspect in {@code inspect/<type>}, and {@code ground_truth/<type>} masks.
     *
     * @param category the category folder
     * @return what was imported and what was skipped
     * @throws IOException if the project folder cannot be written
     */
    public ImportSummary importMvtecCategory(Path category) throws IOException {
        if (!isMvtecCategory(category)) {
            return new ImportSummary(List.of(), List.of(new ImportSummary.Skipped(category,
                    "not an MVTec AD category: it needs train/good and test/ folders")));
        }
        ImportSummary summary = copyAll(listFiles(category.resolve("train").resolve("good")), project.normalDir());
        try (Stream<Path> types = Files.list(category.resolve("test"))) {
            for (Path typeDir : types.filter(Files::isDirectory).sorted().toList()) {
                String type = typeDir.getFileName().toString();
                summary = summary.plus(copyAll(listFiles(typeDir), project.inspectDir().resolve(type)));
                Path masks = category.resolve("ground_truth").resolve(type);
                if (Files.isDirectory(masks)) {
                    summary = summary.plus(copyAll(listFiles(masks), project.groundTruthDir().resolve(type)));
                }
            }
        }
        return summary;
    }

    private static List<Path> listFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private ImportSummary copyAll(List<Path> files, Path targetDir) throws IOException {
        List<Path> imported = new ArrayList<>();
        List<ImportSummary.Skipped> skipped = new ArrayList<>();
        Files.createDirectories(targetDir);
        for (Path file : files) {
            String problem = checkReadable(file);
            if (problem != null) {
                skipped.add(new ImportSummary.Skipped(file, problem));
                continue;
            }
            Path target = uniqueTarget(targetDir, file.getFileName().toString());
            Path temp = targetDir.resolve("." + target.getFileName() + ".part");
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            imported.add(target);
        }
        return new ImportSummary(imported, skipped);
    }

    /** Returns null when the file decodes as an image, else the reason it does not. */
    private String checkReadable(Path file) {
        if (!ImageFiles.isImageFile(file)) {
            return "not an image file (supported: " + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted().toList())
                    + ")";
        }
        try {
            reader.read(file);
            return null;
        } catch (UnreadableImageException e) {
            return e.reason();
        }
    }

    private static Path uniqueTarget(Path dir, String name) {
        Path target = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 2; Files.exists(target); i++) {
            target = dir.resolve(stem + "_" + i + ext);
        }
        return target;
    }
}
