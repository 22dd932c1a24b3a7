package dmdd.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file holding every network weight, the optimisers'
 * state and a small JSON record (format, completed steps, settings) stored as a byte array named
 * {@value #META}. One file, written to a temporary file and moved atomically into place, so a
 * crash leaves either the previous checkpoint or the new one, never a torn one. Batches need no
 * saved generator state: they derive from (seed, step) ({@link StepRandom}).
 *
 * @param completedSteps steps done when it was written
 * @param settings       the run's settings
 * @param arrays         every saved array by name (in the manager given to {@link #read})
 * @param trainingSeconds wall-clock training seconds up to this checkpoint, over every run that led to it
 * @param trainingData    what the run trained on ({@code "<n> images, sha256 <digest>"} of the prepared images), or
 *                        {@code null} for a checkpoint written without it
 */
public record Checkpoint(int completedSteps, DmddSettings settings, Map<String, NDArray> arrays,
                         double trainingSeconds, String trainingData) {
    /** The checkpoint's file name inside a model folder. */
    public static final String FILE_NAME = "checkpoint.safetensors";
    /** Name of the array holding the JSON record. */
    public static final String META = "__checkpoint__";
    /** Format version of the checkpoint file. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes a checkpoint atomically.
     *
     * @param file           target file
     * @param completedSteps steps done
     * @param settings       the run's settings
     * @param arrays         named arrays to save (weights and optimiser state)
     * @param manager        where the temporary metadata array is created
     * @throws IOException when writing fails (the previous checkpoint then stays intact)
     */
    public static void write(Path file, int completedSteps, DmddSettings settings, NDList arrays, NDManager manager)
            throws IOException {
        write(file, completedSteps, 0, settings, arrays, manager);
    }

    /**
     * Writes a checkpoint atomically, with the training time so far (so a resumed run reports its whole time).
     *
     * @param file            target file
     * @param completedSteps  steps done
     * @param trainingSeconds wall-clock training seconds so far, over all runs
     * @param settings        the run's settings
     * @param arrays          named arrays to save (weights and optimiser state)
     * @param manager         where the temporary metadata array is created
     * @throws IOException when writing fails (the previous checkpoint then stays intact)
     */
    public static void write(Path file, int completedSteps, double trainingSeconds, DmddSettings settings,
            NDList arrays, NDManager manager) throws IOException {
        write(file, completedSteps, trainingSeconds, settings, null, arrays, manager);
    }

    /**
     * Writes a checkpoint atomically, with the training time so far and what the run trains on (so that a resume
     * on other images is refused rather than mixing two training sets in one model).
     *
     * @param file            target file
     * @param completedSteps  steps done
     * @param trainingSeconds wall-clock training seconds so far, over all runs
     * @param settings        the run's settings
     * @param trainingData    the training images' description ({@link #describe}), or {@code null}
     * @param arrays          named arrays to save (weights and optimiser state)
     * @param manager         where the temporary metadata array is created
     * @throws IOException when writing fails (the previous checkpoint then stays intact)
     */
    public static void write(Path file, int completedSteps, double trainingSeconds, DmddSettings settings,
            String trainingData, NDList arrays, NDManager manager) throws IOException {
        ObjectNode meta = JSON.createObjectNode();
        if (trainingData != null) {
            meta.put("trainingData", trainingData);
        }
        meta.put("format", FORMAT);
        meta.put("completedSteps", completedSteps);
        meta.put("trainingSeconds", trainingSeconds);
        meta.set("settings", JSON.readTree(settings.toJson()));
        byte[] bytes = JSON.writeValueAsBytes(meta);
        try (NDArray metaArray = manager.create(java.nio.ByteBuffer.wrap(bytes), new Shape(bytes.length), DataType.UINT8)) {
            metaArray.setName(META);
            NDList all = new NDList(arrays.size() + 1);
            all.addAll(arrays);
            all.add(metaArray);
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, out -> all.encode(out, NDList.Encoding.SAFETENSORS));
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @param file    the file
     * @param manager where the arrays are created (the caller closes it)
     * @return the checkpoint
     * @throws IOException naming the file when it is missing, unreadable or not a checkpoint
     */
    public static Checkpoint read(Path file, NDManager manager) throws IOException {
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (NoSuchFileException e) {
            throw new IOException("no checkpoint at " + file, e);
        } catch (RuntimeException e) {
            throw new IOException("not a readable checkpoint: " + file + " (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> arrays = Weights.byName(list);
        NDArray metaArray = arrays.remove(META);
        if (metaArray == null) {
            throw new IOException("not a DMDD checkpoint (no " + META + " record): " + file);
        }
        JsonNode meta;
        try {
            meta = JSON.readTree(new String(metaArray.toByteArray(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("checkpoint " + file + " has a damaged " + META + " record: " + e.getMessage(), e);
        }
        if (meta == null || !meta.isObject()) {
            throw new IOException("checkpoint " + file + " has a damaged " + META + " record (not a JSON object)");
        }
        if (!meta.path("completedSteps").canConvertToInt() || !meta.path("completedSteps").isIntegralNumber()
                || meta.path("completedSteps").asInt() < 0) {
            throw new IOException("checkpoint " + file + " has a damaged " + META + " record: completedSteps "
                    + meta.path("completedSteps") + " is not a step count");
        }
        if (meta.path("format").asInt(-1) != FORMAT) {
            throw new IOException("checkpoint " + file + " has format " + meta.path("format") + ", this version reads "
                    + FORMAT);
        }
        DmddSettings settings;
        try {
            settings = DmddSettings.fromSavedJson(meta.path("settings").toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + file + " has unreadable settings: " + e.getMessage(), e);
        }
        return new Checkpoint(meta.path("completedSteps").asInt(), settings, arrays,
                meta.path("trainingSeconds").asDouble(0), meta.hasNonNull("trainingData")
                        ? meta.get("trainingData").asText() : null);
    }

    /**
     * Describes a training set by its size and a digest of every pixel of its prepared images (the same images in
     * the same order give the same text).
     *
     * @param images the images the trainer draws from
     * @return {@code "<n> images, sha256 <first 16 hex digits>"}
     */
    public static String describe(java.util.List<dmdd.datasets.image.RgbImage> images) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
        for (dmdd.datasets.image.RgbImage image : images) {
            // the header needs room too: an image can end with the buffer full (the digest does not depend on
            // where the buffer is flushed)
            if (buffer.remaining() < 2 * Integer.BYTES) {
                sha.update(buffer.flip());
                buffer.clear();
            }
            buffer.putInt(image.width()).putInt(image.height());
            for (float v : image.chw()) {
                if (buffer.remaining() < Float.BYTES) {
                    sha.update(buffer.flip());
                    buffer.clear();
                }
                buffer.putFloat(v);
            }
        }
        sha.update(buffer.flip());
        return images.size() + (images.size() == 1 ? " image" : " images") + ", sha256 "
                + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** Guards record construction: steps are never negative. */
    public Checkpoint {
        if (completedSteps < 0) {
            throw new IllegalArgumentException("negative step count in checkpoint: " + completedSteps);
        }
        arrays = Map.copyOf(arrays);
    }

    /**
     * Reads the file as an {@code InputStream} and checks it parses (for tests and diagnostics).
     *
     * @param file the file
     * @return {@code true} when a complete checkpoint can be read from it
     */
    public static boolean isReadable(Path file) {
        try (NDManager m = NDManager.newBaseManager()) {
            read(file, m);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
