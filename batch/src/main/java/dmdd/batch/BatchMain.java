package dmdd.batch;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dmdd-batch}: inspects many images on Apache Spark with a model zip, through the same pipeline
 * as {@code dmdd infer}. Runs under {@code spark-submit} (which sets the master) or, on one machine,
 * with {@code java -jar dmdd-batch.jar --master local[*] ...}.
 */
@Command(name = "dmdd-batch", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = BatchMain.Version.class,
        description = {"Inspect images on Apache Spark with a model zip (dmdd export --model-zip): one row per image "
                + "(path, score, verdict OK/UNSURE/NG/ERROR, threshold, ng_threshold, error, warning, model_version, model_trained_at, "
                + "model_sha256[, fused_png]) written as Parquet, and as CSV with --csv.",
            "Paths may be local or on any Hadoop file system (hdfs://, s3a://, ...). An unreadable image is an ERROR "
                + "row with the reason, never a failed job."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image has a row (ERROR rows of unreadable images included)",
            "1:the job failed while running, or the model gave a score that is not a finite number (its rows are ERROR)",
            "2:a bad option, a missing or damaged model zip, no images, an existing output"})
public final class BatchMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ZIP", description = "the model zip")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** Where the image paths come from: one of the two. */
    static final class Inputs {
        @Option(names = "--images", arity = "1..*", paramLabel = "PATH",
                description = "folders (their image files), files or globs such as 'hdfs://nn/line1/2026-*/*.png'")
        List<String> images;

        @Option(names = "--image-list", paramLabel = "FILE", description = "a text file with one image path per line "
                + "(blank lines and lines starting with # are skipped)")
        String imageList;
    }

    @Option(names = "--recursive", description = "also list the sub-folders of --images folders")
    boolean recursive;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output folder")
    String out;

    @Option(names = "--csv", paramLabel = "DIR", description = "also write the table as CSV into this folder "
            + "(without the map column)")
    String csv;

    @Option(names = "--overwrite", description = "replace existing output folders")
    boolean overwrite;

    @Option(names = "--maps", description = "add the fused map as a PNG column (fused_png; the colours of dmdd infer's "
            + ".fused.png)")
    boolean maps;

    @Option(names = "--map-side", paramLabel = "PX", defaultValue = "256",
            description = "longest side of the fused-map PNG (default: ${DEFAULT-VALUE})")
    int mapSide;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "partitions to spread the images over (default: one per " + BatchJob.IMAGES_PER_PARTITION
                    + " images, at least one per core)")
    int partitions;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
            description = "device on the executors: auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--teacher-weights", paramLabel = "FILE", description = "the teacher's converted safetensors "
            + "file (default: the weights cache of this machine, where dmdd train keeps it)")
    String teacherWeights;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master when not started by spark-submit, "
            + "e.g. 'local[*]' for all cores of this machine")
    String master;

    @Override
    public Integer call() throws Exception {
        if (mapSide < 1) {
            throw new BatchException("--map-side " + mapSide + ": must be at least 1");
        }
        if (partitions < 0) {
            throw new BatchException("--partitions " + partitions + ": must be 0 (automatic) or more");
        }
        if (master == null && System.getProperty("spark.master") == null) {
            throw new BatchException("no Spark master: pass --master 'local[*]' to run on this machine, "
                    + "or start the job with spark-submit");
        }
        BatchRequest request = new BatchRequest(model, inputs.images == null ? List.of() : inputs.images,
                inputs.imageList, recursive, out, csv, overwrite, maps ? mapSide : 0, partitions, device,
                teacherWeights);
        PrintWriter err = spec.commandLine().getErr();
        SparkSession.Builder builder = SparkSession.builder().appName("dmdd-batch");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            long start = System.nanoTime();
            BatchJob.Summary s = BatchJob.run(spark, request, err);
            double seconds = (System.nanoTime() - start) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%d images: %d NG, %d UNSURE, %d OK, %d ERROR in %.1f s, "
                    + "of which %.1f s inspecting and writing (%.1f images/s); %s %s%n", s.images(), s.ng(),
                    s.unsure(), s.ok(),
                    s.errors(), seconds, s.inspectionSeconds(), s.images() / s.inspectionSeconds(),
                    s.earlierKept() ? "not written, the earlier results stay in" : "results in", out);
            if (s.nonFinite() > 0) {
                // Not an unreadable image but a broken model: a scheduler must see the run fail, as with infer.
                err.printf(Locale.ROOT, "error: %d of %d images got a score or map that is not a finite number: the "
                        + "model's weights may be damaged; those rows are ERROR, with no verdict%s%n", s.nonFinite(),
                        s.images(), s.earlierKept() ? "; the earlier results were kept, not replaced by them" : "");
                return EXIT_BROKEN_MODEL;
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** The exit code of a run whose model gave scores that are not finite numbers. */
    static final int EXIT_BROKEN_MODEL = 1;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Spark's Netty buffers need this on Java 17 (spark-submit passes it; java -jar does not).
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
        System.exit(commandLine().execute(args));
    }

    /** @return the command line with the project's error handling (one line; exit 2 for what the caller must fix) */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BatchMain());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            if (System.getenv("DMDD_STACKTRACE") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return e instanceof BatchException ? 2 : 1;
        });
        return cl;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BatchMain.class.getPackage().getImplementationVersion();
            return new String[] {"dmdd-batch " + (v == null ? "(development build)" : v) + ", Apache Spark "
                    + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
        }
    }
}
