package dmdd.model.project;

import dmdd.datasets.image.ImageFiles;
import dmdd.model.dmdd.Method;
import dmdd.model.infer.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An open project: a folder holding {@code project.json}, the normal images ({@code normal/}, optionally one
 * sub-folder per image set when the project holds several part types), the images to inspect
 * ({@code inspect/}, optionally one sub-folder per defect type, {@code <set>-<type>} for several sets), their
 * masks ({@code ground_truth/<type>/<name>_mask.png}), one trained model per method ({@code model/} for DMDD,
 * {@code models/<method>/} for the others, see {@link #modelDir(Method)}) and the inspection results
 * ({@code results/}). Not a JavaFX type; the GUI and tests share it.
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

    /**
     * The one place that says where a method's model lives in a project folder. DMDD keeps {@code model/}, so
     * projects made before there were several methods stay valid; every other method has
     * {@code models/<cli name>/}, so a project can hold one trained model per method and compare them.
     *
     * @param projectFolder a project folder
     * @param method        the method
     * @return the folder of that method's model (it may not exist yet)
     */
    public static Path modelDir(Path projectFolder, Method method) {
        return method == Method.DMDD ? projectFolder.resolve("model")
                : projectFolder.resolve("models").resolve(method.cliName());
    }

    /**
     * The method whose model a folder holds when it is a project's model folder ({@link #modelDir(Path, Method)}):
     * a project shows and measures each slot as its method's, so no other method's model may go there.
     *
     * @param folder any folder (it may not exist yet)
     * @return the slot's method, or empty when the folder is no project's model folder
     */
    public static java.util.Optional<Method> slotMethod(Path folder) {
        return slotOf(folder).map(java.util.Map.Entry::getValue);
    }

    /**
     * Refuses a model of one method for a project's model folder of another.
     *
     * @param folder the model folder about to be written
     * @param method the method of the model it would hold
     * @throws IllegalArgumentException naming the slot's method and where the model belongs
     */
    public static void requireSlotFor(Path folder, Method method) {
        slotOf(folder).filter(slot -> slot.getValue() != method).ifPresent(slot -> {
            throw new IllegalArgumentException(folder + " is the project's " + slot.getValue().displayName()
                    + " model folder; a " + method.displayName() + " model belongs in "
                    + modelDir(slot.getKey(), method));
        });
    }

    /**
     * The project and the method of a project's model folder: as named (a slot that is itself a link to a model
     * elsewhere), or as the system resolves it (a link to a slot, a slot below a linked folder, also when the folder
     * does not exist yet).
     */
    private static java.util.Optional<java.util.Map.Entry<Path, Method>> slotOf(Path folder) {
        Path named = folder.toAbsolutePath().normalize();
        for (Path candidate : java.util.List.of(named, dmdd.model.paths.ResolvedPath.of(named))) {
            for (Method method : Method.values()) {
                Path project = method == Method.DMDD ? candidate.getParent()
                        : candidate.getParent() == null ? null : candidate.getParent().getParent();
                if (project != null && ProjectStore.isProject(project) && modelDir(project, method).equals(candidate)) {
                    return java.util.Optional.of(java.util.Map.entry(project, method));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * @param method the method
     * @return the folder of that method's model in this project ({@link #modelDir(Path, Method)})
     */
    public Path modelDir(Method method) {
        return modelDir(folder, method);
    }

    /** @return the method chosen in the project's training settings (DMDD when the settings name none) */
    public Method method() {
        return settings == null || settings.training() == null ? Method.DMDD : settings.training().method();
    }

    /**
     * @return the model folder of the chosen method ({@link #method()}): the one training writes and inspection
     *         reads
     */
    public Path chosenModelDir() {
        return modelDir(method());
    }

    /**
     * The methods that have a trained model in a project folder.
     *
     * @param projectFolder a project folder
     * @return those methods, in {@link Method} order
     */
    public static List<Method> trainedMethods(Path projectFolder) {
        List<Method> trained = new ArrayList<>();
        for (Method method : Method.values()) {
            if (Files.isRegularFile(modelDir(projectFolder, method).resolve(ModelFolder.DESCRIPTION))) {
                trained.add(method);
            }
        }
        return trained;
    }

    /** @return the methods with a trained model in this project ({@link #trainedMethods(Path)}) */
    public List<Method> trainedMethods() {
        return trainedMethods(folder);
    }

    /** @return the folder of inspection results */
    public Path resultsDir() {
        return folder.resolve("results");
    }

    /**
     * Where results that belong to one method's model are kept (saved scores, cached normal scores): DMDD's in
     * {@code results/} as before, the others' in {@code results/<cli name>/}, so that switching methods never
     * shows one model's scores as another's.
     *
     * @param method the method
     * @return the folder (it may not exist yet)
     */
    public Path resultsDir(Method method) {
        return method == Method.DMDD ? resultsDir() : resultsDir().resolve(method.cliName());
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
     * Lists the normal images, sorted by path: those directly in {@code normal/} (group "") and those of each
     * image set in {@code normal/<set>/} (group = the set's name).
     *
     * @return the images
     * @throws IOException if the folder cannot be listed
     */
    public List<ProjectImage> normalImages() throws IOException {
        List<ProjectImage> images = new ArrayList<>();
        for (Path file : listImages(normalDir(), 2)) {
            Path parent = file.getParent();
            String set = parent.equals(normalDir()) ? "" : parent.getFileName().toString();
            images.add(new ProjectImage(file, ProjectImage.Role.NORMAL, set, null));
        }
        return images;
    }

    /**
     * The normal images by set (part type), as training and improvement hold them out: each set in its share.
     *
     * @return the files of each set by its name ("" for those directly in {@code normal/}), sets sorted by name
     * @throws IOException if the folder cannot be listed
     */
    public java.util.SortedMap<String, List<Path>> normalFilesBySet() throws IOException {
        java.util.SortedMap<String, List<Path>> bySet = new java.util.TreeMap<>();
        for (ProjectImage image : normalImages()) {
            bySet.computeIfAbsent(image.group(), k -> new ArrayList<>()).add(image.file());
        }
        return bySet;
    }

    /**
     * @return the names of the image sets ({@code normal/<set>/} folders holding images), sorted; empty for a
     *         project of one part type
     * @throws IOException if the folder cannot be listed
     */
    public List<String> imageSets() throws IOException {
        return normalImages().stream().map(ProjectImage::group).filter(set -> !set.isEmpty()).distinct().sorted()
                .toList();
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
