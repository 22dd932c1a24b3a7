package dmdd.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: evaluates a saved model on the test split of one MVTec AD category. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate MODEL_DIR on ROOT/NAME/test with ground_truth masks; write the metrics as JSON "
                + "and print a table.",
            "Keys: image_auroc, pixel_auroc, aupro (FPR <= 0.3, whole test set), pixel_ap, image_f1max, "
                + "test_images, seconds, maps.{normality,abnormality,fused}.{pixel_auroc,aupro}."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "ROOT", description = "dataset root in the MVTec AD layout")
    Path data;

    @Option(names = "--category", required = true, paramLabel = "NAME", description = "category folder under ROOT")
    String category;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "a model saved by train")
    Path model;

    @Mixin
    DeviceOption device;

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "where to write the metrics")
    Path json;

    @Override
    public Integer call() throws Exception {
        CliInputs.mvtecCategory(data, category, true);
        CliInputs.existingFolder(model, "--model");
        CliInputs.outputFile(json, "--json");
        throw new CliException("evaluation is not available in this build yet");
    }
}
