package dmdd.app.cli;

import dmdd.datasets.image.ImageFiles;
import dmdd.model.infer.Thresholds;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.pipeline.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-queue}: the images a person should look at, as CSV. */
@Command(name = "review-queue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inspect every image in DIR and list the UNSURE ones (score between the model's OK-below and "
                + "NG-above thresholds), highest score first, as CSV in the results.csv format (file, score, verdict, "
                + "threshold, ng_threshold, annotated_label, error, fused_map); with --with-ng the NG ones follow, as in the "
                + "workstation's review queue (for a project's model, at the thresholds set in the workstation). Images that "
                + "cannot be inspected come first, as ERROR rows naming the reason."})
final class ReviewQueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DeviceOption device;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "folder of images to inspect")
    Path images;

    @Option(names = "--with-ng", description = "list the NG images after the unsure ones")
    boolean withNg;

    @Option(names = "--out", paramLabel = "FILE", description = "write the CSV to FILE (atomically) instead of stdout")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Path> files = CliInputs.images(images, "--images");
        Path modelDir = model.folder();
        Path outFile = out == null ? null : CliInputs.outputFile(out, "--out", CliInputs.OutputKind.CSV);
        PrintWriter err = spec.commandLine().getErr();
        CliInputs.noteFilesLeftOut(images, err, files.size());
        ProgressBar bar = new ProgressBar(err, ProgressBar.terminalAttached());
        List<ResultsCsv.Row> queue = new ArrayList<>();
        int[] seen = {0};
        int[] failed = {0};
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, device.choose(err).device(), null, null)) {
            // a project's model: the thresholds set in the workstation, as its review queue uses them
            Thresholds t = ProjectThresholds.ofModel(modelDir, pipeline.model(), err);
            pipeline.inspectFiles(files, 1, new InspectionPipeline.Receiver() {
                @Override
                public void inspected(Inspection inspection) {
                    ResultsCsv.Row row = ResultsCsv.inspected(nameOf(inspection.file()), inspection.score(), t.image(),
                            t.imageNg(), null);
                    if (row.unsure() || withNg && row.verdict() == Verdict.NG) {
                        queue.add(row);
                    }
                    bar.update(++seen[0], files.size(), "images", null);
                }

                @Override
                public void failed(Path file, IOException reason) {
                    // a picture without a verdict is one a person must look at: it leads the queue, never drops out
                    err.println("warning: " + reason.getMessage());
                    queue.add(ResultsCsv.failed(nameOf(file), t.image(), t.imageNg(), reason.getMessage()));
                    failed[0]++;
                    bar.update(++seen[0], files.size(), "images", null);
                }
            }, null);
        }
        // The workstation's queue order: unsure first, then NG; the highest score first within each. Images that
        // could not be inspected come before all of them.
        queue.sort(Comparator.comparing((ResultsCsv.Row r) -> r.verdict() == null ? 0 : r.verdict() == Verdict.UNSURE ? 1 : 2)
                .thenComparing(Comparator.comparingDouble((ResultsCsv.Row r) -> Double.isNaN(r.score()) ? 0 : r.score())
                        .reversed()));
        if (outFile == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(ResultsCsv.format(queue));
            stdout.flush();
        } else {
            ResultsCsv.write(queue, outFile);
        }
        long unsure = queue.stream().filter(ResultsCsv.Row::unsure).count();
        err.printf(Locale.ROOT, "%d of %d images to review: %s%d unsure%s%s%n", queue.size(), files.size(),
                failed[0] > 0 ? failed[0] + " not inspected (ERROR rows), " : "", unsure,
                withNg ? ", " + (queue.size() - unsure - failed[0]) + " NG" : "",
                outFile == null ? "" : "; written to " + outFile);
        if (failed[0] > 0) {
            throw new IOException(CliInputs.noResult(failed[0], files.size()) + " (see the warnings)");
        }
        return 0;
    }

    /** An image's name in the queue: its path inside {@code --images}, {@code /} separated. */
    private String nameOf(Path file) {
        return ImageFiles.nameIn(images, file);
    }
}
