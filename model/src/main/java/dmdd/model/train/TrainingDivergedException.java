package dmdd.model.train;

/**
 * Training stopped because a step's loss was not a finite number: the weights would only get worse, and no
 * threshold can be fitted on NaN maps. The message says at which step and what to change; the folder keeps its
 * last checkpoint and its earlier model.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what diverged and what to do */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
