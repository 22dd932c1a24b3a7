package dmdd.app.cli;

/**
 * A problem with what the user asked for (a missing folder, an empty training set, a wrong layout).
 * The command line prints its message as one line and exits with {@link DmddCli#EXIT_USAGE}.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the file or option and the problem
     */
    public CliException(String message) {
        super(message);
    }
}
