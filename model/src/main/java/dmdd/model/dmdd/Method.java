package dmdd.model.dmdd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which anomaly detector is trained: the full DMDD method or the plain student-teacher baseline
 * kept in the same code for honest side-by-side numbers.
 */
public enum Method {
    /** Decoupled student (normality + abnormality branches), NGM + AIM, multi-perception segmenter. */
    DMDD("dmdd"),
    /**
     * Plain student-teacher distillation: one student branch trained on normal images only, no
     * synthetic anomalies, no segmenter; the anomaly map is the summed per-level 1 - cosine.
     */
    BASELINE("baseline");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name used on the command line and in settings files */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line or settings name.
     *
     * @param name {@code dmdd} or {@code baseline} (case-insensitive)
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
        throw new IllegalArgumentException("unknown method '" + name + "'; choose dmdd or baseline");
    }
}
