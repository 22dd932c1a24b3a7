package dmdd.datasets.image;

import java.nio.charset.StandardCharsets;

/**
 * File names that fit the file systems people use: most allow 255 bytes per name (ext4, APFS, NTFS counts 255
 * UTF-16 units, fewer than the UTF-8 bytes of the same text), so a name built from a user's file name plus a
 * suffix, or wrapped in a temporary name, is cut to a byte budget first.
 */
public final class FileNames {
    /**
     * The most UTF-8 bytes of a stem that names written files are built from: with a suffix such as
     * {@code _abnormality_overlay.png} and a {@code ~N} the name stays under 255 bytes.
     */
    public static final int MAX_STEM_BYTES = 200;

    private FileNames() {
    }

    /**
     * The longest start of a name whose UTF-8 encoding fits a budget, never splitting a character.
     *
     * @param name     a name
     * @param maxBytes the budget in UTF-8 bytes
     * @return {@code name} itself when it fits, else its longest start that does
     */
    public static String withinBytes(String name, int maxBytes) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return name;
        }
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return name.substring(0, end);
    }
}
