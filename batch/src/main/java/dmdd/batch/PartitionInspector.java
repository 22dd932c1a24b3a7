package dmdd.batch;

import dmdd.datasets.image.FileNames;
import dmdd.model.infer.Thresholds;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.pipeline.ResultsCsv;
import dmdd.model.viz.Colormap;
import dmdd.model.viz.Heatmaps;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Inspects one partition of image paths on an executor: borrows a pipeline of the executor's model
 * ({@link ExecutorModels}), and feeds it the images in chunks through
 * {@link InspectionPipeline#inspectFiles}, the same call {@code dmdd infer} makes, which batches them
 * through the networks. Local files are read in place; files on other Hadoop file systems (HDFS, object
 * stores) are copied to a scratch folder first, because the pipeline's decoder reads files. Every input
 * gives exactly one row; an image without a result is an {@code ERROR} row with the reason, never a
 * failed task.
 */
final class PartitionInspector implements MapPartitionsFunction<String, Row> {
    private static final long serialVersionUID = 1L;
    /**
     * Paths fetched and handed to the pipeline together: four of its network batches of 8, so that the
     * copies of remote files and the decoded pictures in memory stay few.
     */
    static final int CHUNK = 32;
    /** Output side when no maps are wanted: the score never depends on it, and small maps cost nothing. */
    private static final int SCORE_ONLY_SIDE = 64;

    private final ModelShipment shipment;
    private final HadoopConfiguration hadoop;
    private final int mapSide;

    /**
     * @param shipment the model
     * @param hadoop   the driver's Hadoop configuration (file systems of the inputs)
     * @param mapSide  longest side of the fused-map PNG per row, or 0 for no maps
     */
    PartitionInspector(ModelShipment shipment, HadoopConfiguration hadoop, int mapSide) {
        this.shipment = shipment;
        this.hadoop = hadoop;
        this.mapSide = mapSide;
    }

    @Override
    public Iterator<Row> call(Iterator<String> paths) throws IOException {
        if (!paths.hasNext()) {
            return List.<Row>of().iterator();
        }
        TaskContext task = TaskContext.get();
        // As many intra-op threads as cores Spark gave the task (spark.task.cpus).
        ExecutorModels.Lease lease = ExecutorModels.lease(shipment, task == null ? 1 : Math.max(1, task.cpus()));
        Path scratch;
        try {
            scratch = Files.createTempDirectory("dmdd-batch-task-");
        } catch (IOException e) {
            lease.close();
            throw e;
        }
        Runnable release = () -> {
            lease.close();
            try {
                dmdd.datasets.image.Folders.deleteTree(scratch);
            } catch (IOException e) {
                // A leftover scratch folder in the executor's temporary folder; the results are unaffected.
            }
        };
        if (task != null) {
            // Also when the task fails or is killed: the pipeline goes back to the pool.
            task.addTaskCompletionListener((TaskCompletionListener) context -> release.run());
        }
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && paths.hasNext()) {
                    List<String> chunk = new ArrayList<>(CHUNK);
                    while (chunk.size() < CHUNK && paths.hasNext()) {
                        chunk.add(paths.next());
                    }
                    try {
                        ready.addAll(inspect(lease.pipeline(), chunk, scratch));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                if (ready.isEmpty()) {
                    release.run();
                    return false;
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** One input on its way to the pipeline: the local file, or why there is none. */
    private record Input(String path, Path local, boolean copied, String error) {
    }

    private List<Row> inspect(InspectionPipeline pipeline, List<String> chunk, Path scratch) throws IOException {
        List<Input> inputs = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            inputs.add(localize(chunk.get(i), scratch, i));
        }
        // Positions of the inputs that reach the pipeline; its receiver is called once for each, in order.
        List<Integer> readable = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).local() != null) {
                readable.add(i);
            }
        }
        Row[] rows = new Row[inputs.size()];
        Thresholds thresholds = pipeline.thresholds();
        int[] next = {0};
        try {
            pipeline.inspectFiles(readable.stream().map(i -> inputs.get(i).local()).toList(),
                    mapSide > 0 ? mapSide : SCORE_ONLY_SIDE, new InspectionPipeline.Receiver() {
                    @Override
                    public void inspected(Inspection inspection) throws IOException {
                        int at = readable.get(next[0]++);
                        rows[at] = row(inputs.get(at).path(), inspection.score(), inspection.verdict().word(),
                                inspection.warning(),
                                mapSide > 0 ? fusedPng(inspection, thresholds) : null);
                    }

                    @Override
                    public void failed(Path file, IOException reason) {
                        int at = readable.get(next[0]++);
                        Input in = inputs.get(at);
                        rows[at] = error(in.path(), in.copied()
                                ? reason.getMessage().replace(in.local().toString(), in.path())
                                : reason.getMessage());
                    }
                }, null);
        } finally {
            for (Input in : inputs) {
                if (in.copied()) {
                    Files.deleteIfExists(in.local());
                }
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).local() == null) {
                rows[i] = error(inputs.get(i).path(), inputs.get(i).error());
            }
        }
        return List.of(rows);
    }

    /** The input as a local file: in place on a local file system, else copied into the scratch folder. */
    private Input localize(String path, Path scratch, int index) {
        Configuration conf = hadoop.get();
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(conf);
            if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
                return new Input(path, Path.of(fs.makeQualified(p).toUri()), false, null);
            }
            // Named by its index and extension only: a remote name may be as long as a local name may be at
            // most, and the decoder reads the format from the content (the extension is kept for the reader's
            // choice of plugin). The row keeps the remote path.
            String name = p.getName();
            int dot = name.lastIndexOf('.');
            Path local = scratch.resolve(index + (dot > 0 ? FileNames.withinBytes(name.substring(dot), 16) : ""));
            try (InputStream in = fs.open(p)) {
                Files.copy(in, local);
            }
            return new Input(path, local, true, null);
        } catch (FileNotFoundException e) {
            // The pipeline's words for a missing local file, so that both say the same.
            return new Input(path, null, false, "Cannot read image " + path + ": file does not exist");
        } catch (IOException | IllegalArgumentException e) {
            return new Input(path, null, false, path + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private Row row(String path, double score, String verdict, String warning, byte[] png) {
        Object[] values = {path, score, verdict, shipment.threshold(), shipment.ngThreshold(), null, warning,
            shipment.modelVersion(),
            shipment.modelTrainedAt(), shipment.zipSha256()};
        if (mapSide > 0) {
            Object[] withMap = java.util.Arrays.copyOf(values, values.length + 1);
            withMap[values.length] = png;
            values = withMap;
        }
        return RowFactory.create(values);
    }

    private Row error(String path, String reason) {
        Object[] values = {path, null, ResultsCsv.ERROR, shipment.threshold(), shipment.ngThreshold(), reason, null,
            shipment.modelVersion(),
            shipment.modelTrainedAt(), shipment.zipSha256()};
        if (mapSide > 0) {
            values = java.util.Arrays.copyOf(values, values.length + 1);
        }
        return RowFactory.create(values);
    }

    /** The fused map as {@code dmdd infer} colours its {@code .fused.png}, encoded as PNG bytes. */
    private static byte[] fusedPng(Inspection inspection, Thresholds t) throws IOException {
        var maps = inspection.maps();
        int[] argb = Heatmaps.heatmap(maps.fused(), t.fused().low(), t.fused().high(), Colormap.TURBO);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(Heatmaps.toBufferedImage(argb, maps.width(), maps.height()), "png", bytes)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        return bytes.toByteArray();
    }
}
