package dmdd.app.cli;

import dmdd.model.export.ModelArchive;
import dmdd.model.infer.ModelFolder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import-model}: installs a model zip made by {@code export --model-zip} (or the workstation). */
@Command(name = "import-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a model .zip exported on another workstation into a model folder or a project.",
            "A damaged, foreign or newer-format zip is refused and the existing model is left as it was."})
final class ImportModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ZIP", description = "the model archive")
    Path zip;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Where the model goes. */
    static final class Target {
        @Option(names = "--model", paramLabel = "MODEL_DIR", description = "the model folder to create or replace")
        Path model;

        @Option(names = "--project", paramLabel = "DIR", description = "a workstation project (the model folder of the archive's method is "
                + "replaced: model/ for DMDD, models/<method>/ for the others)")
        Path project;
    }

    @Override
    public Integer call() throws Exception {
        Path modelDir;
        if (target.model != null) {
            modelDir = target.model.toAbsolutePath().normalize();
            if (java.nio.file.Files.isRegularFile(modelDir)) {
                throw new CliException("--model " + target.model + ": is a file, not a folder");
            }
        } else {
            Path project = CliInputs.existingFolder(target.project, "--project");
            if (!dmdd.model.project.ProjectStore.isProject(project)) {
                throw new CliException("--project " + project + ": not a workstation project (it has no "
                        + dmdd.model.project.ProjectStore.SETTINGS_FILE + "); use --model MODEL_DIR for a model folder");
            }
            try {
                // a project keeps one model per method: the archive's goes into its method's folder
                modelDir = dmdd.model.project.Project.modelDir(project, ModelArchive.method(zip));
            } catch (dmdd.model.export.ModelArchiveException e) {
                throw new CliException(e.getMessage());
            }
        }
        // the archive is unpacked beside the model folder and then moved into place: both must be writable
        String option = target.model != null ? "--model" : "--project";
        CliInputs.refuseInsideModel(modelDir, option);
        if (modelDir.getParent() != null) {
            CliInputs.writableFolder(modelDir.getParent(), option);
        }
        if (java.nio.file.Files.isDirectory(modelDir)) {
            CliInputs.writableFolder(modelDir, option);
        }
        java.util.Optional<dmdd.model.dmdd.Method> replaced = java.nio.file.Files.isRegularFile(
                modelDir.resolve(ModelFolder.DESCRIPTION)) ? readMethod(modelDir) : java.util.Optional.empty();
        int versionsBefore = replaced.isPresent() ? dmdd.model.infer.ModelVersions.list(modelDir).size() : 0;
        ModelArchive.Manifest manifest;
        ModelFolder model;
        try {
            manifest = ModelArchive.inspect(zip);
            model = ModelArchive.importInto(zip, modelDir);
        } catch (dmdd.model.export.ModelArchiveException e) {
            // A damaged, foreign or newer zip, or a target that is not a model: the caller's to fix (exit 2).
            throw new CliException(e.getMessage());
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "imported model into %s: %s teacher, %d px, %d training steps, image threshold %.6g "
                        + "(exported by DMDD Inspector %s)%n", modelDir, model.teacher().cliName(),
                model.settings().imageSize(), model.training().steps(), model.thresholds().image(),
                manifest.applicationVersion());
        if (replaced.isPresent() && dmdd.model.infer.ModelVersions.list(modelDir).size() == versionsBefore) {
            spec.commandLine().getOut().println("the folder already held this very model: nothing was changed");
        } else {
            replaced.ifPresent(m -> spec.commandLine().getOut().println("the " + m.displayName() + " model it "
                    + "replaced is kept in " + modelDir.resolve("versions") + " (restore it from the workstation's "
                    + "versions list)"));
        }
        return 0;
    }

    private static java.util.Optional<dmdd.model.dmdd.Method> readMethod(Path modelDir) {
        try {
            return java.util.Optional.of(ModelFolder.read(modelDir).settings().method());
        } catch (dmdd.model.infer.ModelFolderException e) {
            return java.util.Optional.empty();
        }
    }
}
