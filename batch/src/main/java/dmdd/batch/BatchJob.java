package dmdd.batch;

import ai.djl.Device;
import dmdd.model.engine.DeviceRequest;
import dmdd.model.export.ModelArchive;
import dmdd.model.export.ModelArchiveException;
import dmdd.model.infer.ModelFolder;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.teacher.DownloadProgress;
import dmdd.model.teacher.TeacherWeights;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The driver side of a batch inspection. It checks the model zip completely before anything is
 * distributed (the same checked import as the workstation's, and one pipeline opened with the teacher
 * weights, so a damaged zip or unusable weights are one clear error instead of failed tasks), ships the
 * zip and the teacher weights to the executors under names made of their checksums, spreads the image
 * paths over partitions and lets {@link PartitionInspector} inspect them, then writes the rows as Parquet
 * (and CSV on request) and counts the verdicts.
 */
public final class BatchJob {
    /** Images per partition when the number of partitions is chosen automatically. */
    static final int IMAGES_PER_PARTITION = 256;
    /** Beside an output that --overwrite replaces: the new output while it is written. */
    static final String STAGED = ".dmdd-new-";
    /** Beside an output that --overwrite replaces: the earlier output for the moment of the swap. */
    static final String REPLACED = ".dmdd-old-";

    private BatchJob() {
    }

    /**
     * What a run produced.
     *
     * @param images      rows written (one per input)
     * @param ok          rows with verdict OK
     * @param unsure      rows with verdict UNSURE (between the two image thresholds: for a person to review)
     * @param ng          rows with verdict NG
     * @param errors      ERROR rows (images without a result)
     * @param nonFinite   of those, the rows whose score or map was not a finite number: the model, not the image,
     *                    is broken
     * @param modelSha256 SHA-256 of the model zip used
     * @param partitions  partitions the images were spread over
     * @param inspectionSeconds wall-clock seconds of the distributed part: executors loading the model,
     *                    reading and inspecting the images, writing the Parquet table
     * @param earlierKept whether an earlier output that --overwrite would have replaced was kept instead, because
     *                    the model gave non-finite results (this run's rows were not kept)
     */
    public record Summary(long images, long ok, long unsure, long ng, long errors, long nonFinite, String modelSha256,
                          int partitions, double inspectionSeconds, boolean earlierKept) {
    }

