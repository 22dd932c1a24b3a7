package dmdd.app.cli;

import dmdd.model.teacher.BackboneKind;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains a model on the normal images of one MVTec AD category. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a DMDD (or baseline) model on ROOT/NAME/train/good and save it to MODEL_DIR.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
    Path data;

    @Option(names = "--category", required = true, paramLabel = "NAME", description = "category folder under ROOT")
    String category;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "folder to save the model to")
    Path out;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "dmdd",
            description = "dmdd or baseline (default: ${DEFAULT-VALUE})")
    MethodChoice method;

    @Mixin
    DeviceOption device;

    @Option(names = "--backbone", paramLabel = "NAME", defaultValue = "mobilenetv2",
            converter = BackboneConverter.class, completionCandidates = BackboneConverter.class,
            description = "teacher: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    BackboneKind backbone;

    @Option(names = "--steps", paramLabel = "N",
            description = "training steps in all (DMDD splits them between student and segmentation network "
                    + "as the settings' defaults do; default: the settings' default)")
    Integer steps;

    @Option(names = "--image-size", paramLabel = "PX", description = "network input side, a multiple of 32 "
            + "(default: the settings' default)")
    Integer imageSize;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: the settings' default)")
    Long seed;

    @Option(names = "--batch", paramLabel = "N", description = "images per step (default: the settings' default)")
    Integer batch;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all processors)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (steps != null && steps < 1) {
            throw new CliException("--steps " + steps + ": must be at least 1");
        }
        if (imageSize != null && (imageSize < 32 || imageSize % 32 != 0)) {
            throw new CliException("--image-size " + imageSize + ": must be a multiple of 32, at least 32");
        }
        if (batch != null && batch < 1) {
            throw new CliException("--batch " + batch + ": must be at least 1");
        }
        if (threads != null && threads < 0) {
            throw new CliException("--threads " + threads + ": must not be negative");
        }
        CliInputs.mvtecCategory(data, category, false);
        CliInputs.outputFolder(out, "--out");
        throw new CliException("training is not available in this build yet");
    }
}
