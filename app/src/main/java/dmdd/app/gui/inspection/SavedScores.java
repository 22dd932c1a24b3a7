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
    static Map<String, Scored> read(Path file, String modelId, Path project) {
        Map<String, Scored> scores = new HashMap<>();
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
                String now = stamp(project.resolve(e.getKey()));
                if (entry.path("score").isNumber() && !now.isEmpty() && now.equals(entry.path("file").asText(""))) {
                    scores.put(e.getKey(), new Scored(entry.get("score").asDouble(), now));
                }
            });
        } catch (IOException e) {
            // A cache: when unreadable, the images are simply inspected again.
        }
        return scores;
    }

    /**
     * A score and the stamp of the file as it was when it was scored: taken before the image is read, so that a
     * picture replaced under its name during the inspection never gets the old picture's score.
     *
     * @param score the score
     * @param stamp {@link #stamp} of the file before it was read
     */
    record Scored(double score, String stamp) {
    }

    /**
     * Writes the scores atomically with the model's identity and the stamp each image file had when it was scored.
     *
     * @param file    the scores file
     * @param modelId the identity of the model that computed them
     * @param scores  scores by image path relative to the project
     * @throws IOException when the file cannot be written
     */
    static void write(Path file, String modelId, Map<String, Scored> scores) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", modelId);
        ObjectNode entries = root.putObject("scores");
        for (Map.Entry<String, Scored> e : scores.entrySet()) {
            if (!e.getValue().stamp().isEmpty()) {
                entries.putObject(e.getKey()).put("score", e.getValue().score()).put("file", e.getValue().stamp());
            }
        }
        AtomicFiles.writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * @param image an image file
     * @return its size and modification time, or empty when it cannot be read
     */
    static String stamp(Path image) {
        try {
            return Files.size(image) + "@" + Files.getLastModifiedTime(image).toMillis();
        } catch (IOException e) {
            return "";
        }
    }
}