    /**
     * Runs a batch inspection.
     *
     * @param spark   the Spark session (local or on a cluster)
     * @param request what to inspect with which model, and where to write
     * @param log     receives progress notes for people (teacher weights, partitions)
     * @return the summary
     * @throws BatchException when the request cannot run (missing or damaged model, no inputs, existing output)
     * @throws IOException    when the file system fails
     */
    public static Summary run(SparkSession spark, BatchRequest request, PrintWriter log) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        checkOutput(request.out(), "--out", request, hadoop);
        if (request.csvOut() != null) {
            checkOutput(request.csvOut(), "--csv", request, hadoop);
            String table = qualified(request.out(), hadoop);
            String csv = qualified(request.csvOut(), hadoop);
            // The CSV is read back from the table: one inside the other would delete what is being read.
            if (inside(csv, table) || inside(table, csv)) {
                throw new BatchException("--csv " + request.csvOut() + " and --out " + request.out()
                        + " overlap; give the CSV a folder of its own");
            }
        }
        try {
            DeviceRequest.parse(request.device());
        } catch (IllegalArgumentException e) {
            throw new BatchException("--device " + request.device() + ": " + e.getMessage(), e);
        }
        Path staging = Files.createTempDirectory("dmdd-batch-driver-");
        try (ExitCleanup removeStaging = ExitCleanup.register(
                () -> dmdd.datasets.image.Folders.deleteTree(staging))) {
            long checkStart = System.nanoTime();
            ModelShipment shipment = ship(spark, request, staging, log);
            log.printf(Locale.ROOT, "Model checked and shipped in %.1f s%n", (System.nanoTime() - checkStart) / 1e9);
            long listStart = System.nanoTime();
            Inputs inputs = inputs(spark, request, hadoop);
            Dataset<String> paths = inputs.paths();
            long count = inputs.count();
            log.printf(Locale.ROOT, "Inputs listed in %.1f s%n", (System.nanoTime() - listStart) / 1e9);
            if (count == 0) {
                throw new BatchException("--image-list " + request.imageList() + ": lists no images");
            }
            int partitions = request.partitions() > 0 ? request.partitions()
                    : (int) Math.max(spark.sparkContext().defaultParallelism(),
                    (count + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION);
            log.printf(Locale.ROOT, "Inspecting %d images in %d partitions with model %s...%n", count, partitions,
                    shipment.zipSha256().substring(0, 12));
            log.flush();
            Dataset<Row> rows = paths.repartition(partitions).mapPartitions(
                    new PartitionInspector(shipment, new HadoopConfiguration(hadoop), request.mapSide()),
                    Encoders.row(ResultSchema.of(request.mapSide() > 0)));
            // An earlier output that --overwrite replaces stays until the new one is complete: the job writes
            // beside it, and only a finished table (and CSV) takes its place (Spark's own Overwrite would delete
            // it first, and a failed run would leave nothing).
            String tableAt = stagedOutput(request.out(), hadoop);
            String csvAt = request.csvOut() == null ? null : stagedOutput(request.csvOut(), hadoop);
            Map<String, Long> verdicts = new HashMap<>();
            long nonFinite;
            double inspectionSeconds;
            // A run stopped by a signal before its results are complete leaves no half-written table, neither
            // beside an earlier one nor as a first one (once the swap begins, the hook leaves everything as it is).
            ExitCleanup unfinished = ExitCleanup.register(() -> {
                removeWritten(tableAt, hadoop);
                removeWritten(csvAt, hadoop);
            });
            try {
                long start = System.nanoTime();
                rows.write().mode(SaveMode.ErrorIfExists).parquet(tableAt);
                inspectionSeconds = (System.nanoTime() - start) / 1e9;
                // The CSV copy is read back from the Parquet table: inspecting twice would cost twice.
                Dataset<Row> written = spark.read().parquet(tableAt);
                if (csvAt != null) {
                    // RFC 4180 quoting, as results.csv: Spark's default escapes a quote with a backslash, which a CSV
                    // reader takes for the end of the cell (a file name with a quote and a comma shifts the columns)
                    written.drop(ResultSchema.FUSED_PNG).write().mode(SaveMode.ErrorIfExists).option("header", true)
                            .option("escape", "\"").csv(csvAt);
                }
                for (Row r : written.groupBy(ResultSchema.VERDICT).count().collectAsList()) {
                    verdicts.put(r.getString(0), r.getLong(1));
                }
                nonFinite = written.filter(functions.col(ResultSchema.ERROR)
                        .contains(InspectionPipeline.NonFiniteResultException.WORDS)).count();
            } catch (Throwable e) {
                // Spark's own exceptions are checked ones that Java does not see declared: all end here.
                removeWritten(tableAt, hadoop);
                removeWritten(csvAt, hadoop);
                throw e;
            } finally {
                unfinished.close();
            }
            // A broken model's run fails (see Summary#nonFinite): its ERROR rows never replace earlier results.
            boolean earlierKept = false;
            if (nonFinite > 0) {
                // an output that did not exist before keeps this run's rows, to show what failed
                if (!tableAt.equals(request.out())) {
                    removeWritten(tableAt, hadoop);
                    earlierKept = true;
                }
                if (csvAt != null && !csvAt.equals(request.csvOut())) {
                    removeWritten(csvAt, hadoop);
                    earlierKept = true;
                }
            } else {
                replaceWithStaged(request.out(), tableAt, hadoop);
                replaceWithStaged(request.csvOut(), csvAt, hadoop);
            }
            long images = verdicts.values().stream().mapToLong(Long::longValue).sum();
            return new Summary(images, verdicts.getOrDefault("OK", 0L), verdicts.getOrDefault("UNSURE", 0L),
                    verdicts.getOrDefault("NG", 0L),
                    verdicts.getOrDefault(ResultsCsv.ERROR, 0L), nonFinite, shipment.zipSha256(), partitions,
                    inspectionSeconds, earlierKept);
        } finally {
            dmdd.datasets.image.Folders.deleteTree(staging);
        }
    }

