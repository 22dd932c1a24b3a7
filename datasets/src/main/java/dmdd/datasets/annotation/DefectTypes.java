package dmdd.datasets.annotation;

import dmdd.datasets.layout.MvtecCategory;
import java.util.regex.Pattern;

/**
 * Names of defect types. A type names a folder ({@code ground_truth/<type>/}), so it must be a safe
 * folder name on every operating system.
 */
public final class DefectTypes {
    /** The type given to a defect when the user has not named one and the image's folder is no defect type. */
    public static final String DEFAULT = "defect";

    /**
     * Words of letters, digits, '_' and '-', and the marks that belong to a letter (the vowel signs of Hindi and Thai,
     * an accent stored as a separate character as macOS names files), with single spaces between words.
     */
    private static final Pattern ALLOWED = Pattern.compile(
            "[\\p{L}\\p{N}_\\-][\\p{L}\\p{M}\\p{N}_\\-]*( [\\p{L}\\p{N}_\\-][\\p{L}\\p{M}\\p{N}_\\-]*)*");
    private static final int MAX_LENGTH = 64;
    /** Device names Windows reserves: no folder can have them there, whatever the case. */
    private static final Pattern RESERVED = Pattern.compile("(?i)con|prn|aux|nul|com[0-9]|lpt[0-9]");

    private DefectTypes() {
    }

    /**
     * Checks a defect type name.
     *
     * @param name the name the user typed
     * @return the name, trimmed
     * @throws IllegalArgumentException naming the problem when it cannot be a folder name or is {@code good}
     */
    public static String validate(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("a defect type needs a name");
        }
        if (n.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("defect type '" + n + "' is longer than " + MAX_LENGTH + " characters");
        }
        if (n.equalsIgnoreCase(MvtecCategory.GOOD)) {
            throw new IllegalArgumentException("'" + MvtecCategory.GOOD + "' is the folder of defect-free images, "
                    + "not a defect type");
        }
        if (!ALLOWED.matcher(n).matches()) {
            throw new IllegalArgumentException("defect type '" + n + "' may only hold letters (with their accents "
                    + "and vowel signs), digits, '_', '-' and single spaces (it becomes a folder name)");
        }
        return n;
    }

    /**
     * Checks the name of a type a person creates: {@link #validate(String)}, and not a name Windows reserves for a
     * device ({@code con}, {@code nul}, {@code com1}, ...), whose folder a project copied there could not hold. Folders
     * that already exist under such a name (made on another system) are read as they are.
     *
     * @param name the name the user typed
     * @return the name, trimmed
     * @throws IllegalArgumentException naming the problem
     */
    public static String validateNew(String name) {
        // one spelling for a name typed with a separate accent ("e" + U+0301) and with the letter "é"
        String n = validate(name == null ? null : java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC));
        if (RESERVED.matcher(n).matches()) {
            throw new IllegalArgumentException("defect type '" + n + "' is a device name on Windows, where no folder can "
                    + "have it; choose another name");
        }
        return n;
    }

    /**
     * @param name a candidate
     * @return whether {@link #validate(String)} accepts it
     */
    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
