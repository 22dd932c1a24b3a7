package dmdd.model.export;

import java.io.IOException;
import java.nio.file.Path;

/** A model archive that cannot be imported: not a zip, damaged, foreign, unsafe or from an unknown version. */
public final class ModelArchiveException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path archive;

    /**
     * @param archive the zip file
     * @param message one sentence naming the file and the problem
     */
    public ModelArchiveException(Path archive, String message) {
        super(message);
        this.archive = archive;
    }

    /**
     * @param archive the zip file
     * @param message one sentence naming the file and the problem
     * @param cause   the underlying failure
     */
    public ModelArchiveException(Path archive, String message, Throwable cause) {
        super(message, cause);
        this.archive = archive;
    }

    /** @return the zip file */
    public Path archive() {
        return archive;
    }
}
