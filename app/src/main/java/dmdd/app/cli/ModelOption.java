package dmdd.app.cli;

import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.ModelFolderException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model MODEL_DIR}: a saved model, shared by the commands that use one. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    /**
     * @return the model folder, checked to exist and to hold a model (before anything else is started)
     * @throws CliException when it does not exist
     * @throws ModelFolderException when it is not a model, naming the missing file
     */
    Path folder() throws ModelFolderException {
        Path dir = CliInputs.existingFolder(model, "--model");
        ModelFolder.read(dir);
        return dir;
    }
}
