package dmdd.model.teacher;

import java.io.IOException;

/**
 * Teacher weights could not be obtained or do not fit the network: a missing tensor, a wrong
 * shape, a wrong checksum, a tarball that is not the pinned one, no way to download. The message
 * names the file and, where there is one, the tensor.
 */
public class TeacherWeightsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file and the tensor */
    public TeacherWeightsException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the tensor
     * @param cause   the underlying failure
     */
    public TeacherWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
