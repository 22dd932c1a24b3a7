package dmdd.datasets.synthesis;

import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.image.UnreadableImageException;
import dmdd.datasets.layout.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Textures from a folder of images (and its sub-folders), such as the Describable Textures
 * Dataset DRAEM uses. Each texture is a random crop of a random file, resized to the image size.
 * Files are decoded when first drawn and the most recent ones kept in memory; a file that turns
 * out unreadable is dropped with a warning and another one is drawn.
 */
public final class FolderTextureSource implements TextureSource {
    private static final Logger LOG = LoggerFactory.getLogger(FolderTextureSource.class);
    private static final int CACHE_SIZE = 64;

    private final Path dir;
    private final ImageReader reader;
    private final List<Path> files;
    private final java.util.Set<Path> unreadable = new java.util.HashSet<>();
    private final Map<Path, RgbImage> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, RgbImage> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private FolderTextureSource(Path dir, List<Path> files, int maxSide) {
        this.dir = dir;
        this.files = new ArrayList<>(files);
        this.reader = new ImageReader(maxSide);
    }

    /**
     * Opens a texture folder.
     *
     * @param dir     the folder; sub-folders are included
     * @param maxSide textures are read at most this large (a little above the training image
     *                size keeps crops sharp)
     * @return the source
     * @throws IOException when the folder is missing or holds no readable image file
     */
    public static FolderTextureSource open(Path dir, int maxSide) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidLayoutException(dir, "Texture folder " + dir + " does not exist or is not a folder");
        }
        List<Path> files = ImageFiles.listRecursively(dir);
        if (files.isEmpty()) {
            throw new InvalidLayoutException(dir, "Texture folder " + dir + " holds no image files ("
                    + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted().toList()) + ")");
        }
        FolderTextureSource source = new FolderTextureSource(dir, files, maxSide);
        // one readable file is needed before training starts, not found missing minutes into it; the ones that fail
        // here are skipped by every draw, as they would be once drawn, so the draws stay the same
        String firstFailure = null;
        for (Path file : source.files) {
            try {
                source.load(file);
                return source;
            } catch (UnreadableImageException e) {
                firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
            }
        }
        throw new InvalidLayoutException(dir, "Texture folder " + dir + " holds no readable texture image ("
                + files.size() + (files.size() == 1 ? " file" : " files") + "; the first: " + firstFailure + ")");
    }

    /**
     * A texture file, decoded once and kept among the recent ones; one that cannot be read is marked so, with a
     * warning, and never drawn again.
     */
    private RgbImage load(Path file) throws UnreadableImageException {
        RgbImage image = cache.get(file);
        if (image == null) {
            try {
                image = reader.read(file);
            } catch (UnreadableImageException e) {
                LOG.warn("Texture skipped: {}", e.getMessage());
                unreadable.add(file);
                throw e;
            }
            cache.put(file, image);
        }
        return image;
    }

    /** @return the number of usable texture files known */
    public synchronized int size() {
        return files.size() - unreadable.size();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when no file in the folder can be read
     */
    @Override
    public synchronized RgbImage texture(int width, int height, RgbImage normal, Random rng) {
        // An unreadable file stays in the list and is drawn again: removing it would make later draws depend on
        // which files earlier steps happened to draw, so a resumed run or other prefetch timing would differ.
        while (unreadable.size() < files.size()) {
            Path file = files.get(rng.nextInt(files.size()));
            if (unreadable.contains(file)) {
                continue;
            }
            RgbImage image;
            try {
                image = load(file);
            } catch (UnreadableImageException e) {
                continue;
            }
            return Textures.randomCropResize(image, width, height, rng);
        }
        throw new IllegalStateException("No readable texture image in " + dir);
    }

    @Override
    public String describe() {
        return "texture folder " + dir;
    }
}
