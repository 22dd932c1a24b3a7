package dmdd.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data ROOT --category NAME}: one MVTec AD category, shared by the commands that read one. */
final class CategoryOptions {
    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
    Path data;

    @Option(names = "--category", required = true, paramLabel = "NAME", description = "category folder under ROOT")
    String category;

    /**
     * @param needTest whether the command reads the test split
     * @return the checked category folder
     * @throws CliException naming the expected path when it is not a category
     */
    Path folder(boolean needTest) throws CliException {
        return CliInputs.mvtecCategory(data, category, needTest);
    }
}
