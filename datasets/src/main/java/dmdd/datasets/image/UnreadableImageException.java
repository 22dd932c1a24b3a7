package dmdd.datasets.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be used as an image: missing, empty, not an image, of an unsupported
 * format, corrupt or truncated. The message names the file and the problem, so it can be shown
 * to a user as is.
 */
public class UnreadableImageException extends IOException {
    /** Serialisation version. */
    private static final long serialVersionUID = 1L;

    /** The file; not serialised because {@link Path} is not serialisable. */
    private final transient Path file;
    /** What is wrong with the file (serialised with the exception). */
    private final String reason;

    /**
     * @param file   the file that could not be read
     * @param reason what is wrong with it, in words for a user
     */
    public UnreadableImageException(Path file, String reason) {
        this(file, reason, null);
    }

    /**
     * @param file   the file that could not be read
     * @param reason what is wrong with it, in words for a user
     * @param cause  the underlying error, or {@code null}
     */
    public UnreadableImageException(Path file, String reason, Throwable cause) {
        super("Cannot read image " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** @return the file that could not be read */
    public Path file() {
        return file;
    }

    /** @return what is wrong with the file, without the file name */
    public String reason() {
        return reason;
    }
}
