package dmdd.app.gui.inspection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The inspection screen's scores kept between sessions ({@code scores.json} in the method's results folder), a cache
 * that is only ever trusted for the model that computed it and for image files as they were then: each score is
 * stored with the model's identity and its file's size and modification time. A model trained, improved or imported
 * outside this window (the command line), or an image replaced under its name, leaves scores that no longer
 * hold; they are dropped and the images inspected again, never shown with another model's thresholds.
 */
final class SavedScores {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedScores() {
    }

    /**
     * @param file    the scores file
     * @param modelId the identity of the model on screen
     * @param project the project folder the keys are relative to
     * @return the scores that still hold, by image path relative to the project ({@code /} separated)
     */
    static Map<String, Double> read(Path file, String modelId, Path project) {
        Map<String, Double> scores = new HashMap<>();
        if (modelId == null || !Files.isRegularFile(file)) {
            return scores;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !modelId.equals(root.path("model").asText(null))) {
                return scores; // another model's, or saved before scores named their model
            }
            root.path("scores").fields().forEachRemaining(e -> {
                JsonNode entry = e.getValue();
                Path image = project.resolve(e.getKey());
                if (entry.path("score").isNumber() && stamp(image).equals(entry.path("file").asText(""))) {
                    scores.put(e.getKey(), entry.get("score").asDouble());
                }
            });
        } catch (IOException e) {
            // A cache: when unreadable, the images are simply inspected again.
        }
        return scores;
    }

    /**
     * Writes the scores atomically with the model's identity and each image file's stamp of now.
     *
     * @param file    the scores file
     * @param modelId the identity of the model that computed them
     * @param project the project folder the keys are relative to
     * @param scores  scores by image path relative to the project
     * @throws IOException when the file cannot be written
     */
    static void write(Path file, String modelId, Path project, Map<String, Double> scores) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", modelId);
        ObjectNode entries = root.putObject("scores");
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            String stamp = stamp(project.resolve(e.getKey()));
            if (!stamp.isEmpty()) {
                entries.putObject(e.getKey()).put("score", e.getValue()).put("file", stamp);
            }
        }
        AtomicFiles.writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /** A file's size and modification time, or empty when it cannot be read. */
    private static String stamp(Path image) {
        try {
            return Files.size(image) + "@" + Files.getLastModifiedTime(image).toMillis();
        } catch (IOException e) {
            return "";
        }
    }
}
