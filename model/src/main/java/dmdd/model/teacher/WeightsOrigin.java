package dmdd.model.teacher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the weights in a teacher came from, so that the application and its logs can say which
 * source was used.
 *
 * @param source      the kind of source
 * @param file        the safetensors file that was loaded, or {@code null} for random weights
 * @param sha256      that file's SHA-256 (lower-case hex), or {@code null} for random weights
 * @param description one sentence for people, naming the original source and its licence
 */
public record WeightsOrigin(Source source, Path file, String sha256, String description) {

    /** The sources a teacher's weights can come from. */
    public enum Source {
        /** Converted just now from the nsfwjs npm tarball found on this machine. */
        NSFWJS_LOCAL_TARBALL,
        /** Converted just now from the nsfwjs npm tarball downloaded from the npm registry. */
        NSFWJS_DOWNLOADED_TARBALL,
        /** Downloaded just now from the model hub (torchvision weights as published by timm). */
        HUB_DOWNLOAD,
        /** Imported from a file the user gave (air-gapped machines). */
        LOCAL_IMPORT,
        /** A weights file shipped with the installation. */
        BUNDLED,
        /** The cached result of an earlier conversion, download or import. */
        CACHE,
        /** A file given explicitly (tests, tools). */
        FILE,
        /** No pretrained weights: the random initialisation (benchmarks only). */
        RANDOM
    }

    /**
     * @param source      the kind of source
     * @param file        the file, or {@code null} for {@link Source#RANDOM}
     * @param sha256      the file's SHA-256, or {@code null} for {@link Source#RANDOM}
     * @param description one sentence for people
     */
    public WeightsOrigin {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(description, "description");
    }

    /** @return the origin of a network that still has its random initial weights */
    public static WeightsOrigin untrained() {
        return new WeightsOrigin(Source.RANDOM, null, null, "random initial weights (no pretrained weights loaded)");
    }

    @Override
    public String toString() {
        return description;
    }
}
