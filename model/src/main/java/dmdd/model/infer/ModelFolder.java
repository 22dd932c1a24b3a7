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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A saved model: one folder holding a weights file (every student and segmenter weight, safetensors,
 * named by its checksum, {@code weights-<sha256 prefix>.safetensors}) and {@value #DESCRIPTION} (format
 * version, settings, the teacher it needs, thresholds, normal-score statistics, training summary, and which
 * weights file it belongs to with its SHA-256).
 *
 * <p>The description is the model's one pointer: a save writes the new weights file first (atomically, under
 * a new name), then switches the description (atomically), then removes weights files older than the
 * previous one. A crash or a kill at any point leaves the old model or the new one, never new weights with an
 * old description; a reader that read the description just before a save still finds its weights (the
 * previous generation is kept). Loading verifies the weights' checksum, so a damaged file is refused by name.
 * Models saved before the pointer existed (weights in {@value #WEIGHTS}, no checksum) still load.
 *
 * @param folder        the folder
 * @param settings      the model's settings (method, sizes, score rule...)
 * @param teacher       the teacher backbone the model needs
 * @param thresholds    decision thresholds and display ranges
 * @param training      how it was trained
 * @param weightsFile   the weights file's name inside the folder
 * @param weightsSha256 its SHA-256 (hex), or {@code null} for a model saved without one
 */
public record ModelFolder(Path folder, DmddSettings settings, BackboneKind teacher, Thresholds thresholds,
        TrainingSummary training, String weightsFile, String weightsSha256) {
    /** Version of the folder layout this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The description file. */
    public static final String DESCRIPTION = "model.json";
    /**
     * The description's field holding the digest of its method, teacher, settings, thresholds and weights' checksum,
     * written at every save (and kept through imports, exports and restores of a sealed model); a model saved before
     * it existed has none and is read without the check.
     */
    public static final String SEAL = "calibrationDigest";
    /** The weights file name of models saved without a pointer, and inside model archives. */
    public static final String WEIGHTS = "weights.safetensors";
    private static final String WEIGHTS_PREFIX = "weights";
    private static final String WEIGHTS_SUFFIX = ".safetensors";
    /** A weights file named by the start of its SHA-256, as {@link #commit} names them. */
    private static final java.util.regex.Pattern NAMED_BY_CHECKSUM =
            java.util.regex.Pattern.compile(WEIGHTS_PREFIX + "-([0-9a-f]{16})\\" + WEIGHTS_SUFFIX);
    /**
     * The settings added after descriptions were sealed: a description whose settings name one of them was written by
     * a version that seals every model it saves, so one without its seal was edited, not saved before the seal.
     */
    public static final List<String> SETTINGS_AFTER_SEAL = List.of("weightAverageDecay", "segmenterAttention",
            "studentStemStride", "studentNormsFrozenFrom");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads a description: a key given twice or text after it is damage, not something to guess about. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * What tells this model from the others a folder held (a user's thresholds are kept for one model): its weights'
     * SHA-256, or for a model saved without one, the time it was written.
     *
     * @return the identity, or {@code null} for a model that records neither
     */
    public String identity() {
        if (weightsSha256 != null) {
            return weightsSha256;
        }
        return training != null && training.createdAt() != null ? "created " + training.createdAt() : null;
    }

    /**
     * How a model was trained.
     *
     * @param steps            optimisation steps over both stages
     * @param seconds          wall-clock training seconds
     * @param trainImages      normal images trained on
     * @param validationImages normal images held out for the thresholds
     * @param createdAt        ISO-8601 instant the folder was written
     * @param validationFalseAlarmRate share of the held-out normal images that are not OK at the fitted
     *                         thresholds (unsure or NG), or {@code null} for models saved before it was recorded
     * @param trainingData     what the run that saved the model trained on (the checkpoint's description of the
     *                         prepared images), or {@code null} for models saved before it was recorded
     */
    public record TrainingSummary(int steps, double seconds, int trainImages, int validationImages, String createdAt,
            Double validationFalseAlarmRate, String trainingData, Long calibrationPixels) {
        /**
         * @param steps            steps (of every run that led to the model: training and improvements)
         * @param seconds          seconds
         * @param trainImages      training images
         * @param validationImages validation images
         * @param falseAlarmRate   the held-out normal images' false-alarm rate (not recorded without held-out
         *                         images: a rate on the training images would look like one)
         * @param trainingData     what the run trained on
         * @param calibrationPixels camera (tiled) models: the median picture size, in pixels, of the normal images
         *                         the thresholds were fitted on (a tiled image's score grows with its size); null
         *                         for whole-image models, whose inputs all have one size
         * @return a summary stamped now
         */
        public static TrainingSummary now(int steps, double seconds, int trainImages, int validationImages,
                double falseAlarmRate, String trainingData, Long calibrationPixels) {
            return new TrainingSummary(steps, seconds, trainImages, validationImages, Instant.now().toString(),
                    validationImages > 0 && Double.isFinite(falseAlarmRate) ? falseAlarmRate : null, trainingData,
                    calibrationPixels);
        }

        /** @return the normal images the model learned from, held-out ones included */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public int normalImages() {
            return trainImages + validationImages;
        }
    }

    /**
     * Saves trained networks as the folder's model (see the class comment for why a kill cannot mix two
     * models).
     *
     * @param folder     target folder (created if needed)
     * @param networks   trained networks
     * @param thresholds fitted thresholds
     * @param training   training summary
     * @return the saved model's description
     * @throws IOException when writing fails, naming the file
     */
    public static ModelFolder save(Path folder, DmddNetworks networks, Thresholds thresholds, TrainingSummary training)
            throws IOException {
        return save(folder, networks, networks.settings(), thresholds, training);
    }

    /**
     * Saves trained networks as the folder's model, recording other settings than the ones they were last trained
     * with (an improvement records the schedule of the model's training, not its own few steps).
     *
     * @param folder     target folder (created if needed)
     * @param networks   trained networks
     * @param settings   the settings to record: those of the networks but for the stages' step fields
     * @param thresholds fitted thresholds
     * @param training   training summary
     * @return the saved model's description
     * @throws IOException when writing fails, naming the file
     */
    public static ModelFolder save(Path folder, DmddNetworks networks, DmddSettings settings, Thresholds thresholds,
            TrainingSummary training) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        networks.weights().encode(bytes, NDList.Encoding.SAFETENSORS);
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("teacher", settings.backbone());
        root.put("teacherDescription", settings.backboneKind().description());
        root.put("method", settings.method().cliName());
        root.set("settings", JSON.readTree(settings.toJson()));
        root.set("thresholds", JSON.valueToTree(thresholds));
        root.set("training", JSON.valueToTree(training));
        root.put(SEAL, ""); // sealed by commit once the weights' checksum is in: these thresholds were fitted now
        return commit(folder, bytes.toByteArray(), root);
    }

    /**
     * Makes a weights file and a description the folder's model: weights first under their checksum's name,
     * then the description (which records that name and checksum), then old generations are removed. Leftover
     * temporary files of an interrupted save are removed first. The caller holds the folder's {@link ModelLock}.
     *
     * @param folder      target folder (created if needed)
     * @param weights     the safetensors bytes
     * @param description the description (its {@code weights} entry is set here)
     * @return the committed model
     * @throws IOException when writing fails
     */
    public static ModelFolder commit(Path folder, byte[] weights, ObjectNode description) throws IOException {
        Files.createDirectories(folder);
        AtomicFiles.removeLeftovers(folder);
        String sha = sha256(weights);
        String name = WEIGHTS_PREFIX + "-" + sha.substring(0, 16) + WEIGHTS_SUFFIX;
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file) || !sha.equals(sha256(Files.readAllBytes(file)))) {
            AtomicFiles.writeBytes(file, weights);
        }
        String previous = currentWeightsFile(folder);
        ObjectNode pointer = JSON.createObjectNode();
        pointer.put("file", name);
        pointer.put("sha256", sha);
        pointer.put("bytes", weights.length);
        description.set("weights", pointer);
        if (description.has(SEAL)) {
            // a description read with its seal verified, or a fresh save: sealed again over the pointer written
            // here (the same checksum); one read without a seal (an older model, imported or restored) stays so,
            // since nothing checked that its thresholds belong to its settings
            seal(description);
        }
        AtomicFiles.writeBytes(folder.resolve(DESCRIPTION), JSON.writeValueAsBytes(description));
        removeOldWeights(folder, name, previous);
        return read(folder);
    }

    /** The weights file the folder's description points to now, or null. */
    private static String currentWeightsFile(Path folder) {
        try {
            return JSON.readTree(folder.resolve(DESCRIPTION).toFile()).path("weights").path("file").asText(WEIGHTS);
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps the current and the previous generation (a reader may have just read the old description). */
    private static void removeOldWeights(Path folder, String current, String previous) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(WEIGHTS_PREFIX) && n.endsWith(WEIGHTS_SUFFIX) && !n.equals(current)
                        && !n.equals(previous)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * The description as {@link #save} writes it, for copying a model (archives).
     *
     * @return the JSON of {@value #DESCRIPTION}
     * @throws IOException when it cannot be read
     */
    public ObjectNode description() throws IOException {
        return (ObjectNode) JSON.readTree(folder.resolve(DESCRIPTION).toFile());
    }

    /**
     * Reads the weights file and checks it against the description's checksum.
     *
     * @return the weights bytes
     * @throws ModelFolderException when the file is missing, unreadable or damaged
     */
    public byte[] readWeights() throws ModelFolderException {
        Path file = folder.resolve(weightsFile);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFolderException(folder, "the model in " + folder + " is incomplete: " + weightsFile
                    + " is missing (was the model replaced while it was being opened? try again)");
        } catch (IOException e) {
            throw new ModelFolderException(folder, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String actual = sha256(bytes);
        if (weightsSha256 != null && !weightsSha256.equals(actual)) {
            throw new ModelFolderException(folder, "the weights file " + file + " is damaged (its SHA-256 does not "
                    + "match the one recorded in " + DESCRIPTION + "); retrain the model or import it again");
        }
        java.util.regex.Matcher named = NAMED_BY_CHECKSUM.matcher(weightsFile);
        if (named.matches() && !actual.startsWith(named.group(1))) {
            // the name is the start of its checksum (commit): other bytes under it are another model's weights or
            // damage, also in a description that lost its checksum
            throw new ModelFolderException(folder, "the weights file " + file + " does not hold the weights its name "
                    + "says (its SHA-256 does not start with " + named.group(1) + "); retrain the model or import it "
                    + "again");
        }
        return bytes;
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
            root = STRICT.readTree(Files.readAllBytes(description));
        } catch (IOException e) {
            throw new ModelFolderException(folder, "unreadable model description " + description + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new ModelFolderException(folder, "the model description " + description + " is empty or not a "
                    + "model description (was it damaged? retrain the model, or import its zip again)");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFolderException(folder, "the model in " + folder + " has format version "
                    + (version < 0 ? "(none)" : version) + "; this DMDD Inspector reads version " + FORMAT_VERSION
                    + (version > FORMAT_VERSION ? " (it was saved by a newer version)" : " (retrain it)"));
        }
        String weightsFile = root.path("weights").path("file").asText(WEIGHTS);
        if (weightsFile.isEmpty() || weightsFile.contains("/") || weightsFile.contains("\\")
                || weightsFile.startsWith(".")) {
            throw new ModelFolderException(folder, "bad model description " + description + ": weights file '"
                    + weightsFile + "'");
        }
        String sha = root.path("weights").hasNonNull("sha256") ? root.path("weights").path("sha256").asText() : null;
        if (!root.has(SEAL) && SETTINGS_AFTER_SEAL.stream().anyMatch(root.path("settings")::has)) {
            // Taking the seal out is no way round it: this version sealed the model when it saved it.
            throw new ModelFolderException(folder, "the model description " + description + " has lost its "
                    + SEAL + ", which the version that saved it wrote: it was edited after the model was saved, so "
                    + "its thresholds may no longer belong to its settings and weights; retrain the model, or import "
                    + "its zip again");
        }
        if (root.has(SEAL)) {
            // Thresholds are fitted with these settings on these networks: a description edited since (a threshold
            // set to infinity, another topK or image size, the weights' checksum taken out) would give wrong verdicts
            // without a sign.
            if (sha == null) {
                throw new ModelFolderException(folder, "bad model description " + description
                        + ": the weights' checksum (weights.sha256) is missing, so the weights cannot be verified");
            }
            if (!root.path(SEAL).asText().equals(sealOf(root))) {
                throw new ModelFolderException(folder, "the model description " + description + " was changed after "
                        + "the model was saved: its settings, thresholds, method, teacher or weights are no longer "
                        + "the ones its thresholds were fitted with, so its verdicts could be wrong; retrain the model, "
                        + "or import its zip again");
            }
        }
        if (!Files.isRegularFile(folder.resolve(weightsFile))) {
            throw new ModelFolderException(folder, "the model in " + folder + " is incomplete: " + weightsFile
                    + " is missing");
        }
        try {
            DmddSettings settings = settingsOf(root);
            BackboneKind teacher = BackboneKind.fromCliName(root.path("teacher").asText());
            JsonNode thresholdsNode = root.path("thresholds");
            if (thresholdsNode instanceof ObjectNode t && !t.has("imageNg") && t.has("image")) {
                // Saved before the unsure band existed: one image threshold, so no band.
                t.set("imageNg", t.get("image"));
            }
            requireNumbers(thresholdsNode, "thresholds", "image", "imageNg", "pixel");
            for (String map : List.of("normality", "abnormality", "fused")) {
                requireNumbers(thresholdsNode.path(map), "thresholds." + map, "low", "high");
            }
            Thresholds thresholds = JSON.treeToValue(thresholdsNode, Thresholds.class);
            TrainingSummary training = JSON.treeToValue(root.path("training"), TrainingSummary.class);
            if (thresholds == null || training == null) {
                throw new IllegalArgumentException("thresholds or training summary missing");
            }
            return new ModelFolder(folder, settings, teacher, thresholds, training, weightsFile, sha);
        } catch (IOException | IllegalArgumentException e) {
            // a record's own check (thresholds out of order) says what is wrong; Jackson's wrapping adds only noise
            String why = e.getCause() instanceof IllegalArgumentException own ? own.getMessage()
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            if (root.has(SEAL) && why != null && why.startsWith("unknown setting")) {
                // sealed, so written as it is by the version that saved it: a setting added after this version
                throw new ModelFolderException(folder, "the model in " + folder + " was saved by a newer version of "
                        + "DMDD Inspector: its settings hold " + why.substring("unknown ".length()) + ", which this "
                        + "version does not know; update DMDD Inspector to use it", e);
            }
            throw new ModelFolderException(folder, "bad model description " + description + ": " + why, e);
        }
    }

    /**
     * Records in a description the digest of what its verdicts depend on ({@value #SEAL}), so that a later edit is
     * found when it is read.
     *
     * @param description a model description
     */
    public static void seal(ObjectNode description) {
        description.put(SEAL, sealOf(description));
    }

    /**
     * The SHA-256 of the description's method, teacher, settings, thresholds and weights' checksum, each in a
     * canonical form (keys sorted, every number as a double), so that re-formatting or re-ordering the file changes
     * nothing.
     */
    private static String sealOf(JsonNode description) {
        ObjectNode sealed = JSON.createObjectNode();
        for (String field : List.of("method", "teacher", "settings", "thresholds")) {
            sealed.set(field, canonical(description.get(field)));
        }
        // the weights the thresholds were fitted on: other weights under the same description are another model
        sealed.set("weightsSha256", canonical(description.path("weights").get("sha256")));
        try {
            return sha256(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(sealed));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        if (node.isObject()) {
            ObjectNode sorted = JSON.createObjectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
            node.forEach(e -> copy.add(canonical(e)));
            return copy;
        }
        if (node.isNumber()) {
            // one number however it is written: 1e-05 and 1.0E-5, 4 and 4.0 (tools such as jq rewrite one as the other)
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(node.doubleValue());
        }
        return node;
    }

    /**
     * A description's settings, which decide the networks its weights belong to; its top-level {@code method} only
     * repeats theirs, and one that disagrees is damage.
     *
     * @param description a model description ({@value #DESCRIPTION}'s JSON)
     * @return its settings
     * @throws IllegalArgumentException when the settings are unreadable or the top-level method disagrees
     */
    public static DmddSettings settingsOf(JsonNode description) {
        DmddSettings settings = DmddSettings.fromSavedJson(description.path("settings").toString());
        if (description.has("method") && !description.path("method").asText().equals(settings.method().cliName())) {
            throw new IllegalArgumentException("'method' says " + description.path("method") + " but the settings "
                    + "are those of " + settings.method().cliName());
        }
        return settings;
    }

    /**
     * Refuses a missing, null or quoted number (Jackson reads a missing or null one as 0 and {@code "Infinity"} as
     * infinity, which would silently change every verdict).
     */
    private static void requireNumbers(JsonNode node, String where, String... fields) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("'" + where + "' is missing or not an object");
        }
        for (String field : fields) {
            if (!node.path(field).isNumber()) {
                throw new IllegalArgumentException("'" + where + "." + field + "' must be a number, not "
                        + (node.has(field) ? node.get(field).toString() : "missing"));
            }
        }
    }

    /**
     * Builds the networks and loads the saved weights into them (checksum verified).
     *
     * @param manager owns the weights (the caller closes it)
     * @return the networks
     * @throws ModelFolderException when the weights file is missing, damaged or does not fit the settings
     */
    public DmddNetworks loadNetworks(NDManager manager) throws ModelFolderException {
        DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), manager);
        loadWeightsInto(nets, manager);
        return nets;
    }

    /**
     * Loads the saved weights into networks of the same architecture (continuing training from this model).
     *
     * @param nets    networks built with settings of the same architecture
     * @param manager a manager for the decoding scratch space
     * @throws ModelFolderException when the weights file is missing, damaged or does not fit the networks
     */
    public void loadWeightsInto(DmddNetworks nets, NDManager manager) throws ModelFolderException {
        byte[] bytes = readWeights();
        try (NDManager scratch = manager.newSubManager()) {
            NDList saved = NDList.decode(scratch, new ByteArrayInputStream(bytes));
            nets.load(Weights.byName(saved));
        } catch (RuntimeException e) {
            throw new ModelFolderException(folder, "cannot load " + folder.resolve(weightsFile) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model folder a file would be written into, at any depth: a file there could replace or mix with the
     * model's own files, and an import or clean-up of the folder could remove it.
     *
     * @param file a file about to be written
     * @return the nearest folder above it that holds a model description, or {@code null}
     */
    public static Path enclosing(Path file) {
        for (Path folder = dmdd.model.paths.ResolvedPath.of(file).getParent(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve(DESCRIPTION))) {
                return folder;
            }
        }
        return null;
    }

    /**
     * @param bytes some bytes
     * @return their SHA-256 in lower-case hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
