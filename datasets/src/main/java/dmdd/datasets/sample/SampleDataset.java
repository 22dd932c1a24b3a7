package dmdd.datasets.sample;

import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.Mask;
import dmdd.datasets.image.MaskIo;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The embedded sample dataset: a small MVTec-layout category of woven fabric (a 2/2 twill, denim
 * colours) with three kinds of defect and exact masks, generated procedurally and deterministically.
 * The GUI opens it on first start and tests train on it, so nothing is downloaded or committed.
 *
 * <p>Normal images vary the way photos of one fabric do: weave phase, a slight rotation, thread
 * thickness noise, lighting gradient and sensor noise. Defect types:
 * <ul>
 *   <li>{@code hole} - an irregular hole showing the dark backing, with frayed edges;</li>
 *   <li>{@code scratch} - a bright curved snag line across the threads, 2-3 px wide;</li>
 *   <li>{@code stain} - a brownish blob with a darker tide line; the weave stays visible through it.</li>
 * </ul>
 * A mask covers exactly the pixels the defect changed, and every one of them visibly.
 *
 * <p>Generation is cached: a folder that is already complete (it carries a stamp file naming
 * the same {@link Spec}) is reused. A new one is written into a temporary folder beside it and
 * renamed into place at the end, so a half-written dataset is never seen.
 */
public final class SampleDataset {
    /** The defect types, which are also the folder names in {@code test/} and {@code ground_truth/}. */
    public static final List<String> DEFECT_TYPES = List.of("hole", "scratch", "stain");

    /** Hidden stamp file marking a complete dataset; it holds the spec it was made with. */
    static final String STAMP = ".sample-dataset";

    /** Changes whenever the pictures change, so old cached copies are regenerated. */
    private static final int GENERATOR_VERSION = 2;

    private SampleDataset() {
    }

    /**
     * What to generate.
     *
     * @param name         the category folder name
     * @param size         the side of the square images, at least 32
     * @param trainGood    normal training images, at least 1
     * @param testGood     normal test images
     * @param perDefectType test images of each defect type
     * @param seed         the seed; the same spec always gives the same files
     */
    public record Spec(String name, int size, int trainGood, int testGood, int perDefectType, long seed) {
        /** The sample the GUI opens: 256 x 256, 60 train, 10 good and 3 x 6 defective test images. */
        public static final Spec DEFAULT = new Spec("sample_fabric", 256, 60, 10, 6, 42L);
        /** A tiny version for fast tests: 64 x 64, 8 train, 2 good and 3 x 2 defective test images. */
        public static final Spec TINY = new Spec("sample_fabric_tiny", 64, 8, 2, 2, 42L);

        /**
         * Checks the values.
         *
         * @param name          the category folder name
         * @param size          the image side
         * @param trainGood     normal training images
         * @param testGood      normal test images
         * @param perDefectType test images per defect type
         * @param seed          the seed
         */
        public Spec {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("not a usable folder name: '" + name + "'");
            }
            if (size < 32) {
                throw new IllegalArgumentException("size must be at least 32, got " + size);
            }
            if (trainGood < 1 || testGood < 0 || perDefectType < 0) {
                throw new IllegalArgumentException("need at least 1 training image and no negative counts");
            }
        }

