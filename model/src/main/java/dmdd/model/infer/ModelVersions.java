package dmdd.model.infer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Earlier models of a model folder, kept so that the user can go back: before an improvement replaces the
 * model, the current one (its description and weights) is copied to {@code versions/vNNN/}, a complete model
 * folder of its own. A version appears whole or not at all: it is copied into a staging folder first, then
 * renamed (atomically) to its final name. Going back to a version keeps the model it replaces as a version
 * too, then commits the version's weights and description as the folder's model with {@link ModelFolder#commit}
 * (the one atomic switch), so nothing is ever lost and a kill leaves one model or the other.
 */
public final class ModelVersions {
    /** The folder of kept versions inside a model folder. */
    public static final String FOLDER = "versions";
    private static final Pattern ID = Pattern.compile("v\\d{3,}");

    private ModelVersions() {
    }

    /**
     * One model: a kept version or the current one.
     *
     * @param id             {@code vNNN} for a kept version, {@code current} for the folder's model
     * @param createdAt      when it was trained or improved (ISO-8601)
     * @param steps          training steps of every run that led to it
     * @param normalImages   normal images it learned from (held-out ones included)
     * @param falseAlarmRate share of its held-out normal images that are not OK (NaN when not recorded)
     * @param folder         its model folder
     */
    public record Version(String id, String createdAt, int steps, int normalImages, double falseAlarmRate,
            Path folder) {
        /** The id of the folder's own (current) model. */
        public static final String CURRENT = "current";

        static Version of(String id, ModelFolder model) {
            ModelFolder.TrainingSummary t = model.training();
            return new Version(id, t.createdAt(), t.steps(), t.normalImages(),
                    t.validationFalseAlarmRate() == null ? Double.NaN : t.validationFalseAlarmRate(), model.folder());
        }

        /** @return whether this is the folder's current model */
        public boolean isCurrent() {
            return CURRENT.equals(id);
        }
    }

    /**
     * Lists the kept versions, oldest first, then the current model.
     *
     * @param modelDir a model folder
     * @return the versions (empty when the folder has no model)
     * @throws IOException when the versions folder cannot be listed
     */
    public static List<Version> list(Path modelDir) throws IOException {
        List<Version> out = new ArrayList<>();
        for (Path v : keptFolders(modelDir)) {
            try {
                out.add(Version.of(v.getFileName().toString(), ModelFolder.read(v)));
            } catch (ModelFolderException e) {
                // A damaged version is left out of the list rather than hiding the others (unreadable() names it).
            }
        }
        if (Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
            out.add(Version.of(Version.CURRENT, ModelFolder.read(modelDir)));
        }
        return out;
    }

    /**
     * The kept versions that cannot be read (a damaged or edited description, missing weights), which {@link #list}
     * leaves out so that they do not hide the others.
     *
     * @param modelDir a model folder
     * @return one line per such version: its id and why, oldest first
     * @throws IOException when the versions folder cannot be listed
     */
    public static List<String> unreadable(Path modelDir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path v : keptFolders(modelDir)) {
            try {
                ModelFolder.read(v);
            } catch (ModelFolderException e) {
                out.add(v.getFileName() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The kept versions' folders ({@code versions/vNNN}), oldest first. */
    private static List<Path> keptFolders(Path modelDir) throws IOException {
        Path dir = modelDir.resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> kept = Files.list(dir)) {
            return kept.filter(p -> ID.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(ModelVersions::number)).toList();
        }
    }

    /**
     * A version that keeps a folder's model.
     *
     * @param id      its id ({@code vNNN})
     * @param created whether {@link #keep} made it now (not when the last version was that model already)
     */
    public record Kept(String id, boolean created) {
    }

    /**
     * Keeps the folder's current model as the next version, unless the last kept version is that model already
     * (what a change stopped after keeping it leaves: each killed save kept another copy). The caller holds the
     * folder's {@link ModelLock}.
     *
     * @param modelDir a model folder with a model
     * @return the version that keeps it
     * @throws IOException when copying fails (the model itself is untouched)
     */
    public static Kept keep(Path modelDir) throws IOException {
        ModelFolder current = ModelFolder.read(modelDir);
        byte[] description = Files.readAllBytes(modelDir.resolve(ModelFolder.DESCRIPTION));
        List<Path> kept = keptFolders(modelDir);
        if (!kept.isEmpty() && holds(kept.get(kept.size() - 1), current, description)) {
            return new Kept(kept.get(kept.size() - 1).getFileName().toString(), false);
        }
        Path dir = Files.createDirectories(modelDir.resolve(FOLDER));
        String id = String.format(java.util.Locale.ROOT, "v%03d", nextNumber(dir));
        Path staging = dir.resolve(".staging-" + id);
        dmdd.datasets.image.Folders.deleteTree(staging);
        Files.createDirectories(staging);
        // through AtomicFiles, which forces the bytes to the disk before the version is named: a plain copy could
        // leave an empty weights file behind a power cut, and the model this version keeps would be lost
        Path weights = modelDir.resolve(current.weightsFile());
        AtomicFiles.write(staging.resolve(current.weightsFile()), out -> Files.copy(weights, out));
        AtomicFiles.writeBytes(staging.resolve(ModelFolder.DESCRIPTION), description);
        try {
            Files.move(staging, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, dir.resolve(id));
        }
        return new Kept(id, true);
    }

    /** Whether a kept version is the model described by these bytes, its weights intact. */
    private static boolean holds(Path version, ModelFolder current, byte[] description) {
        try {
            return java.util.Arrays.equals(description, Files.readAllBytes(version.resolve(ModelFolder.DESCRIPTION)))
                    && current.weightsSha256() != null
                    && current.weightsSha256().equals(ModelFolder.sha256(
                            Files.readAllBytes(version.resolve(current.weightsFile()))));
        } catch (IOException e) {
            return false; // a damaged version keeps nothing: a new one is made
        }
    }

    /**
     * Removes a version just {@link #keep kept} when the change it was kept for failed (a full disk at the save): the
     * folder's model is still the one it copies, and every retry would leave another copy on a disk that is full. A
     * version that {@link #keep} found already there stays.
     *
     * @param modelDir a model folder
     * @param kept     what {@link #keep} returned
     * @param failure  the failure of the change, which a failure to remove the copy is added to
     */
    public static void forget(Path modelDir, Kept kept, Exception failure) {
        if (!kept.created()) {
            return;
        }
        try {
            dmdd.datasets.image.Folders.deleteTree(modelDir.resolve(FOLDER).resolve(kept.id()));
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Makes a kept version the folder's model again; the model it replaces is kept as a version first.
     *
     * @param modelDir a model folder
     * @param id       the version's id ({@code vNNN})
     * @return the folder's model now
     * @throws IOException when the version is missing or damaged, or writing fails
     */
    public static ModelFolder restore(Path modelDir, String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("no model version '" + id + "' (versions are named v001, v002, ...)");
        }
        Path version = modelDir.resolve(FOLDER).resolve(id);
        if (!Files.isDirectory(version)) {
            throw new ModelFolderException(modelDir, "no model version " + id + " in " + modelDir.resolve(FOLDER));
        }
        try (ModelLock lock = ModelLock.acquire(modelDir, "restore model version " + id)) {
            ModelFolder chosen = ModelFolder.read(version);
            byte[] weights = chosen.readWeights();
            ObjectNode description = chosen.description();
            Kept kept = keep(modelDir);
            try {
                return ModelFolder.commit(modelDir, weights, description);
            } catch (IOException | RuntimeException e) {
                forget(modelDir, kept, e);
                throw e;
            }
        }
    }

    private static int nextNumber(Path dir) throws IOException {
        int max = 0;
        try (Stream<Path> kept = Files.list(dir)) {
            for (Path p : kept.toList()) {
                String name = p.getFileName().toString();
                if (ID.matcher(name).matches()) {
                    max = Math.max(max, number(p));
                }
            }
        }
        return max + 1;
    }

    private static int number(Path version) {
        return Integer.parseInt(version.getFileName().toString().substring(1));
    }
}
