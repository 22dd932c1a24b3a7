package dmdd.model.infer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.Weights;
import dmdd.model.teacher.BackboneKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A saved model: one folder holding {@value #WEIGHTS} (every student and segmenter weight,
 * safetensors) and {@value #DESCRIPTION} (format version, settings, the teacher it needs,
 * thresholds, normal-score statistics, training summary). Each file is written atomically and the
 * description last, so a folder with a description is complete. Reading a folder from another
 * format version, or with a file missing, fails with a {@link ModelFolderException} that says which.
 *
 * @param folder      the folder
 * @param settings    the model's settings (method, sizes, score rule...)
 * @param teacher     the teacher backbone the model needs
 * @param thresholds  decision thresholds and display ranges
 * @param training    how it was trained
 */
public record ModelFolder(Path folder, DmddSettings settings, BackboneKind teacher, Thresholds thresholds,
        TrainingSummary training) {
    /** Version of the folder layout this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The description file. */
    public static final String DESCRIPTION = "model.json";
    /** The weights file. */
    public static final String WEIGHTS = "weights.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How a model was trained.
     *
     * @param steps            optimisation steps over both stages
     * @param seconds          wall-clock training seconds
     * @param trainImages      normal images trained on
     * @param validationImages normal images held out for the thresholds
     * @param createdAt        ISO-8601 instant the folder was written
     */
    public record TrainingSummary(int steps, double seconds, int trainImages, int validationImages, String createdAt) {
        /**
         * @param steps            steps
         * @param seconds          seconds
         * @param trainImages      training images
         * @param validationImages validation images
         * @return a summary stamped now
         */
        public static TrainingSummary now(int steps, double seconds, int trainImages, int validationImages) {
            return new TrainingSummary(steps, seconds, trainImages, validationImages, Instant.now().toString());
        }
    }

    /**
     * Writes a model folder (weights first, description last, each atomically).
     *
     * @param folder     target folder (created if needed)
     * @param networks   trained networks
     * @param thresholds fitted thresholds
     * @param training   training summary
     * @return the saved model's description
     * @throws IOException when writing fails
     */
    public static ModelFolder save(Path folder, DmddNetworks networks, Thresholds thresholds, TrainingSummary training)
            throws IOException {
        Files.createDirectories(folder);
        NDList weights = networks.weights();
        AtomicFiles.write(folder.resolve(WEIGHTS), out -> weights.encode(out, NDList.Encoding.SAFETENSORS));
        DmddSettings settings = networks.settings();
        ModelFolder model = new ModelFolder(folder, settings, settings.backboneKind(), thresholds, training);
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("teacher", settings.backbone());
        root.put("teacherDescription", settings.backboneKind().description());
        root.put("method", settings.method().cliName());
        root.set("settings", JSON.readTree(settings.toJson()));
        root.set("thresholds", JSON.valueToTree(thresholds));
        root.set("training", JSON.valueToTree(training));
        AtomicFiles.writeBytes(folder.resolve(DESCRIPTION), JSON.writeValueAsBytes(root));
        return model;
    }

    /**
     * Reads a model folder's description and checks that the weights are there.
     *
     * @param folder the folder
     * @return the description
     * @throws ModelFolderException naming the folder and the problem
     */
    public static ModelFolder read(Path folder) throws ModelFolderException {
        if (!Files.isDirectory(folder)) {
            throw new ModelFolderException(folder, "no model folder at " + folder);
        }
        Path description = folder.resolve(DESCRIPTION);
        if (!Files.isRegularFile(description)) {
            throw new ModelFolderException(folder, "not a trained model: " + description + " is missing"
                    + (Files.exists(folder.resolve("checkpoint.safetensors")) ? " (training has not finished)" : ""));
        }
        JsonNode root;
        try {
            root = JSON.readTree(description.toFile());
        } catch (IOException e) {
            throw new ModelFolderException(folder, "unreadable model description " + description + ": " + e.getMessage(), e);
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFolderException(folder, "the model in " + folder + " has format version "
                    + (version < 0 ? "(none)" : version) + "; this DMDD Inspector reads version " + FORMAT_VERSION
                    + (version > FORMAT_VERSION ? " (it was saved by a newer version)" : " (retrain it)"));
        }
        if (!Files.isRegularFile(folder.resolve(WEIGHTS))) {
            throw new ModelFolderException(folder, "the model in " + folder + " is incomplete: " + WEIGHTS + " is missing");
        }
        try {
            DmddSettings settings = DmddSettings.fromJson(root.path("settings").toString());
            BackboneKind teacher = BackboneKind.fromCliName(root.path("teacher").asText());
            Thresholds thresholds = JSON.treeToValue(root.path("thresholds"), Thresholds.class);
            TrainingSummary training = JSON.treeToValue(root.path("training"), TrainingSummary.class);
            if (thresholds == null || training == null) {
                throw new IllegalArgumentException("thresholds or training summary missing");
            }
            return new ModelFolder(folder, settings, teacher, thresholds, training);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFolderException(folder, "bad model description " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the networks and loads the saved weights into them.
     *
     * @param manager owns the weights (the caller closes it)
     * @return the networks
     * @throws ModelFolderException when the weights file is unreadable or does not fit the settings
     */
    public DmddNetworks loadNetworks(NDManager manager) throws ModelFolderException {
        Path file = folder.resolve(WEIGHTS);
        DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), manager);
        try (NDManager scratch = manager.newSubManager(); InputStream in = Files.newInputStream(file)) {
            NDList saved = NDList.decode(scratch, in);
            nets.load(Weights.byName(saved));
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(folder, "cannot load " + file + ": " + e.getMessage(), e);
        }
        return nets;
    }
}
