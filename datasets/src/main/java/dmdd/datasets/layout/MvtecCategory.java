package dmdd.datasets.layout;

import dmdd.datasets.image.FolderWalk;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageLoader;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One category of the MVTec AD layout, exactly as the public dataset ships it:
 * <pre>
 * &lt;category&gt;/train/good/000.png ...                 normal training images
 * &lt;category&gt;/test/good/000.png ...                  normal test images (no masks)
 * &lt;category&gt;/test/&lt;defect-type&gt;/000.png ...         defective test images
 * &lt;category&gt;/ground_truth/&lt;defect-type&gt;/000_mask.png  their masks (0 normal, 255 defect)
 * </pre>
 * A test image {@code test/<type>/<stem>.<ext>} has the mask
 * {@code ground_truth/<type>/<stem>_mask.<ext>} (any image extension). The {@code test} folder is
 * optional (a category can be for training only); {@code train/good} is required.
 */
public final class MvtecCategory {
    /** The name of the folder of normal images, in {@code train/} and {@code test/}. */
    public static final String GOOD = "good";

    private final Path root;

    /**
     * One test image.
     *
     * @param image      the image file
     * @param defectType the name of its folder in {@code test/}; {@link #GOOD} for normal images
     * @param maskOrNull its mask file, or {@code null} for good images and defect images whose
     *                   mask is missing
     */
    public record TestSample(Path image, String defectType, Path maskOrNull) {
        /** @return whether this image shows a defect (its type is not {@code good}) */
        public boolean isDefective() {
            return !GOOD.equals(defectType);
        }
    }

    /**
     * A test image read with its mask.
     *
     * @param sample the files
     * @param image  the image
     * @param mask   the mask at the image's size; empty for good images
     */
    public record LoadedTestSample(TestSample sample, RgbImage image, Mask mask) {
    }

    private MvtecCategory(Path root) {
        this.root = root;
    }