        String stamp() {
            return "dmdd sample dataset v" + GENERATOR_VERSION + "\n" + this + "\n";
        }
    }

    /**
     * A defective image and its mask.
     *
     * @param image the image
     * @param mask  exactly the pixels the defect changed
     */
    public record Defective(RgbImage image, Mask mask) {
    }

    /**
     * Generates the default sample ({@link Spec#DEFAULT}) unless it is already there.
     *
     * @param root the folder that will hold the category folder
     * @return the category folder, {@code root/sample_fabric}
     * @throws IOException when writing fails, or a folder of that name exists that is not a sample
     */
    public static Path generate(Path root) throws IOException {
        return generate(root, Spec.DEFAULT);
    }

    /**
     * Generates the tiny sample ({@link Spec#TINY}) for fast tests unless it is already there.
     *
     * @param root the folder that will hold the category folder
     * @return the category folder, {@code root/sample_fabric_tiny}
     * @throws IOException when writing fails
     */
    public static Path generateTiny(Path root) throws IOException {
        return generate(root, Spec.TINY);
    }

    /**
     * Generates a sample category unless a complete one made with the same spec is already there.
     *
     * @param root the folder that will hold the category folder
     * @param spec what to generate
     * @return the category folder, {@code root/<spec.name>}
     * @throws IOException when writing fails, or a folder of that name exists that was not made by
     *                     this generator (it is never deleted)
     */
    public static Path generate(Path root, Spec spec) throws IOException {
        Path target = root.resolve(spec.name());
        if (isComplete(target, spec)) {
            return target;
        }
        if (Files.exists(target) && !Files.exists(target.resolve(STAMP))) {
            throw new IOException("Folder " + target + " exists but is not a sample dataset; "
                    + "remove it or generate the sample elsewhere");
        }
        Files.createDirectories(root);
        Path temp = Files.createTempDirectory(root, "." + spec.name() + ".tmp-");
        try {
            writeCategory(temp, spec);
            AtomicFiles.writeString(temp.resolve(STAMP), spec.stamp());
            if (Files.exists(target)) {
                if (isComplete(target, spec)) {
                    return target; // made by someone else meanwhile
                }
                dmdd.datasets.image.Folders.deleteTree(target); // an older version of the sample, stamped by us
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!isComplete(target, spec)) {
                    throw e;
                }
            }
            return target;
        } finally {
            if (Files.exists(temp)) {
                dmdd.datasets.image.Folders.deleteTree(temp);
            }
        }
    }

    private static boolean isComplete(Path target, Spec spec) {
        try {
            return Files.readString(target.resolve(STAMP), StandardCharsets.UTF_8).equals(spec.stamp());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes all files. Images are independent (each has its own seed), so they are rendered and
     * encoded in parallel; the result is the same whatever the order.
     */
    private static void writeCategory(Path dir, Spec spec) throws IOException {
        MvtecCategory.create(dir);
        List<IOTask> tasks = new ArrayList<>();
        for (int i = 0; i < spec.trainGood(); i++) {
            int n = i;
            tasks.add(() -> ImageWriter.writePng(
                    normalSurface(spec.size(), imageSeed(spec.seed(), "train/good", n)),
                    MvtecCategory.imageFile(dir, "train", MvtecCategory.GOOD, n)));
        }
        for (int i = 0; i < spec.testGood(); i++) {
            int n = i;
            tasks.add(() -> ImageWriter.writePng(
                    normalSurface(spec.size(), imageSeed(spec.seed(), "test/good", n)),
                    MvtecCategory.imageFile(dir, "test", MvtecCategory.GOOD, n)));
        }
        for (String type : DEFECT_TYPES) {
            for (int i = 0; i < spec.perDefectType(); i++) {
                int n = i;
                tasks.add(() -> {
                    Defective d = defective(spec.size(), type, imageSeed(spec.seed(), "test/" + type, n));
                    ImageWriter.writePng(d.image(), MvtecCategory.imageFile(dir, "test", type, n));
                    MaskIo.write(d.mask(), MvtecCategory.maskFile(dir, type, n));
                });
            }
        }
        try {
            tasks.parallelStream().forEach(task -> {
                try {
                    task.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface IOTask {
        void run() throws IOException;
    }

    /** The seed of image {@code index} in {@code folder} of a sample made with {@code seed}. */
    static long imageSeed(long seed, String folder, int index) {
        // java.util.Random gives correlated first values for neighbouring seeds (image 0 and 1
        // would place their defects alike), so the seed goes through a strong mixer first.
        long h = seed * 0x9E3779B97F4A7C15L + folder.hashCode() * 0xBF58476D1CE4E5B9L + index;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * Renders one defect-free fabric image.
     *
     * @param size the side of the square image, at least 8
     * @param seed its seed
     * @return the image
     */
    public static RgbImage normalSurface(int size, long seed) {
        return RgbImage.of(size, size, Fabric.render(size, new Random(seed)));
    }

    /**
     * Renders one fabric image with a defect of the given type.
     *
     * @param size the side of the square image, at least 32
     * @param type one of {@link #DEFECT_TYPES}
     * @param seed its seed
     * @return the image and its exact mask
     */
    public static Defective defective(int size, String type, long seed) {
        Random random = new Random(seed);
        float[] chw = Fabric.render(size, random);
        boolean[] mask = switch (type) {
            case "hole" -> Defects.hole(chw, size, random);
            case "scratch" -> Defects.scratch(chw, size, random);
            case "stain" -> Defects.stain(chw, size, random);
            default -> throw new IllegalArgumentException("unknown defect type '" + type + "', expected one of " + DEFECT_TYPES);
        };
        return new Defective(RgbImage.of(size, size, chw), Mask.of(size, size, mask));
    }
}
