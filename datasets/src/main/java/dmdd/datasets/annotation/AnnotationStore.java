package dmdd.datasets.annotation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.UnreadableImageException;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where annotations live on disk, in the MVTec AD layout so that any MVTec tool reads them:
 * <pre>
 * &lt;images&gt;/&lt;folder&gt;/&lt;stem&gt;.png              the annotated images (a project's inspect/, or a category's test/)
 * &lt;ground_truth&gt;/&lt;type&gt;/&lt;stem&gt;_mask.png   the defect masks, 8-bit gray 0/255, named after the image
 * &lt;labels file&gt;                           annotations.json: label and defect type per image
 * </pre>
 * <b>Mapping.</b> An image's mask is {@code ground_truth/<defect type>/<image stem>_mask.png}. For an image
 * imported from an MVTec category (it sits in {@code <images>/<type>/}) that is exactly the file MVTec
 * ships, so imported ground truth appears as annotations without any conversion and edits overwrite it in
 * place. An image outside a defect folder (imported without labels, or in {@code good/}) gets its mask in the
 * folder of the type the user names; when that name is already taken by another image's mask, the mask is
 * called {@code <image folder>_<stem>_mask.png} instead, and the labels file records which mask belongs to
 * which image. The labels file holds the label (ok, defect, unlabelled), the defect type and the mask path
 * of every image a person touched, plus the defect types the user named. Images it does not mention get
 * their annotation from the folder they sit in: {@code good/} is OK, a defect folder is a defect of that
 * type (with its MVTec mask when there is one), anything else is unlabelled.
 *
 * <p><b>Saving.</b> Every {@link #save} writes at once and atomically ({@link AtomicFiles}): the mask first,
 * then the labels file, then removes a mask that the change made obsolete. Killing the process at any moment
 * leaves every file either in its old or in its new complete state. Thread-safe.
 */
public final class AnnotationStore {
    /** Name of the labels file. */
    public static final String LABELS_FILE = "annotations.json";
    /** Format version written into the labels file. */
    public static final int FORMAT_VERSION = 1;
    private static final String MASK_SUFFIX = "_mask.png";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path imagesRoot;
    /** Names of the folders whose images are normal ({@code good}, and a project's {@code <part>-good}). */
    private final Set<String> goodFolders;
    private final Path groundTruthRoot;
    private final Path labelsFile;
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private final TreeSet<String> namedTypes = new TreeSet<>();
    /**
     * Fields of the labels file this version does not know (another tool's, a newer version's, a person's notes),
     * at the top and per image, written back unchanged: a save must not drop what it did not write.
     */
    private ObjectNode unknownTopFields = JSON.createObjectNode();
    private final Map<String, ObjectNode> unknownImageFields = new TreeMap<>();
    private static final Set<String> TOP_FIELDS = Set.of("format", "version", "defect_types", "images");
    private static final Set<String> ENTRY_FIELDS = Set.of("label", "defect_type", "mask");

    /**
     * One image's record in the labels file.
     *
     * @param label      the label
     * @param defectType the defect type, or {@code null}
     * @param mask       the mask path relative to the ground-truth folder ({@code /} separated), or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(@JsonProperty("label") Label label, @JsonProperty("defect_type") String defectType,
                 @JsonProperty("mask") String mask) {
    }

    /**
     * The labels file as JSON.
     *
     * @param format      always {@code dmdd-annotations}
     * @param version     {@link #FORMAT_VERSION}
     * @param defectTypes the types the user named
     * @param images      entries by image path relative to the images folder
     */
    record LabelsFile(@JsonProperty("format") String format, @JsonProperty("version") int version,
                      @JsonProperty("defect_types") List<String> defectTypes,
                      @JsonProperty("images") Map<String, Entry> images) {
    }

    private AnnotationStore(Path imagesRoot, Path groundTruthRoot, Path labelsFile, Set<String> goodFolders) {
        this.goodFolders = Set.copyOf(goodFolders);
        this.imagesRoot = imagesRoot.toAbsolutePath().normalize();
        this.groundTruthRoot = groundTruthRoot.toAbsolutePath().normalize();
        this.labelsFile = labelsFile.toAbsolutePath().normalize();
    }

    /**
     * Opens (or starts) the annotations of a folder of images.
     *
     * @param imagesRoot      the folder of annotated images (sub-folders allowed)
     * @param groundTruthRoot the folder of masks ({@code ground_truth})
     * @param labelsFile      the labels file (created on the first save)
     * @return the store
     * @throws IOException when the labels file exists but cannot be read; the message names it and the problem
     */
    public static AnnotationStore open(Path imagesRoot, Path groundTruthRoot, Path labelsFile) throws IOException {
        return open(imagesRoot, groundTruthRoot, labelsFile, Set.of(MvtecCategory.GOOD));
    }

    private static AnnotationStore open(Path imagesRoot, Path groundTruthRoot, Path labelsFile,
            Set<String> goodFolders) throws IOException {
        AnnotationStore store = new AnnotationStore(imagesRoot, groundTruthRoot, labelsFile, goodFolders);
        store.load();
        store.removeStaleTemporaryFiles();
        return store;
    }

    /**
     * Opens the annotations of an MVTec AD category: its {@code test/} images, its {@code ground_truth/}
     * masks, and {@code annotations.json} in the category folder.
     *
     * @param category the category folder
     * @return the store
     * @throws IOException when the labels file exists but cannot be read
     */
    public static AnnotationStore forMvtecCategory(Path category) throws IOException {
        return open(category.resolve("test"), category.resolve("ground_truth"), category.resolve(LABELS_FILE));
    }

    /**
     * Opens the annotations of a workstation project: its {@code inspect/} images, {@code ground_truth/}
     * masks and {@code annotations.json} in the project folder (the layout in docs/ARCHITECTURE.md).
     *
     * @param project the project folder
     * @return the store
     * @throws IOException when the labels file exists but cannot be read
     */
    public static AnnotationStore forProject(Path project) throws IOException {
        // A project of several part types keeps each one's good test images in inspect/<part>-good/, the part
        // being a set of normal images (normal/<part>/); only those and good/ are folders of normal images.
        Set<String> good = new java.util.HashSet<>(Set.of(MvtecCategory.GOOD));
        Path normal = project.resolve("normal");
        if (Files.isDirectory(normal)) {
            try (var sets = Files.list(normal)) {
                sets.filter(Files::isDirectory).forEach(set -> good.add(set.getFileName() + "-" + MvtecCategory.GOOD));
            }
        }
        return open(project.resolve("inspect"), project.resolve("ground_truth"), project.resolve(LABELS_FILE), good);
    }

    /** Whether images in this folder (directly under the images folder's tree) are normal ones. */
    private boolean isGoodFolder(String folder) {
        return folder != null && goodFolders.contains(folder);
    }

    private void load() throws IOException {
        if (!Files.exists(labelsFile)) {
            return;
        }
        LabelsFile file;
        JsonNode tree;
        try {
            tree = JSON.readTree(labelsFile.toFile());
            file = tree == null || !tree.isObject() ? null : JSON.treeToValue(tree, LabelsFile.class);
        } catch (JsonProcessingException e) {
            throw new IOException("annotations file " + labelsFile + " is damaged: " + e.getOriginalMessage(), e);
        }
        if (file == null || !"dmdd-annotations".equals(file.format())) {
            throw new IOException("annotations file " + labelsFile + " is not a DMDD annotations file");
        }
        if (file.version() > FORMAT_VERSION) {
            throw new IOException("annotations file " + labelsFile + " has format version " + file.version()
                    + "; this version of the application reads up to " + FORMAT_VERSION);
        }
        if (file.images() != null) {
            for (Map.Entry<String, Entry> e : file.images().entrySet()) {
                Entry v = e.getValue();
                if (v == null) {
                    continue;
                }
                if (v.label() == null) {
                    // written by hand or by another tool: kept as not yet labelled, with its mask and fields, which
                    // the next save would otherwise drop
                    v = new Entry(Label.UNLABELLED, v.defectType(), v.mask());
                }
                if (v.label() == Label.DEFECT && v.defectType() != null) {
                    try {
                        DefectTypes.validate(v.defectType());
                    } catch (IllegalArgumentException invalid) {
                        // Refused here, naming the file and the image, not later in whichever screen reads it.
                        throw new IOException("annotations file " + labelsFile + ": image " + e.getKey()
                                + " has the defect type '" + v.defectType() + "', which is not a valid type name ("
                                + invalid.getMessage() + ")", invalid);
                    }
                }
                entries.put(e.getKey(), v);
            }
        }
        if (file.defectTypes() != null) {
            file.defectTypes().stream().filter(DefectTypes::isValid).forEach(namedTypes::add);
        }
        keepUnknownFields((ObjectNode) tree);
    }

    private void keepUnknownFields(ObjectNode tree) {
        unknownTopFields = tree.deepCopy();
        unknownTopFields.remove(TOP_FIELDS);
        JsonNode images = tree.get("images");
        if (images == null || !images.isObject()) {
            return;
        }
        images.fields().forEachRemaining(image -> {
            if (image.getValue().isObject() && entries.containsKey(image.getKey())) {
                ObjectNode unknown = image.getValue().deepCopy();
                unknown.remove(ENTRY_FIELDS);
                if (!unknown.isEmpty()) {
                    unknownImageFields.put(image.getKey(), unknown);
                }
            }
        });
    }

    /**
     * Removes temporary files that a killed process left behind ({@link AtomicFiles} writes into {@code .tmp-*} files
     * before the rename), only stale ones ({@link AtomicFiles#removeStale}), so a save running in another process at
     * the same moment is never disturbed.
     */
    private void removeStaleTemporaryFiles() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(labelsFile.getParent());
        if (Files.isDirectory(groundTruthRoot)) {
            try (var s = Files.list(groundTruthRoot)) {
                s.filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException e) {
                return;
            }
        }
        dirs.forEach(AtomicFiles::removeStale);
    }

    /** @return the folder of annotated images */
    public Path imagesRoot() {
        return imagesRoot;
    }

    /** @return the folder of masks */
    public Path groundTruthRoot() {
        return groundTruthRoot;
    }

    /** @return the labels file */
    public Path labelsFile() {
        return labelsFile;
    }

    /**
     * Reads an image's annotation.
     *
     * @param image an image inside the images folder
     * @return its annotation (see the class comment for images the labels file does not mention)
     * @throws IOException when its mask file exists but cannot be read (the message names the file)
     */
    public synchronized ImageAnnotation load(Path image) throws IOException {
        String key = key(image);
        Entry entry = entries.get(key);
        if (entry == null) {
            String folder = folderType(key);
            if (isGoodFolder(folder)) {
                return ImageAnnotation.OK;
            }
            if (folder == null || !DefectTypes.isValid(folder)) {
                return ImageAnnotation.UNLABELLED;
            }
            String conventional = conventionalMask(key);
            return ImageAnnotation.defect(folder, conventional == null ? null
                    : readMask(groundTruthRoot.resolve(conventional)));
        }
        if (entry.label() != Label.DEFECT) {
            return new ImageAnnotation(entry.label(), null, null);
        }
        Mask mask = null;
        Path file = maskInside(entry.mask());
        if (file != null && Files.isRegularFile(file)) {
            mask = readMask(file);
        }
        return ImageAnnotation.defect(entry.defectType(), mask);
    }

    /**
     * Whether the labels file holds an annotation for an image of this folder and stem (with any extension),
     * whether or not the image is still there: a new image under that name would inherit it.
     *
     * @param folder a folder inside the images folder (or the images folder itself)
     * @param stem   a file name without its extension
     * @return whether such an annotation exists
     */
    public synchronized boolean mentions(Path folder, String stem) {
        Path abs = folder.toAbsolutePath().normalize();
        if (!abs.startsWith(imagesRoot)) {
            return false;
        }
        String prefix = abs.equals(imagesRoot) ? "" : imagesRoot.relativize(abs).toString().replace('\\', '/') + "/";
        return entries.keySet().stream().anyMatch(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0
                && stem(k).equals(stem));
    }

    /**
     * An image's label and defect type without reading its mask (cheap enough for a list of thousands).
     *
     * @param image an image inside the images folder
     * @return its annotation with {@code mask == null}
     */
    public synchronized ImageAnnotation loadLabel(Path image) {
        String key = key(image);
        Entry entry = entries.get(key);
        if (entry == null) {
            String folder = folderType(key);
            if (isGoodFolder(folder)) {
                return ImageAnnotation.OK;
            }
            return folder == null || !DefectTypes.isValid(folder) ? ImageAnnotation.UNLABELLED
                    : ImageAnnotation.defect(folder, null);
        }
        return new ImageAnnotation(entry.label(), entry.defectType(), null);
    }

    /**
     * The type a newly defective image gets: its folder when that is a defect type, otherwise {@link DefectTypes#DEFAULT}.
     *
     * @param image an image inside the images folder
     * @return a valid defect type
     */
    public String suggestedDefectType(Path image) {
        String folder = folderType(key(image));
        return folder != null && !isGoodFolder(folder) && DefectTypes.isValid(folder) ? folder : DefectTypes.DEFAULT;
    }

    /**
     * Saves an image's annotation at once, atomically (see the class comment for the order of writes).
     *
     * @param image      an image inside the images folder
     * @param annotation its annotation
     * @throws IOException when a write fails (the files then hold the old or the new state, per file)
     */
    public synchronized void save(Path image, ImageAnnotation annotation) throws IOException {
        String key = key(image);
        Entry old = entries.get(key);
        String oldMask = old != null ? old.mask() : conventionalMask(key);
        boolean oldDefect = old != null ? old.label() == Label.DEFECT : oldMask != null;
        String newMask = null;
        if (annotation.hasMask()) {
            newMask = maskPathFor(key, annotation.defectType());
            MaskIo.write(annotation.mask(), groundTruthRoot.resolve(newMask));
        } else if (oldMask != null && (!oldDefect || annotation.label() == Label.OK)) {
            // A mask is set aside, not deleted, when the image is marked OK (one mistaken key in the review
            // would otherwise destroy ground truth), stays aside while it is not a defect, and comes back when
            // it is marked defective again without a new one. Erasing the mask of a defect (defect to defect
            // without a mask) and taking a defect's label away (an undone paint) still remove it.
            newMask = oldMask;
        }
        Entry entry = new Entry(annotation.label(), annotation.defectType(), newMask);
        entries.put(key, entry);
        if (annotation.defectType() != null) {
            namedTypes.add(annotation.defectType());
        }
        writeLabels();
        Path obsolete = oldMask == null || oldMask.equals(newMask) || isReferenced(oldMask, key) ? null
                : maskInside(oldMask);
        if (obsolete != null) {
            Files.deleteIfExists(obsolete);
        }
    }

    /**
     * Adds a defect type to the list the user picks from (saved at once).
     *
     * @param type the name
     * @return the validated name
     * @throws IOException when the labels file cannot be written
     */
    public synchronized String addDefectType(String type) throws IOException {
        String t = DefectTypes.validate(type);
        if (namedTypes.add(t)) {
            writeLabels();
        }
        return t;
    }

    /**
     * The defect types to offer: the ones the user named, the ones in use, and the defect folders of
     * the images and masks on disk.
     *
     * @return sorted names
     */
    public synchronized List<String> defectTypes() {
        Set<String> types = new TreeSet<>(namedTypes);
        entries.values().stream().map(Entry::defectType).filter(t -> t != null).forEach(types::add);
        for (Path dir : new Path[] {imagesRoot, groundTruthRoot}) {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                            .filter(DefectTypes::isValid).forEach(types::add);
                } catch (IOException e) {
                    // Only suggestions; a folder that cannot be listed offers none.
                }
            }
        }
        return new ArrayList<>(types);
    }

    /**
     * Where an image's mask is (or would be when it is painted with its current type).
     *
     * @param image an image inside the images folder
     * @return the mask file, or {@code null} when the image is not defective
     * @throws IOException never in practice; declared for symmetry with {@link #load(Path)}
     */
    public synchronized Path maskFile(Path image) throws IOException {
        String key = key(image);
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry.label() == Label.DEFECT ? maskInside(entry.mask()) : null;
        }
        String conventional = conventionalMask(key);
        return conventional == null ? null : groundTruthRoot.resolve(conventional);
    }

    private String maskPathFor(String key, String type) {
        String preferred = type + "/" + stem(key) + MASK_SUFFIX;
        if (isFreeFor(preferred, key, type)) {
            return preferred;
        }
        String folder = folderType(key);
        String prefix = folder == null ? "root" : folder;
        String alternative = type + "/" + prefix + "_" + stem(key) + MASK_SUFFIX;
        for (int n = 2; !isFreeFor(alternative, key, type); n++) {
            alternative = type + "/" + prefix + "_" + stem(key) + "_" + n + MASK_SUFFIX;
        }
        return alternative;
    }

    /** Whether a mask path can be used for an image without taking another image's mask. */
    private boolean isFreeFor(String maskPath, String key, String type) {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getKey().equals(key) && maskPath.equals(e.getValue().mask())) {
                return false;
            }
        }
        // its own MVTec name, unless another image of the folder has the same stem (000.png, 000.jpg)
        if (type.equals(folderType(key)) && !sharedStems(type).contains(stem(key))) {
            return true;
        }
        if (ownedByUnlistedImage(maskPath, key)) {
            return false;
        }
        return !Files.exists(groundTruthRoot.resolve(maskPath)) || maskPath.equals(conventionalMask(key));
    }

    /**
     * Whether a mask belongs to an image other than {@code key}: one the labels file names it for, or the image
     * without an entry whose MVTec mask it is by name ({@code <type>/<stem>_mask.*} of {@code <images>/<type>/<stem>.*};
     * a hand-edited labels file that points an image at another's mask must not make a save delete that one).
     */
    private boolean isReferenced(String maskPath, String key) {
        return entries.entrySet().stream().anyMatch(e -> !e.getKey().equals(key) && maskPath.equals(e.getValue().mask()))
                || ownedByUnlistedImage(maskPath, key);
    }

    /**
     * Whether a mask is, by the MVTec convention, that of an image other than {@code key} without an entry of its
     * own: {@code <type>/<stem>_mask.*} belongs to {@code <images>/<type>/<stem>.*}. When the folder cannot be listed
     * the mask counts as owned (it is neither taken nor removed).
     */
    private boolean ownedByUnlistedImage(String maskPath, String key) {
        int slash = maskPath.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String type = maskPath.substring(0, slash);
        String name = stem(maskPath.substring(slash + 1));
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith("_mask")) {
            return false;
        }
        String ownerStem = name.substring(0, name.length() - "_mask".length());
        Path ownerFolder = imagesRoot.resolve(type).normalize();
        if (!ownerFolder.startsWith(imagesRoot) || !Files.isDirectory(ownerFolder)) {
            return false;
        }
        try (var s = Files.list(ownerFolder)) {
            return s.map(p -> type + "/" + p.getFileName())
                    .anyMatch(owner -> !owner.equals(key) && !entries.containsKey(owner)
                            && stem(owner.substring(slash + 1)).equals(ownerStem));
        } catch (IOException e) {
            return true; // cannot tell whose it is: keep it
        }
    }

    /**
     * The MVTec mask of an image in a defect folder: {@code <type>/<stem>_mask.png}, or with another image
     * extension as MVTec categories may bring ({@code _mask.bmp}, {@code _MASK.png}; the layout reader accepts
     * them too), or {@code null}.
     */
    private String conventionalMask(String key) {
        String folder = folderType(key);
        if (folder == null || !DefectTypes.isValid(folder)) {
            return null;
        }
        if (sharedStems(folder).contains(stem(key))) {
            return null; // 000.png and 000.jpg would both claim 000_mask.png: neither does, nobody can say whose it is
        }
        String path = folder + "/" + stem(key) + MASK_SUFFIX;
        if (Files.isRegularFile(groundTruthRoot.resolve(path))) {
            return path; // the usual name, without listing the folder
        }
        try {
            Path mask = MvtecCategory.masksByStem(groundTruthRoot.resolve(folder)).get(stem(key));
            return mask == null ? null : folder + "/" + mask.getFileName();
        } catch (IOException e) {
            return null;
        }
    }

    /** Per images folder: its modification time when listed, and the stems two or more of its images share. */
    private final Map<String, Map.Entry<java.nio.file.attribute.FileTime, Set<String>>> sharedStems = new HashMap<>();

    /** The stems more than one image of a folder has (read again when the folder changed). */
    private Set<String> sharedStems(String folder) {
        Path dir = imagesRoot.resolve(folder);
        try {
            java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(dir);
            var known = sharedStems.get(folder);
            if (known != null && known.getKey().equals(modified)) {
                return known.getValue();
            }
            Set<String> shared = MvtecCategory.sharedStems(dmdd.datasets.image.ImageFiles.list(dir));
            sharedStems.put(folder, Map.entry(modified, shared));
            return shared;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * A mask path of the labels file as a file inside the masks folder, or {@code null} when it has none or names
     * a place outside it (a hand-edited labels file must never make a save delete or overwrite a file elsewhere).
     */
    private Path maskInside(String maskPath) {
        if (maskPath == null) {
            return null;
        }
        Path file = groundTruthRoot.resolve(maskPath).normalize();
        return file.startsWith(groundTruthRoot) && !file.equals(groundTruthRoot) ? file : null;
    }

    private void writeLabels() throws IOException {
        LabelsFile file = new LabelsFile("dmdd-annotations", FORMAT_VERSION, new ArrayList<>(namedTypes),
                new TreeMap<>(entries));
        ObjectNode tree = JSON.valueToTree(file);
        tree.setAll(unknownTopFields.deepCopy());
        JsonNode images = tree.get("images");
        unknownImageFields.forEach((image, unknown) -> {
            if (images.get(image) instanceof ObjectNode known) {
                known.setAll(unknown.deepCopy());
            }
        });
        AtomicFiles.write(labelsFile, out -> JSON.writeValue(out, tree));
    }

    private Mask readMask(Path file) throws IOException {
        try {
            return MaskIo.read(file);
        } catch (UnreadableImageException e) {
            throw new IOException("mask " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private String key(Path image) {
        Path abs = image.toAbsolutePath().normalize();
        if (!abs.startsWith(imagesRoot) || abs.equals(imagesRoot)) {
            throw new IllegalArgumentException(image + " is not inside the annotated folder " + imagesRoot);
        }
        return imagesRoot.relativize(abs).toString().replace('\\', '/');
    }

    /** The image's immediate folder under the images root, or {@code null} for an image directly in it. */
    private static String folderType(String key) {
        int slash = key.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        String parent = key.substring(0, slash);
        int up = parent.lastIndexOf('/');
        return up < 0 ? parent : parent.substring(up + 1);
    }

    private static String stem(String keyOrName) {
        String name = keyOrName.substring(keyOrName.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
