package dmdd.batch;

/**
 * Something the caller must fix (a missing model zip, an input without images, an output that exists):
 * one line for people, exit code 2. Failures while running are ordinary exceptions (exit code 1).
 */
public final class BatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file or option */
    public BatchException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file or option
     * @param cause   the underlying failure
     */
    public BatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
