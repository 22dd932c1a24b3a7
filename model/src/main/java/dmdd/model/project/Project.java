package dmdd.model.project;

import dmdd.datasets.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An open project: a folder holding {@code project.json}, the normal images ({@code normal/}), the
 * images to inspect ({@code inspect/}, optionally one sub-folder per defect type), their masks
 * ({@code ground_truth/<type>/<name>_mask.png}), the trained model ({@code model/}) and the
 * inspection results ({@code results/}). Not a JavaFX type; the GUI and tests share it.
 *
 * @param folder   project folder
 * @param settings contents of {@code project.json}
 */
public record Project(Path folder, ProjectSettings settings) {

    /** @return the folder of normal (training) images */
    public Path normalDir() {
        return folder.resolve("normal");
    }

    /** @return the folder of images to inspect */
    public Path inspectDir() {
        return folder.resolve("inspect");
    }

    /** @return the folder of ground-truth masks */
    public Path groundTruthDir() {
        return folder.resolve("ground_truth");
    }

    /** @return the folder of the trained model */
    public Path modelDir() {
        return folder.resolve("model");
    }

    /** @return the folder of inspection results */
    public Path resultsDir() {
        return folder.resolve("results");
    }

    /** @return the {@code project.json} file */
    public Path settingsFile() {
        return folder.resolve(ProjectStore.SETTINGS_FILE);
    }

    /**
     * Copy with other settings (not saved).
     *
     * @param newSettings the settings
     * @return the copy
     */
    public Project with(ProjectSettings newSettings) {
        return new Project(folder, newSettings);
    }

    /**
     * Lists the normal images, sorted by name.
     *
     * @return the images
     * @throws IOException if the folder cannot be listed
     */
    public List<ProjectImage> normalImages() throws IOException {
        List<ProjectImage> images = new ArrayList<>();
        for (Path file : listImages(normalDir(), 1)) {
            images.add(new ProjectImage(file, ProjectImage.Role.NORMAL, "", null));
        }
        return images;
    }

    /**
     * Lists the images to inspect, sorted by defect type and name, each with its mask when there is one.
     *
     * @return the images
     * @throws IOException if the folder cannot be listed
     */
    public List<ProjectImage> inspectImages() throws IOException {
        List<ProjectImage> images = new ArrayList<>();
        for (Path file : listImages(inspectDir(), 2)) {
            Path parent = file.getParent();
            String group = parent.equals(inspectDir()) ? "" : parent.getFileName().toString();
            Path mask = null;
            if (!group.isEmpty()) {
                Path candidate = groundTruthDir().resolve(group).resolve(stem(file) + "_mask.png");
                if (Files.isRegularFile(candidate)) {
                    mask = candidate;
                }
            }
            images.add(new ProjectImage(file, ProjectImage.Role.INSPECT, group, mask));
        }
        return images;
    }

    /**
     * File name without extension.
     *
     * @param file a file
     * @return its name up to the last dot
     */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static List<Path> listImages(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(Files::isRegularFile)
                    .filter(ImageFiles::isImageFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }
}
