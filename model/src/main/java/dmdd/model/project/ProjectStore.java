package dmdd.model.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.dmdd.DmddSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates, opens and saves project folders. Every save of {@code project.json} is atomic: a crash
 * leaves either the old or the new file, never half of one.
 */
public final class ProjectStore {
    /** Name of the settings file inside a project folder. */
    public static final String SETTINGS_FILE = "project.json";

    /** A key written twice in a hand-edited file is refused by name, not settled by the last one. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private ProjectStore() {
    }

    /**
     * Whether a folder is a project (has a {@code project.json}).
     *
     * @param folder a folder
     * @return true if it holds a project
     */
    public static boolean isProject(Path folder) {
        return Files.isRegularFile(folder.resolve(SETTINGS_FILE));
    }

    /**
     * Creates a new, empty project. A folder that already holds a project is refused, never reset: its settings,
     * thresholds and chosen method would be replaced by the defaults (open it instead).
     *
     * @param folder project folder (created if missing)
     * @param name   project name
     * @return the project
     * @throws IOException if the folder already holds a project or cannot be written
     */
    public static Project create(Path folder, String name) throws IOException {
        if (isProject(folder)) {
            throw new IOException(folder + " already holds a DMDD project; open it instead (a new project there "
                    + "would replace its settings)");
        }
        Project project = new Project(folder.toAbsolutePath(), ProjectSettings.newProject(name));
        Files.createDirectories(project.normalDir());
        Files.createDirectories(project.inspectDir());
        Files.createDirectories(project.groundTruthDir());
        Files.createDirectories(project.modelDir(dmdd.model.dmdd.Method.DMDD));
        Files.createDirectories(project.resultsDir());
        save(project);
        return project;
    }

    /**
     * Opens a project folder.
     *
     * @param folder project folder
     * @return the project
     * @throws IOException naming the folder if it is no project or {@code project.json} is unreadable
     */
    public static Project open(Path folder) throws IOException {
        Path file = folder.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(folder + " is not a DMDD project: it has no " + SETTINGS_FILE);
        }
        ProjectSettings settings;
        try {
            // The model settings go through DmddSettings.fromJson so that settings added by a newer
            // build of the model get their defaults instead of failing validation.
            // text after the JSON is damage (a second, half-written copy), not something to ignore
            JsonNode read = JSON.reader().with(com.fasterxml.jackson.databind.DeserializationFeature
                    .FAIL_ON_TRAILING_TOKENS).readTree(Files.readAllBytes(file));
            if (read == null || !read.isObject()) {
                throw new IllegalArgumentException("it is empty or not a JSON object");
            }
            ObjectNode tree = (ObjectNode) read;
            JsonNode training = tree.remove("training");
            if (training != null && !training.isNull() && !training.isObject()) {
                // replaced by defaults, the next save would lose the settings the user meant
                throw new IllegalArgumentException("'training' must be a JSON object of settings, not " + training);
            }
            settings = JSON.treeToValue(tree, ProjectSettings.class);
            if (training != null && training.isObject()) {
                settings = settings.withTraining(DmddSettings.fromJson(training.toString()), settings.device());
            }
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            // the parser's own words and where, without its internals ("Source: REDACTED ...")
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() + (j.getLocation() == null ? "" : " (line " + j.getLocation().getLineNr()
                            + ", column " + j.getLocation().getColumnNr() + ")")
                    : e.getMessage();
            throw new IOException(file + " cannot be read: " + why, e);
        }
        String unusable = unusableThresholds(settings);
        if (unusable != null) {
            // a person's thresholds decide every verdict of the project's model: never guessed at
            throw new IOException(file + " cannot be read: " + unusable);
        }
        if (settings.version() > ProjectSettings.CURRENT_VERSION) {
            throw new IOException(file + " was written by a newer DMDD Inspector (format " + settings.version()
                    + "; this one reads up to " + ProjectSettings.CURRENT_VERSION + ")");
        }
        if (settings.training() == null || settings.device() == null) {
            settings = settings.withTraining(settings.training() == null ? DmddSettings.defaults() : settings.training(),
                    settings.device() == null ? "auto" : settings.device());
        }
        return new Project(folder.toAbsolutePath(), settings);
    }

    /** What is wrong with the thresholds a project records for its methods' models, or null. */
    private static String unusableThresholds(ProjectSettings settings) {
        java.util.Map<String, ProjectSettings.UserThresholds> all = new java.util.LinkedHashMap<>();
        all.put("the model's", new ProjectSettings.UserThresholds(settings.imageThreshold(), settings.ngThreshold(),
                settings.pixelThreshold(), settings.thresholdsModel()));
        settings.otherMethodsThresholds().forEach((method, t) -> all.put(method + "'s", t));
        for (var e : all.entrySet()) {
            ProjectSettings.UserThresholds t = e.getValue();
            if (t == null) {
                continue;
            }
            for (Double v : new Double[] {t.image(), t.ng(), t.pixel()}) {
                if (v != null && !Double.isFinite(v)) {
                    return "the thresholds set for " + e.getKey() + " verdicts must be finite numbers, not " + v;
                }
            }
            if (t.image() != null && t.ng() != null && t.ng() < t.image()) {
                return "the NG-above threshold set for " + e.getKey() + " verdicts (" + t.ng()
                        + ") is below its OK-below threshold (" + t.image() + ")";
            }
        }
        return null;
    }

    /**
     * Saves {@code project.json} atomically.
     *
     * @param project the project
     * @throws IOException if it cannot be written
     */
    public static void save(Project project) throws IOException {
        AtomicFiles.writeBytes(project.settingsFile(), JSON.writeValueAsBytes(project.settings()));
    }
}