    /**
     * Opens a category folder and checks its layout.
     *
     * @param root the category folder (the one that holds {@code train/})
     * @return the category
     * @throws InvalidLayoutException when the folder is missing or has no {@code train/good};
     *                                the message names the expected path and, when the folder
     *                                looks like a parent or a child of a category, says so
     */
    public static MvtecCategory open(Path root) throws InvalidLayoutException {
        if (!Files.exists(root)) {
            throw new InvalidLayoutException(root, "Dataset folder " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidLayoutException(root, root + " is a file; expected an MVTec AD category folder");
        }
        Path trainGood = root.resolve("train").resolve(GOOD);
        if (!Files.isDirectory(trainGood)) {
            StringBuilder message = new StringBuilder("Not an MVTec AD category: expected the folder ")
                    .append(trainGood).append(" with normal training images");
            List<String> categories = childCategories(root);
            if (!categories.isEmpty()) {
                message.append("; ").append(root).append(" holds categories (")
                        .append(String.join(", ", categories)).append("), open one of them");
            } else if (root.getFileName() != null && (root.getFileName().toString().equals("train")
                    || root.getFileName().toString().equals(GOOD))) {
                message.append("; open the category folder above ").append(root).append(" instead");
            }
            throw new InvalidLayoutException(root, message.toString());
        }
        return new MvtecCategory(root);
    }

    private static List<String> childCategories(Path dir) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p.resolve("train").resolve(GOOD)))
                    .map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        } catch (IOException e) {
            // Only a hint for the message; the error is reported anyway.
        }
        return names;
    }

    /** @return the category folder */
    public Path root() {
        return root;
    }

    /** @return the category's name (its folder name) */
    public String name() {
        return root.toAbsolutePath().normalize().getFileName().toString();
    }

    /**
     * @return the normal training image files, sorted
     * @throws IOException when the folder cannot be listed
     */
    public List<Path> trainGood() throws IOException {
        return ImageFiles.list(root.resolve("train").resolve(GOOD));
    }

    /**
     * @return the defect types present in {@code test/} (folder names other than {@code good}), sorted
     * @throws IOException when the folder cannot be listed
     */
    public List<String> defectTypes() throws IOException {
        return testFolders().stream().filter(t -> !t.equals(GOOD)).toList();
    }

    /**
     * The test images: {@code good} first, then each defect type in name order, each sorted by
     * file name.
     *
     * @return the test samples (empty when there is no {@code test/} folder)
     * @throws IOException when a folder cannot be listed
     */
    public List<TestSample> test() throws IOException {
        List<TestSample> samples = new ArrayList<>();
        for (String type : testFolders()) {
            Map<String, Path> masks = GOOD.equals(type) ? Map.of() : masksByStem(type);
            List<Path> images = ImageFiles.list(root.resolve("test").resolve(type));
            Set<String> shared = sharedStems(images);
            for (Path image : images) {
                String stem = stem(image);
                samples.add(new TestSample(image, type, shared.contains(stem) ? null : masks.get(stem)));
            }
        }
        return samples;
    }

    /**
     * Reads the normal training images.
     *
     * @param reader the reader (it sets the image size)
     * @return the images and the skipped files with reasons
     * @throws IOException when the folder cannot be listed
     */
    public ImportReport<LoadedImage> loadTrainGood(ImageLoader reader) throws IOException {
        List<ImportReport.Skipped> others = new ArrayList<>();
        for (Path other : ImageFiles.otherFiles(root.resolve("train").resolve(GOOD), false)) {
            others.add(new ImportReport.Skipped(other, ImageFiles.notAnImage()));
        }
        return ImportReport.loadAll(trainGood(), f -> new LoadedImage(f, reader.read(f))).withSkipped(others);
    }

    /**
     * Reads the test images with their masks, resized (nearest) to the image size. A defect image
     * without a mask file, or with an unreadable one, is skipped with the reason: it could only
     * be scored as an image, and evaluating pixels needs the mask.
     *
     * @param reader the reader (it sets the image size)
     * @return the samples and the skipped files with reasons
     * @throws IOException when a folder cannot be listed
     */
    public ImportReport<LoadedTestSample> loadTest(ImageLoader reader) throws IOException {
        List<TestSample> samples = test();
        Map<Path, TestSample> byImage = new HashMap<>();
        samples.forEach(s -> byImage.put(s.image(), s));
        return ImportReport.loadAll(samples.stream().map(TestSample::image).toList(), file -> {
            TestSample sample = byImage.get(file);
            RgbImage image = reader.read(file);
            Mask mask;
            if (!sample.isDefective()) {
                mask = Mask.empty(image.width(), image.height());
            } else if (sample.maskOrNull() == null) {
                Path shared = masksByStem(sample.defectType()).get(stem(file));
                if (shared != null) {
                    throw new IOException("another image in test/" + sample.defectType() + " has the same name "
                            + "before its extension, so the mask " + shared + " cannot say which of them it belongs "
                            + "to (rename one of them, and its mask)");
                }
                throw new IOException("no mask: expected " + expectedMaskPath(sample));
            } else {
                Mask full;
                try {
                    full = MaskIo.read(sample.maskOrNull());
                } catch (dmdd.datasets.image.UnreadableImageException e) {
                    throw new IOException("its mask " + e.file() + " cannot be read: " + e.reason(), e);
                }
                int[] size = dmdd.datasets.image.ImageReader.dimensions(file);
                if (full.width() != size[0] || full.height() != size[1]) {
                    // Never stretched onto an image it was not drawn for.
                    throw new IOException("its mask " + sample.maskOrNull() + " is " + full.width() + " x "
                            + full.height() + " px but the image is " + size[0] + " x " + size[1] + " px");
                }
                mask = full.resize(image.width(), image.height());
            }
            return new LoadedTestSample(sample, image, mask);
        });
    }

    /**
     * @param sample a test sample
     * @return where its mask belongs, {@code ground_truth/<type>/<stem>_mask.png}
     */
    public Path expectedMaskPath(TestSample sample) {
        return root.resolve("ground_truth").resolve(sample.defectType()).resolve(stem(sample.image()) + "_mask.png");
    }

    private List<String> testFolders() throws IOException {
        Path test = root.resolve("test");
        if (!Files.isDirectory(test)) {
            return List.of();
        }
        List<Path> folders = typeFolders(test);
        Set<Path> linked = new HashSet<>();
        for (FolderWalk.NotFollowed link : linksAmong(folders)) {
            linked.add(link.link());
        }
        List<String> types = new ArrayList<>();
        for (Path folder : folders) {
            if (!linked.contains(folder)) {
                types.add(folder.getFileName().toString());
            }
        }
        types.sort((a, b) -> {
            // good first, then alphabetical: the order MVTec tools list them in.
            if (a.equals(b)) {
                return 0;
            }
            if (a.equals(GOOD)) {
                return -1;
            }
            if (b.equals(GOOD)) {
                return 1;
            }
            return a.compareTo(b);
        });
        return types;
    }

    /**
     * The folders of {@code test/} that are links to another of its folders ({@code test/crack2 -> crack}): they are
     * not a defect type of their own, and read as one they would count the same images twice, so {@link #test} and
     * {@link #defectTypes} leave them out and a command names them.
     *
     * @return those links, sorted, each with why it is not followed
     * @throws IOException when {@code test/} cannot be listed
     */
    public List<FolderWalk.NotFollowed> testLinksNotFollowed() throws IOException {
        return linksBetweenTypes(root.resolve("test"));
    }

    /**
     * {@link #testLinksNotFollowed} of a {@code test/} folder, for a command that checks a category before it opens it.
     *
     * @param test a category's {@code test/} folder
     * @return its folders that are links to another of its folders, sorted, each with why it is not followed
     * @throws IOException when the folder cannot be listed
     */
    public static List<FolderWalk.NotFollowed> linksBetweenTypes(Path test) throws IOException {
        return Files.isDirectory(test) ? linksAmong(typeFolders(test)) : List.of();
    }

    /** The folders of a {@code test/} folder that can be defect types (not hidden), sorted. */
    private static List<Path> typeFolders(Path test) throws IOException {
        try (Stream<Path> s = Files.list(test)) {
            return s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")).sorted()
                    .toList();
        }
    }

    /** {@link #linksBetweenTypes} among a {@code test/} folder's type folders. */
    private static List<FolderWalk.NotFollowed> linksAmong(List<Path> types) throws IOException {
        // the real folders claim their own names first, then the links in name order; a type is only its own
        // folder's images (test() does not read sub-folders), so only a link to another type's folder is a duplicate
        Map<Path, String> claimed = new HashMap<>();
        for (Path type : types) {
            if (!Files.isSymbolicLink(type)) {
                claimed.put(type.toRealPath(), type.getFileName().toString());
            }
        }
        List<FolderWalk.NotFollowed> links = new ArrayList<>();
        for (Path type : types) {
            if (Files.isSymbolicLink(type)) {
                String first = claimed.putIfAbsent(type.toRealPath(), type.getFileName().toString());
                if (first != null) {
                    links.add(FolderWalk.NotFollowed.readAs(type, first));
                }
            }
        }
        return links;
    }

    private Map<String, Path> masksByStem(String type) throws IOException {
        return masksByStem(root.resolve("ground_truth").resolve(type));
    }

    /**
     * The names before the extension that two or more images share ({@code 000.png} and {@code 000.jpg}): a mask
     * named {@code 000_mask.png} would fit either, so it is neither's, as nobody can say whose it is.
     *
     * @param images the images of one folder
     * @return their shared stems
     */
    public static Set<String> sharedStems(List<Path> images) {
        Set<String> seen = new HashSet<>();
        Set<String> shared = new HashSet<>();
        for (Path image : images) {
            String stem = stem(image);
            if (!seen.add(stem)) {
                shared.add(stem);
            }
        }
        return shared;
    }

    /**
     * The masks of one defect type's folder by the stem of the image each belongs to: {@code <stem>_mask.<ext>}
     * with any image extension and any case of {@code _mask}, the {@code .png} one when there are several.
     *
     * @param dir a {@code ground_truth/<type>} folder
     * @return mask files by image stem; empty when the folder does not exist
     * @throws IOException when the folder cannot be listed
     */
    public static Map<String, Path> masksByStem(Path dir) throws IOException {
        Map<String, Path> masks = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return masks;
        }
        for (Path mask : ImageFiles.list(dir)) {
            String stem = stem(mask);
            if (stem.toLowerCase(Locale.ROOT).endsWith("_mask")) {
                String imageStem = stem.substring(0, stem.length() - "_mask".length());
                // Prefer the .png mask when several extensions exist for one image.
                masks.merge(imageStem, mask, (a, b) -> a.toString().endsWith(".png") ? a : b);
            }
        }
        return masks;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * The MVTec name of a numbered image file.
     *
     * @param root   the category folder
     * @param folder {@code "train"} or {@code "test"}
     * @param type   {@code good} or a defect type
     * @param number the image number, written with at least three digits
     * @return {@code root/folder/type/NNN.png}
     */
    public static Path imageFile(Path root, String folder, String type, int number) {
        return root.resolve(folder).resolve(type).resolve(String.format(Locale.ROOT, "%03d.png", number));
    }

    /**
     * The MVTec name of a numbered mask file.
     *
     * @param root   the category folder
     * @param type   a defect type
     * @param number the number of the test image it belongs to
     * @return {@code root/ground_truth/type/NNN_mask.png}
     */
    public static Path maskFile(Path root, String type, int number) {
        return root.resolve("ground_truth").resolve(type).resolve(String.format(Locale.ROOT, "%03d_mask.png", number));
    }

    /**
     * Starts writing a category in the MVTec layout. Images are numbered per folder
     * {@code 000.png}, {@code 001.png}, ... in the order they are added; every file is written
     * atomically.
     *
     * @param root the category folder (created when missing)
     * @return a writer
     * @throws IOException when the folders cannot be created
     */
    public static Writer create(Path root) throws IOException {
        Files.createDirectories(root.resolve("train").resolve(GOOD));
        return new Writer(root);
    }

    /** Writes the images of a category; see {@link #create(Path)}. Not thread-safe. */
    public static final class Writer {
        private final Path root;
        private final Map<String, Integer> counters = new HashMap<>();

        private Writer(Path root) {
            this.root = root;
        }

        /**
         * Adds a normal training image as {@code train/good/NNN.png}.
         *
         * @param image the image
         * @return the file written
         * @throws IOException when writing fails
         */
        public Path addTrainGood(RgbImage image) throws IOException {
            Path file = imageFile(root, "train", GOOD, next("train/" + GOOD));
            ImageWriter.writePng(image, file);
            return file;
        }

        /**
         * Adds a normal test image as {@code test/good/NNN.png}.
         *
         * @param image the image
         * @return the sample written
         * @throws IOException when writing fails
         */
        public TestSample addTestGood(RgbImage image) throws IOException {
            Path file = imageFile(root, "test", GOOD, next("test/" + GOOD));
            ImageWriter.writePng(image, file);
            return new TestSample(file, GOOD, null);
        }

        /**
         * Adds a defective test image as {@code test/<type>/NNN.png} and its mask as
         * {@code ground_truth/<type>/NNN_mask.png}.
         *
         * @param defectType the defect type (a folder name; not {@code good})
         * @param image      the image
         * @param mask       its mask, the image's size
         * @return the sample written
         * @throws IOException when writing fails
         */
        public TestSample addTestDefect(String defectType, RgbImage image, Mask mask) throws IOException {
            if (GOOD.equals(defectType) || defectType.isBlank() || defectType.contains("/")
                    || defectType.contains("\\") || defectType.startsWith(".")) {
                throw new IllegalArgumentException("not a usable defect type folder name: '" + defectType + "'");
            }
            if (mask.width() != image.width() || mask.height() != image.height()) {
                throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height()
                        + " does not match image " + image.width() + "x" + image.height());
            }
            int number = next("test/" + defectType);
            Path file = imageFile(root, "test", defectType, number);
            Path maskFile = maskFile(root, defectType, number);
            ImageWriter.writePng(image, file);
            MaskIo.write(mask, maskFile);
            return new TestSample(file, defectType, maskFile);
        }

        /** @return the category as written so far */
        public MvtecCategory category() {
            return new MvtecCategory(root);
        }

        private int next(String folder) {
            int n = counters.computeIfAbsent(folder, f -> firstFreeNumber(root.resolve(f)));
            counters.put(folder, n + 1);
            return n;
        }

        /** Continues after existing numbered files so that adding to a category never overwrites. */
        private static int firstFreeNumber(Path dir) {
            int next = 0;
            if (!Files.isDirectory(dir)) {
                return next;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String name = p.getFileName().toString();
                    int dot = name.indexOf('.');
                    String stem = dot > 0 ? name.substring(0, dot) : name;
                    if (stem.matches("\\d+")) {
                        next = Math.max(next, Integer.parseInt(stem) + 1);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return next;
        }
    }

    @Override
    public String toString() {
        return "MvtecCategory[" + root + "]";
    }
}
