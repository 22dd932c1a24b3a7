package dmdd.model.dmdd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which anomaly detector is trained. DMDD is the product's method; AAND and DCAM are two close relatives
 * from the distillation literature (our reconstructions: {@code docs/methods/}); the plain student-teacher
 * baseline is kept in the same code for honest side-by-side numbers. All four go through the same
 * training job, inspection pipeline, thresholds and exports.
 */
public enum Method {
    /** Decoupled student (normality + abnormality branches), NGM + AIM, multi-perception segmenter. */
    DMDD("dmdd"),
    /**
     * Plain student-teacher distillation: one student branch trained on normal images only, no
     * synthetic anomalies, no segmenter; the anomaly map is the summed per-level 1 - cosine.
     */
    BASELINE("baseline"),
    /**
     * Anomaly Amplification and Normality Distillation: a residual anomaly amplifier on the frozen teacher,
     * trained on synthetic anomalies (stage 1), then a reverse-distillation student decoder that rebuilds the
     * amplified features of normal images from a compact bottleneck with a hard-knowledge-distillation loss.
     */
    AAND("aand"),
    /**
     * Distributed Convolutional Attention Module: one plain student for several part types at once, trained
     * with training-only attention masks, a spatial KL divergence and a channel-wise cosine loss; inference
     * costs what the baseline's student costs.
     */
    DCAM("dcam");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name used on the command line and in settings files */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /** @return the name people read (upper case for the published methods) */
    public String displayName() {
        return this == BASELINE ? "Baseline" : name();
    }

    /**
     * @return whether the maps beside the fused one are DMDD's normality and abnormality branch maps; for the
     *         other methods they are the fine-level (stride 4) and coarse-level (strides 8 and 16) discrepancy
     *         maps, and the fused map is their sum
     */
    public boolean hasBranchMaps() {
        return this == DMDD;
    }

    /**
     * @return the words that name the three maps in file names and reports, in display order: DMDD's
     *         {@code normality, abnormality, fused}; the per-level methods' {@code fine, coarse, fused}
     */
    public java.util.List<String> mapNames() {
        return hasBranchMaps() ? java.util.List.of("normality", "abnormality", "fused")
                : java.util.List.of("fine", "coarse", "fused");
    }

    /** @return whether training uses synthetic anomalies (and so a texture source) */
    public boolean synthesisesAnomalies() {
        return this == DMDD || this == AAND;
    }

    /**
     * Parses a command-line or settings name.
     *
     * @param name {@code dmdd}, {@code baseline}, {@code aand} or {@code dcam} (case-insensitive)
     * @return the method
     * @throws IllegalArgumentException naming the valid choices
     */
    @JsonCreator
    public static Method fromCliName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; choose " + choices());
    }

    /** @return the valid names, for messages */
    public static String choices() {
        return Arrays.stream(values()).map(Method::cliName).collect(Collectors.joining(", "));
    }
}
