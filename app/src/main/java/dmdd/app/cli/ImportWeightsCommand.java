package dmdd.app.cli;

import ai.djl.ndarray.NDManager;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.BackboneKind;
import dmdd.model.teacher.Teachers;
import dmdd.model.teacher.WeightsOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import-weights}: puts a teacher's weights file into the weights cache, for machines that cannot download
 * it (the message of a failed download names this command).
 */
@Command(name = "import-weights", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a teacher's weights file (safetensors, as downloaded on another machine) into this "
                + "machine's weights cache, for machines without internet.",
            "Every tensor and shape is checked before the file replaces the cached one; a wrong file changes nothing."})
final class ImportWeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the weights file: model.safetensors for resnet18 "
            + "and wide_resnet50_2, the nsfwjs-4.3.0.tgz npm tarball (or its conversion) for mobilenetv2 and "
            + "mobilenetv2_140")
    Path file;

    @Option(names = "--backbone", required = true, paramLabel = "NAME",
            converter = BackboneConverter.class, completionCandidates = BackboneConverter.class,
            description = "whose weights they are: ${COMPLETION-CANDIDATES}")
    BackboneKind backbone;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "the weights cache to import into (default: this user's, where training looks)")
    Path weightsDir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": " + (Files.isDirectory(file) ? "is a folder, not a weights file"
                    : Files.exists(file) ? "not a regular file" : "no such file"));
        }
        if (!Files.isReadable(file)) {
            throw new CliException(file + ": cannot be read (permission denied)");
        }
        Path cache = weightsDir != null ? weightsDir.toAbsolutePath().normalize() : UserDataDirs.weightsDir();
        WeightsOrigin origin;
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            origin = Teachers.importWeights(backbone, file, cache, manager);
        } catch (dmdd.model.teacher.TeacherWeightsException e) {
            throw new CliException(e.getMessage());
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "imported the %s teacher's weights into %s (SHA-256 %s)%n",
                backbone.cliName(), origin.file(), origin.sha256());
        return 0;
    }
}
