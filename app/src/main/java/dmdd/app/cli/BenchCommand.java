package dmdd.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: measures a saved model's speed and memory on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure inference images/s and ms/image at batch 1 and 8, training steps/s and peak memory.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", paramLabel = "DIR",
            description = "images to run on (default: generated images at the model's input size)")
    Path images;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "time spent on each measurement (default: ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0)) {
            throw new CliException("--seconds " + seconds + ": must be positive");
        }
        CliInputs.existingFolder(model, "--model");
        if (images != null) {
            CliInputs.images(images, "--images");
        }
        throw new CliException("benchmarking is not available in this build yet");
    }
}
