package dmdd.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infer}: inspects a folder of images with a saved model. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inspect every image in DIR: write its normality, abnormality and fused maps as PNG heatmaps "
                + "(colour scale fixed by the model's calibrated range) and an overlay,",
            "plus results.csv (file, score, verdict, threshold)."})
final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "folder of images to inspect")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for the maps and results.csv")
    Path out;

    @Override
    public Integer call() throws Exception {
        CliInputs.existingFolder(model, "--model");
        CliInputs.images(images, "--images");
        CliInputs.outputFolder(out, "--out");
        throw new CliException("inference is not available in this build yet");
    }
}
