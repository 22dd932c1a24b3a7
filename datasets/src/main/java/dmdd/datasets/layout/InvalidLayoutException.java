package dmdd.datasets.layout;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset folder that does not have the expected layout. The message names the folder and
 * what was expected there, so it can be shown to a user as is.
 */
public class InvalidLayoutException extends IOException {
    /** Serialisation version. */
    private static final long serialVersionUID = 1L;

    /** The folder; not serialised because {@link Path} is not serialisable. */
    private final transient Path folder;

    /**
     * @param folder  the folder that was opened
     * @param message what is wrong and what was expected
     */
    public InvalidLayoutException(Path folder, String message) {
        super(message);
        this.folder = folder;
    }

    /** @return the folder that was opened */
    public Path folder() {
        return folder;
    }
}
