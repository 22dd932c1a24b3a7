package dmdd.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model MODEL_DIR}: a saved model, shared by the commands that use one. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    /**
     * @return the model folder, checked to exist
     * @throws CliException when it does not
     */
    Path folder() throws CliException {
        return CliInputs.existingFolder(model, "--model");
    }
}
