package dmdd.model.infer;

import java.io.IOException;
import java.nio.file.Path;

/** A model folder that cannot be used: missing, incomplete, from another version, or corrupt. */
public final class ModelFolderException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path folder;

    /**
     * @param folder  the model folder
     * @param message what is wrong, naming the file
     */
    public ModelFolderException(Path folder, String message) {
        super(message);
        this.folder = folder;
    }

    /**
     * @param folder  the model folder
     * @param message what is wrong
     * @param cause   the underlying error
     */
    public ModelFolderException(Path folder, String message, Throwable cause) {
        super(message, cause);
        this.folder = folder;
    }

    /** @return the model folder */
    public Path folder() {
        return folder;
    }
}
