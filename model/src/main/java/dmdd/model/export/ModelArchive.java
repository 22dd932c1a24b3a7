package dmdd.model.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelFolderException;
import dmdd.model.infer.ModelLock;
import dmdd.model.paths.ProcessFileLock;
import dmdd.model.project.ThresholdsInForce;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A trained model as one {@code .zip} that another workstation imports: the model folder's files
 * ({@value ModelFolder#DESCRIPTION} with settings, teacher, thresholds and training summary;
 * {@value ModelFolder#WEIGHTS}) and a manifest {@value #MANIFEST} (archive format, application
 * version, model format version, and the size and SHA-256 of every file).
 *
 * <p>Import refuses, with a message naming the file and the problem: a file that is not a zip or whose
 * zip structure is damaged; a zip without the manifest (not a DMDD model); a newer archive format; an
 * entry not listed in the manifest, with a path (zip-slip: {@code ../}, absolute, or a folder) or a
 * wrong size or checksum; and a model folder that {@link ModelFolder#read} rejects. Files are unpacked
 * into a temporary folder beside the target and checked there; only then is the model committed into the
 * target exactly as a save commits one ({@link ModelFolder#commit}), under the folder's {@link ModelLock}, so a
 * refused or killed import leaves the existing model untouched and usable.
 */
public final class ModelArchive {
    /** Name of the manifest inside the zip. */
    public static final String MANIFEST = "dmdd-model.json";
    /** Value of the manifest's {@code format} field. */
    public static final String FORMAT = "dmdd-model-archive";
    /** Archive format version written and read. */
    public static final int FORMAT_VERSION = 1;
    /** The model folder files that travel in the archive. */
    static final List<String> MODEL_FILES = List.of(ModelFolder.DESCRIPTION, ModelFolder.WEIGHTS);
    private static final String STAGING_PREFIX = ".import-";
    /** Larger entries are refused (a zip bomb would otherwise fill the disk). */
    static final long MAX_ENTRY_BYTES = 4L << 30;
    /** A model description is a few kilobytes of JSON; larger ones are refused. */
    static final long MAX_DESCRIPTION_BYTES = 16L << 20;
    /** Held (an OS lock) inside a staging folder while its import runs, so another import leaves it alone. */
    private static final String STAGING_IN_USE = "in-use.lock";
    /** Age after which an unmarked staging folder can only be a killed import's. */
    static final java.time.Duration UNMARKED_STAGING_AGE = java.time.Duration.ofDays(1);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelArchive() {
    }

    /**
     * A file listed in the manifest.
     *
     * @param size   bytes
     * @param sha256 lower-case hex SHA-256
     */
    public record FileInfo(@JsonProperty("size") long size, @JsonProperty("sha256") String sha256) {
    }

    /**
     * The manifest.
     *
     * @param format             {@link #FORMAT}
     * @param formatVersion      {@link #FORMAT_VERSION}
     * @param applicationVersion the version of the application that exported it
     * @param modelFormatVersion {@link ModelFolder#FORMAT_VERSION} of the packed folder
     * @param teacher            the teacher backbone the model needs
     * @param exportedAt         ISO-8601 instant
     * @param files              every packed file by name
     * @param thresholds         whose thresholds the packed description holds: {@code calibrated} (the model's own)
     *                           or {@code workstation} (those set in the workstation for a project's model); null in
     *                           zips from before it was recorded (the model's own)
     */
    public record Manifest(@JsonProperty("format") String format, @JsonProperty("formatVersion") int formatVersion,
                           @JsonProperty("applicationVersion") String applicationVersion,
                           @JsonProperty("modelFormatVersion") int modelFormatVersion,
                           @JsonProperty("teacher") String teacher, @JsonProperty("exportedAt") String exportedAt,
                           @JsonProperty("files") Map<String, FileInfo> files,
                           @JsonProperty("thresholds") String thresholds) {
        /** @return whether the packed thresholds are the ones a person set in the workstation */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean carriesWorkstationThresholds() {
            return WORKSTATION_THRESHOLDS.equals(thresholds);
        }
    }

    /** {@link Manifest#thresholds()} of a zip whose thresholds are the ones set in the workstation. */
    public static final String WORKSTATION_THRESHOLDS = "workstation";
    /** The packed description's note of whose thresholds it holds (kept by the folder it is imported into). */
    static final String THRESHOLDS_FROM = "thresholdsFrom";

    /**
     * Packs a trained model into a zip, atomically. A project's model is packed with the thresholds set in the
     * workstation for it ({@link ThresholdsInForce}), so that wherever the zip goes (another workstation, the batch
     * job) an image gets the verdict the workstation gives it.
     *
     * @param modelDir           a model folder ({@link ModelFolder#read} must accept it)
     * @param zip                the archive to write (replaced if it exists)
     * @param applicationVersion written into the manifest
     * @return the manifest written
     * @throws IOException when the folder is no complete model or writing fails
     */
    public static Manifest export(Path modelDir, Path zip, String applicationVersion) throws IOException {
        refuseNonArchiveTarget(zip);
        ModelFolder model = ModelFolder.read(modelDir);
        // The archive holds the description and the weights it points to, under the archive's fixed names;
        // the weights are checked against the description's checksum on the way.
        byte[] weights = model.readWeights();
        ObjectNode description = model.description();
        // the archive's weights under its fixed name, with their checksum (the seal covers it)
        com.fasterxml.jackson.databind.node.ObjectNode pointer = JSON.createObjectNode();
        pointer.put("file", ModelFolder.WEIGHTS);
        pointer.put("sha256", ModelFolder.sha256(weights));
        pointer.put("bytes", weights.length);
        description.set("weights", pointer);
        ThresholdsInForce inForce = ThresholdsInForce.ofModel(modelDir, model);
        // a model unpacked from such a zip holds a person's thresholds as its own: said again when packed again
        boolean workstation = inForce.origin() == ThresholdsInForce.Origin.WORKSTATION
                || WORKSTATION_THRESHOLDS.equals(description.path(THRESHOLDS_FROM).asText());
        if (inForce.origin() == ThresholdsInForce.Origin.WORKSTATION) {
            description.set("thresholds", JSON.valueToTree(inForce.thresholds()));
        }
        if (workstation) {
            description.put(THRESHOLDS_FROM, WORKSTATION_THRESHOLDS);
        }
        if (description.has(ModelFolder.SEAL)) {
            ModelFolder.seal(description); // verified when read: sealed again over the thresholds packed
        }
        byte[] descriptionBytes = JSON.writeValueAsBytes(description);
        Map<String, byte[]> content = new LinkedHashMap<>();
        content.put(ModelFolder.DESCRIPTION, descriptionBytes);
        content.put(ModelFolder.WEIGHTS, weights);
        Map<String, FileInfo> files = new LinkedHashMap<>();
        content.forEach((name, bytes) -> files.put(name, new FileInfo(bytes.length, ModelFolder.sha256(bytes))));
        Manifest manifest = new Manifest(FORMAT, FORMAT_VERSION, applicationVersion, ModelFolder.FORMAT_VERSION,
                model.teacher().cliName(), Instant.now().toString(), files,
                workstation ? WORKSTATION_THRESHOLDS : "calibrated");
        AtomicFiles.write(zip, out -> {
            ZipOutputStream z = new ZipOutputStream(out);
            // The manifest first, so a reader can tell what the zip is from its first entry.
            z.putNextEntry(new ZipEntry(MANIFEST));
            z.write(JSON.writeValueAsBytes(manifest));
            z.closeEntry();
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
            z.finish();
        });
        return manifest;
    }

    /**
     * An export replaces only an earlier model archive, and never writes into a model folder: a Save dialog that
     * picked a project's picture, its annotations or a model's description would otherwise lose it (the command
     * line's {@code --model-zip} checks the same).
     */
    private static void refuseNonArchiveTarget(Path zip) throws ModelArchiveException {
        Path target = zip.toAbsolutePath().normalize();
        Path model = ModelFolder.enclosing(target);
        if (model != null) {
            throw new ModelArchiveException(zip, zip + " is inside the model folder " + model
                    + "; save the archive elsewhere");
        }
        if (Files.isDirectory(target)) {
            throw new ModelArchiveException(zip, zip + " is a folder; choose a file name for the archive");
        }
        if (Files.exists(target)) {
            try {
                inspect(target);
            } catch (ModelArchiveException notAnArchive) {
                throw new ModelArchiveException(zip, zip + " exists and is not a model archive; not replacing it "
                        + "(choose another name)", notAnArchive);
            }
        }
    }

    /**
     * Reads and checks an archive's manifest without unpacking.
     *
     * @param zip the archive
     * @return its manifest
     * @throws ModelArchiveException when the file is no readable DMDD model archive
     */
    public static Manifest inspect(Path zip) throws ModelArchiveException {
        try (ZipFile z = openZip(zip)) {
            return manifest(zip, z);
        } catch (ModelArchiveException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelArchiveException(zip, zip + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The method of the model an archive holds (a project keeps one model per method, so an import into a project
     * needs it before unpacking).
     *
     * @param zip the archive
     * @return the method its model description names (DMDD when it names none)
     * @throws ModelArchiveException when the archive is not a readable model archive
     */
    public static dmdd.model.dmdd.Method method(Path zip) throws ModelArchiveException {
        try (ZipFile z = openZip(zip)) {
            manifest(zip, z);
            ZipEntry entry = z.getEntry(ModelFolder.DESCRIPTION);
            if (entry == null) {
                throw new ModelArchiveException(zip, zip + " is incomplete: it has no " + ModelFolder.DESCRIPTION);
            }
            try (InputStream in = z.getInputStream(entry)) {
                return ModelFolder.settingsOf(JSON.readTree(in.readNBytes(1 << 22))).method();
            }
        } catch (ModelArchiveException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelArchiveException(zip, zip + " has a damaged " + ModelFolder.DESCRIPTION + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Unpacks and checks an archive, then makes it the model in {@code modelDir} (the model it replaces is kept as
     * a version, {@code ModelVersions}).
     *
     * @param zip      the archive
     * @param modelDir the model folder to create or replace
     * @return the imported model
     * @throws ModelArchiveException when the archive is refused (the existing model folder is then unchanged)
     * @throws IOException           when the file system fails
     */
    public static ModelFolder importInto(Path zip, Path modelDir) throws IOException {
        Path target = modelDir.toAbsolutePath().normalize();
        refuseNonModelTarget(zip, target);
        if (dmdd.model.project.Project.slotMethod(target).isPresent()) {
            try {
                dmdd.model.project.Project.requireSlotFor(modelDir, method(zip));
            } catch (IllegalArgumentException e) {
                throw new ModelArchiveException(zip, zip + " holds a model of another method: " + e.getMessage()
                        + ". Nothing was changed", e);
            }
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        removeStaleStaging(parent);
        Path staging = parent.resolve(STAGING_PREFIX + UUID.randomUUID());
        Files.createDirectories(staging);
        try (ZipFile z = openZip(zip);
             ProcessFileLock inUse = markInUse(staging, zip)) {
            Manifest manifest = manifest(zip, z);
            var entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.equals(MANIFEST)) {
                    continue;
                }
                FileInfo info = manifest.files().get(name);
                Path out = safeTarget(zip, staging, name);
                if (info == null || entry.isDirectory()) {
                    throw new ModelArchiveException(zip, zip + " holds '" + name
                            + "', which its manifest does not list; the archive was altered");
                }
                if (info.size() > MAX_ENTRY_BYTES) {
                    throw new ModelArchiveException(zip, zip + ": '" + name + "' claims " + info.size()
                            + " bytes, more than a model file can be");
                }
                unpack(zip, z, entry, out, info);
            }
            for (String name : manifest.files().keySet()) {
                if (!Files.isRegularFile(safeTarget(zip, staging, name))) {
                    throw new ModelArchiveException(zip, zip + " is incomplete: '" + name
                            + "' is listed in its manifest but missing");
                }
            }
            ModelFolder staged;
            byte[] weights;
            try {
                staged = ModelFolder.read(staging);
                // checked before anything in the target changes: the checksum, then that the weights fit the networks
                weights = staged.readWeights();
                try (ai.djl.ndarray.NDManager check = dmdd.model.engine.DjlRuntime.engine().newBaseManager()) {
                    staged.loadNetworks(check);
                }
            } catch (ModelFolderException e) {
                throw new ModelArchiveException(zip, zip + " does not hold a usable model: "
                        + e.getMessage().replace(staging.toString(), "the archive"), e);
            }
            // The same commit as a save: the folder holds the old model until the new one's description
            // switches, so a kill at any moment leaves one or the other. A checkpoint of another training
            // no longer belongs to the folder's model.
            // Only a verified model takes the folder's lock (so a refused archive creates nothing).
            try (ModelLock lock = ModelLock.acquire(target, "import-model " + zip.getFileName())) {
                ModelFolder current = sameModel(target, staged);
                if (current != null) {
                    // the same zip imported again: keeping the folder's model as a version would keep a copy of
                    // the very model that replaces it, once per import
                    return current;
                }
                // As after training: the model an import replaces stays as a version to go back to.
                dmdd.model.infer.ModelVersions.Kept kept =
                        Files.isRegularFile(target.resolve(ModelFolder.DESCRIPTION))
                        ? dmdd.model.infer.ModelVersions.keep(target) : null;
                ModelFolder imported;
                try {
                    imported = ModelFolder.commit(target, weights, staged.description());
                } catch (IOException | RuntimeException e) {
                    if (kept != null) {
                        dmdd.model.infer.ModelVersions.forget(target, kept, e);
                    }
                    throw e;
                }
                Files.deleteIfExists(target.resolve("checkpoint.safetensors"));
                return imported;
            }
        } finally {
            dmdd.datasets.image.Folders.deleteTree(staging);
        }
    }

    /**
     * Marks a staging folder as this import's. Another import removes an empty unmarked one (a killed import's, left
     * between the folder and its mark); if that was this one's, between the two steps, it is made again.
     */
    private static ProcessFileLock markInUse(Path staging, Path zip) throws IOException {
        String holder = "import-model " + zip.getFileName() + ", process " + ProcessHandle.current().pid();
        try {
            return ProcessFileLock.acquire(staging.resolve(STAGING_IN_USE), holder, false);
        } catch (java.nio.file.NoSuchFileException removed) {
            Files.createDirectories(staging);
            return ProcessFileLock.acquire(staging.resolve(STAGING_IN_USE), holder, false);
        }
    }

    /**
     * Staging folders of imports that were killed: only folders this class names ({@code .import-<uuid>}) that hold
     * its in-use mark and whose mark no running import holds, empty ones without a mark (killed before their mark),
     * or that have no mark and are over a day old (an older version's). Another import's folder, and anything else
     * in the parent (a user's home folder, say), stay.
     */
    private static void removeStaleStaging(Path parent) throws IOException {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(parent)) {
            candidates = entries.filter(ModelArchive::isStagingName).filter(Files::isDirectory).toList();
        }
        for (Path p : candidates) {
            Path mark = p.resolve(STAGING_IN_USE);
            if (!Files.isRegularFile(mark)) {
                if (isEmptyFolder(p)) {
                    // killed between making its folder and marking it (the mark is the first file in it): nothing
                    // to lose, and removed only while still empty
                    try {
                        Files.delete(p);
                    } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
                        // marked or removed meanwhile: another import's to keep or already gone
                    }
                } else if (Files.getLastModifiedTime(p).toInstant()
                        .isBefore(java.time.Instant.now().minus(UNMARKED_STAGING_AGE))) {
                    // an older version's (it wrote no mark): gone once no import of it can still run
                    dmdd.datasets.image.Folders.deleteTree(p);
                }
                continue;
            }
            // Probed through the process's own list of held files: opening the mark a second time from inside the
            // process and closing it would drop a running import's lock on Linux.
            boolean stale;
            try (ProcessFileLock probe = ProcessFileLock.acquire(mark, "removing a killed import's files", false)) {
                stale = true;
            } catch (IOException heldOrUnreadable) {
                stale = false;
            }
            if (stale) {
                dmdd.datasets.image.Folders.deleteTree(p);
            }
        }
    }

    private static boolean isEmptyFolder(Path p) throws IOException {
        try (Stream<Path> entries = Files.list(p)) {
            return entries.findAny().isEmpty();
        }
    }

    private static boolean isStagingName(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith(STAGING_PREFIX)) {
            return false;
        }
        try {
            UUID.fromString(name.substring(STAGING_PREFIX.length()));
            return name.length() == STAGING_PREFIX.length() + 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ZipFile openZip(Path zip) throws ModelArchiveException {
        if (!Files.isRegularFile(zip)) {
            throw new ModelArchiveException(zip, "no model archive at " + zip);
        }
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException e) {
            throw new ModelArchiveException(zip, zip + " is not a zip file or is damaged (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelArchiveException(zip, zip + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Manifest manifest(Path zip, ZipFile z) throws ModelArchiveException {
        ZipEntry entry = z.getEntry(MANIFEST);
        if (entry == null) {
            throw new ModelArchiveException(zip, zip + " is not a DMDD model archive (it has no " + MANIFEST
                    + "); export models with 'Export model' or 'dmdd export --model-zip'");
        }
        Manifest m;
        try (InputStream in = z.getInputStream(entry)) {
            m = JSON.readValue(in.readNBytes(1 << 20), Manifest.class);
        } catch (IOException e) {
            throw new ModelArchiveException(zip, zip + " has a damaged manifest " + MANIFEST + ": " + e.getMessage(), e);
        }
        if (m == null || !FORMAT.equals(m.format())) {
            throw new ModelArchiveException(zip, zip + " is not a DMDD model archive (its " + MANIFEST
                    + " describes '" + (m == null ? null : m.format()) + "')");
        }
        if (m.formatVersion() > FORMAT_VERSION || m.formatVersion() < 1) {
            throw new ModelArchiveException(zip, zip + " has archive format version " + m.formatVersion()
                    + "; this DMDD Inspector reads version " + FORMAT_VERSION
                    + (m.formatVersion() > FORMAT_VERSION ? " (it was exported by a newer version "
                    + m.applicationVersion() + ")" : ""));
        }
        if (m.files() == null || !m.files().keySet().containsAll(MODEL_FILES)) {
            throw new ModelArchiveException(zip, zip + " is incomplete: its manifest must list " + MODEL_FILES);
        }
        if (!MODEL_FILES.containsAll(m.files().keySet())) {
            // Nothing but the model travels: an extra file, however well checksummed, is unpacked for nothing
            // (gigabytes of zeros compress to a few kilobytes).
            throw new ModelArchiveException(zip, zip + " lists files besides " + MODEL_FILES + " ("
                    + m.files().keySet().stream().filter(n -> !MODEL_FILES.contains(n)).sorted().toList()
                    + "); a model archive holds only those, the archive was altered");
        }
        FileInfo description = m.files().get(ModelFolder.DESCRIPTION);
        if (description != null && description.size() > MAX_DESCRIPTION_BYTES) {
            throw new ModelArchiveException(zip, zip + ": '" + ModelFolder.DESCRIPTION + "' claims "
                    + description.size() + " bytes, more than a model description can be");
        }
        return m;
    }

    /** The file an entry unpacks to, refusing any name that could leave the staging folder (zip-slip). */
    private static Path safeTarget(Path zip, Path staging, String name) throws ModelArchiveException {
        boolean plain = !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.contains(":")
                && !name.equals(".") && !name.equals("..") && !name.startsWith(".");
        Path out = staging.resolve(name).normalize();
        if (!plain || !out.getParent().equals(staging)) {
            throw new ModelArchiveException(zip, zip + " holds an entry with an unsafe path '" + name
                    + "'; refused (a model archive holds plain file names only)");
        }
        return out;
    }

    private static void unpack(Path zip, ZipFile z, ZipEntry entry, Path out, FileInfo info) throws IOException {
        MessageDigest sha = newSha256();
        long written;
        try (InputStream raw = z.getInputStream(entry);
             DigestInputStream in = new DigestInputStream(raw, sha);
             OutputStream os = Files.newOutputStream(out)) {
            written = copyLimited(in, os, info.size(), out);
        } catch (ZipException e) {
            throw new ModelArchiveException(zip, zip + " is damaged: '" + entry.getName() + "' cannot be unpacked ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Unexpected end of ZLIB")) {
                throw new ModelArchiveException(zip, zip + " is damaged: '" + entry.getName() + "' is truncated", e);
            }
            throw e;
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (written != info.size() || !actual.equalsIgnoreCase(info.sha256())) {
            throw new ModelArchiveException(zip, zip + " is damaged: '" + entry.getName() + "' has " + written
                    + " bytes with checksum " + actual.substring(0, 12) + "..., the manifest says " + info.size()
                    + " bytes with " + (info.sha256() == null ? "none" : info.sha256().substring(0,
                    Math.min(12, info.sha256().length()))) + "...");
        }
    }

    private static long copyLimited(InputStream in, OutputStream out, long expected, Path target) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > expected) {
                // Longer than the manifest says: stop before a zip bomb fills the disk.
                return total;
            }
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                // a full disk says only "No space left on device": which file, and that the model stays, is the news
                throw new IOException("cannot write " + target + " (" + e.getMessage() + "); the model folder is "
                        + "unchanged", e);
            }
        }
        return total;
    }

    /**
     * An import replaces a model folder or fills an empty or new one, never anything else: a typo that names
     * {@code ~/Documents} must not delete it.
     */
    private static void refuseNonModelTarget(Path zip, Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new ModelArchiveException(zip, target + " is a file, not a model folder; nothing was changed");
        }
        if (holdsUnfinishedRun(target)) {
            // the import would remove it, and with it every step since the run's start
            throw new ModelArchiveException(zip, target + " holds the checkpoint of a training run that has not "
                    + "finished (" + dmdd.model.train.Checkpoint.FILE_NAME + "); finish it with train --resume (or "
                    + "Resume in the workstation), or delete that file to replace it with the imported model. Nothing "
                    + "was changed");
        }
        if (Files.isRegularFile(target.resolve(ModelFolder.DESCRIPTION))) {
            return;
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals(ModelLock.FILE))) {
                throw new ModelArchiveException(zip, target + " is not a model folder (it has no "
                        + ModelFolder.DESCRIPTION + ") and is not empty; import into a new or empty folder or an "
                        + "existing model folder. Nothing was changed");
            }
        }
    }

    /**
     * The folder's model when it is the staged one, intact (the same sealed description, so the same settings,
     * thresholds and weights, and weights whose bytes match their checksum), else {@code null}.
     */
    private static ModelFolder sameModel(Path target, ModelFolder staged) {
        if (!Files.isRegularFile(target.resolve(ModelFolder.DESCRIPTION))) {
            return null;
        }
        try {
            ModelFolder current = ModelFolder.read(target);
            String seal = current.description().path(ModelFolder.SEAL).asText("");
            if (seal.isEmpty() || !seal.equals(staged.description().path(ModelFolder.SEAL).asText())) {
                return null;
            }
            // "import its zip again" is the advice for damaged weights: such a folder is repaired, not left as it is
            current.readWeights();
            return current;
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable model is replaced as before
        }
    }

    /**
     * Whether a folder holds the checkpoint of a run that has not done all its steps. Read from the checkpoint
     * itself, not from file times: a copied model folder ({@code cp -r}) has its files' times in copy order.
     */
    private static boolean holdsUnfinishedRun(Path folder) {
        Path file = folder.resolve(dmdd.model.train.Checkpoint.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (ai.djl.ndarray.NDManager manager = dmdd.model.engine.DjlRuntime.engine().newBaseManager()) {
            dmdd.model.train.Checkpoint checkpoint = dmdd.model.train.Checkpoint.read(file, manager);
            return checkpoint.completedSteps() < checkpoint.settings().totalSteps();
        } catch (IOException e) {
            return false; // no run anyone could resume
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