    /**
     * Refuses an output that exists (unless replacing it was asked for) or that holds inputs: replacing a
     * folder that holds the images would delete them.
     */
    private static void checkOutput(String out, String option, BatchRequest request, Configuration hadoop)
            throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
        FileSystem fs = path.getFileSystem(hadoop);
        String target = fs.makeQualified(path).toString();
        List<String> inputs = new java.util.ArrayList<>(request.images());
        if (request.imageList() != null) {
            inputs.add(request.imageList());
        }
        inputs.add(request.modelZip());
        String realTarget = localRealPath(target);
        for (String input : inputs) {
            org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
            String source = in.getFileSystem(hadoop).makeQualified(in).toString();
            // the folder the system resolves too: a link to the output, or a glob below it, names its files
            String realSource = localRealPath(withoutGlob(source));
            if (inside(source, target) || realTarget != null && realSource != null && inside(realSource, realTarget)) {
                throw new BatchException(option + " " + out + " holds the input " + input
                        + "; write the results into a folder of their own");
            }
        }
        // A run killed between the two renames of its swap left the earlier results beside the output: a new run
        // must not bury them (the next swap would take them for its own leftovers).
        org.apache.hadoop.fs.Path qualifiedOut = fs.makeQualified(path);
        if (qualifiedOut.getParent() != null && fs.exists(qualifiedOut.getParent())) {
            for (org.apache.hadoop.fs.FileStatus sibling : fs.listStatus(qualifiedOut.getParent())) {
                if (sibling.getPath().getName().startsWith(qualifiedOut.getName() + REPLACED)) {
                    throw new BatchException(option + " " + out + ": a run was stopped while replacing it; the "
                            + "earlier results are in " + sibling.getPath() + (fs.exists(path) ? ""
                            : " (and the new ones in a " + qualifiedOut.getName() + STAGED + "... folder beside it)")
                            + ". Move the results you want to keep to " + out + " or elsewhere, then run again");
                }
            }
        }
        if (!request.overwrite() && fs.exists(path)) {
            throw new BatchException(option + " " + out + " exists; choose a new folder or pass --overwrite");
        }
        if (request.overwrite() && fs.exists(path)) {
            // --overwrite replaces an earlier results table, never a folder of other files.
            if (!fs.getFileStatus(path).isDirectory()) {
                throw new BatchException(option + " " + out + " is a file, not an earlier results folder; "
                        + "not replacing it");
            }
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(path)) {
                String name = f.getPath().getName();
                // Spark's files, and the working folders a killed run leaves; never an image, whatever its name
                // (a camera's "_0001.png" starts like Spark's "_SUCCESS")
                boolean spark = f.isFile() && !dmdd.datasets.image.ImageFiles.isImageFile(Path.of(name))
                        && (name.startsWith("part-") || name.startsWith(".part-")
                        || name.startsWith("_") || name.startsWith("._"))
                        || f.isDirectory() && (name.equals("_temporary") || name.startsWith(".spark-staging"))
                        && !holdsAnImage(fs, f.getPath());
                if (!spark) {
                    throw new BatchException(option + " " + out + " holds " + name + ", which no results table "
                            + "has; --overwrite replaces only an earlier run's output, so choose another folder");
                }
            }
        }
    }

    /** Whether a folder holds an image at any depth: a working folder of Spark's never does. */
    private static boolean holdsAnImage(FileSystem fs, org.apache.hadoop.fs.Path folder) throws IOException {
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(folder, true);
        while (files.hasNext()) {
            if (dmdd.datasets.image.ImageFiles.isImageFile(Path.of(files.next().getPath().getName()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inside(String path, String folder) {
        return path.equals(folder) || path.startsWith(folder + "/");
    }

    /** A qualified path cut before its first component with a glob character ({@code * ? [ {}). */
    private static String withoutGlob(String qualified) {
        int glob = -1;
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int at = qualified.indexOf(c);
            if (at >= 0 && (glob < 0 || at < glob)) {
                glob = at;
            }
        }
        return glob < 0 ? qualified : qualified.substring(0, Math.max(0, qualified.lastIndexOf('/', glob)));
    }

    /** The real path (links resolved) of a qualified local path that exists, as a file URI string; else null. */
    private static String localRealPath(String qualified) {
        try {
            java.net.URI uri = new org.apache.hadoop.fs.Path(qualified).toUri();
            if (!"file".equals(uri.getScheme())) {
                return null;
            }
            Path real = Path.of(uri).toRealPath();
            return new org.apache.hadoop.fs.Path(real.toUri()).toString();
        } catch (IllegalArgumentException | IOException | java.nio.file.FileSystemNotFoundException e) {
            return null; // not local, not there yet, or not a path this system can resolve
        }
    }

    /**
     * Where an output is written: the output itself when it does not exist, else (--overwrite, checked before) a
     * sibling folder that takes its place once complete ({@link #replaceWithStaged}).
     */
    private static String stagedOutput(String out, Configuration hadoop) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            return out;
        }
        org.apache.hadoop.fs.Path qualified = fs.makeQualified(path);
        return new org.apache.hadoop.fs.Path(qualified.getParent(), qualified.getName() + STAGED
                + java.util.UUID.randomUUID()).toString();
    }

    /** Puts a completed staged output in the place of the earlier one, then removes the earlier one. */
    private static void replaceWithStaged(String out, String staged, Configuration hadoop) throws IOException {
        if (out == null || staged.equals(out)) {
            return;
        }
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
        org.apache.hadoop.fs.Path fresh = new org.apache.hadoop.fs.Path(staged);
        FileSystem fs = target.getFileSystem(hadoop);
        org.apache.hadoop.fs.Path qualified = fs.makeQualified(target);
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(qualified.getParent(), qualified.getName()
                + REPLACED + java.util.UUID.randomUUID());
        if (!fs.rename(target, old)) {
            throw new IOException("cannot move the earlier " + out + " aside to " + old + "; the new results are in "
                    + staged);
        }
        if (!fs.rename(fresh, target)) {
            throw new IOException("cannot move the new results from " + staged + " to " + out + "; the earlier ones "
                    + "are in " + old);
        }
        fs.delete(old, true);
    }

    /**
     * Removes what a failed run wrote: the staged folder beside an earlier output, or the output itself when there
     * was none before ({@link #stagedOutput} writes into the output only then), so a re-run is not refused for it.
     */
    private static void removeWritten(String written, Configuration hadoop) {
        if (written == null) {
            return;
        }
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(written);
            path.getFileSystem(hadoop).delete(path, true);
        } catch (IOException e) {
            // a leftover folder; any earlier output is unchanged
        }
    }

    private static String qualified(String location, Configuration hadoop) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        return path.getFileSystem(hadoop).makeQualified(path).toString();
    }

    /**
     * Checks the model zip and the teacher weights on the driver and ships both to the executors.
     */
    private static ModelShipment ship(SparkSession spark, BatchRequest request, Path staging, PrintWriter log)
            throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path zip = fetch(request.modelZip(), "--model", staging.resolve("incoming-model.zip"), hadoop);
        String zipSha = Checksums.sha256(zip);
        ModelArchive.Manifest manifest;
        ModelFolder model;
        try {
            manifest = ModelArchive.inspect(zip);
            model = ModelArchive.importInto(zip, staging.resolve("model"));
        } catch (ModelArchiveException e) {
            throw new BatchException("--model " + e.getMessage().replace(zip.toString(), request.modelZip()), e);
        }
        Path weights;
        if (request.teacherWeights() != null) {
            weights = fetch(request.teacherWeights(), "--teacher-weights", staging.resolve("incoming-teacher"),
                    hadoop);
        } else {
            try {
                weights = TeacherWeights.obtain(model.teacher(), UserDataDirs.weightsDir(),
                        (task, done, total) -> { }).file();
            } catch (IOException e) {
                throw new BatchException("the model needs the " + model.teacher().cliName() + " teacher weights, "
                        + "which this machine cannot provide (" + e.getMessage() + "); pass --teacher-weights FILE", e);
            }
        }
        String weightsSha = Checksums.sha256(weights);
        Path teacherDir = TeacherFolder.prepare(staging.resolve("teacher"), model.teacher(), weights, weightsSha);
        // One pipeline opened here proves that the model and the teacher weights fit together before any
        // executor tries; the executors then open the very same files.
        try (InspectionPipeline check = InspectionPipeline.open(model.folder(), Device.cpu(), teacherDir,
                DownloadProgress.NONE)) {
            log.println("Model " + request.modelZip() + ": teacher " + model.teacher().cliName()
                    + ", image threshold " + check.thresholds().image() + (manifest.carriesWorkstationThresholds()
                    ? " (set in the workstation)" : ""));
        } catch (IOException e) {
            String given = request.teacherWeights() == null ? weights.toString() : request.teacherWeights();
            // the reason names the scratch copy the pipeline read; the person gave another name
            String reason = String.valueOf(e.getMessage()).replace(
                    teacherDir.resolve(TeacherWeights.cacheFileName(model.teacher())).toString(), given);
            throw new BatchException("--model " + request.modelZip() + " cannot be opened with the teacher weights "
                    + given + ": " + reason, e);
        }
        Path shippedZip = Shipping.ship(spark, zip, "dmdd-model-" + zipSha + ".zip");
        Path shippedWeights = Shipping.ship(spark, weights, "dmdd-teacher-" + weightsSha + ".safetensors");
        String trainedAt = model.training() == null ? null : model.training().createdAt();
        return new ModelShipment(shippedZip.getFileName().toString(), zipSha,
                shippedWeights.getFileName().toString(), weightsSha, request.device(), manifest.applicationVersion(),
                trainedAt, model.thresholds().image(), model.thresholds().imageNg());
    }

    /** Copies a file from any Hadoop file system to a local file. */
    private static Path fetch(String source, String option, Path target, Configuration hadoop) throws IOException {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source);
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.getFileStatus(path).isFile()) {
                throw new BatchException(option + " " + source + ": not a file");
            }
            try (InputStream in = fs.open(path)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (FileNotFoundException e) {
            throw new BatchException(option + " " + source + ": no such file", e);
        } catch (IllegalArgumentException e) {
            throw new BatchException(option + " " + source + ": not a path (" + e.getMessage() + ")", e);
        }
    }

    /** The image paths and how many there are. */
    private record Inputs(Dataset<String> paths, long count) {
    }

    /** The image paths: the lines of the list, or the files the folders and globs name. */
    private static Inputs inputs(SparkSession spark, BatchRequest request, Configuration hadoop)
            throws IOException {
        if (request.imageList() != null) {
            org.apache.hadoop.fs.Path list = new org.apache.hadoop.fs.Path(request.imageList());
            if (!list.getFileSystem(hadoop).exists(list)) {
                throw new BatchException("--image-list " + request.imageList() + ": no such file");
            }
            Dataset<String> lines = spark.read().textFile(request.imageList())
                    .map((MapFunction<String, String>) String::strip, Encoders.STRING())
                    .filter((FilterFunction<String>) line -> !line.isEmpty() && !line.startsWith("#"));
            return new Inputs(lines, lines.count());
        }
        List<String> files = InputFiles.list(request.images(), request.recursive(), hadoop);
        if (files.isEmpty()) {
            throw new BatchException("--images " + String.join(" ", request.images()) + ": no image files ("
                    + String.join(", ", dmdd.datasets.image.ImageFiles.EXTENSIONS.stream().sorted().toList()) + ")");
        }
        return new Inputs(spark.createDataset(files, Encoders.STRING()), files.size());
    }
}
