package dmdd.datasets.annotation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a person said about an image. */
public enum Label {
    /** Nobody has looked at the image yet. */
    UNLABELLED,
    /** The image shows no defect. */
    OK,
    /** The image shows a defect (its mask, when painted, says where). */
    DEFECT;

    /** @return the name used in the labels file and in {@code results.csv}: {@code unlabelled}, {@code ok}, {@code defect} */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param key {@code unlabelled}, {@code ok} or {@code defect} (any case)
     * @return the label
     * @throws IllegalArgumentException for any other text
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Label fromKey(String key) {
        for (Label l : values()) {
            if (l.key().equalsIgnoreCase(key)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown label '" + key + "' (expected unlabelled, ok or defect)");
    }
}
