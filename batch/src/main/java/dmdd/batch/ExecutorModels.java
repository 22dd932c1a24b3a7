package dmdd.batch;

import ai.djl.Device;
import dmdd.model.engine.Devices;
import dmdd.model.export.ModelArchive;
import dmdd.model.infer.ModelFolder;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.DownloadProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkFiles;

/**
 * The models of this executor JVM, keyed by the model zip's SHA-256: the zip is unpacked and checked
 * once per JVM (into a local temporary folder), and its inspection pipelines are reused by every task
 * that runs here, so a job pays the model load once per executor, not once per task or partition.
 *
 * <p>An {@link InspectionPipeline} is not thread-safe, and an executor runs as many tasks at once as it
 * has cores; each running task therefore borrows a pipeline of its own from the model's pool, which
 * grows to the number of tasks that ran at the same time and no further. A pipeline computes with as
 * many libtorch intra-op threads as its task has cores ({@code spark.task.cpus}, 1 by default): Spark's
 * parallelism is the tasks, and more threads than cores make libtorch's spinning workers much slower
 * (see {@code IntraOpThreads}). Everything is closed, and the temporary folders removed, by a JVM
 * shutdown hook when the executor exits.
 */
final class ExecutorModels {
    private static final Map<String, LoadedModel> MODELS = new HashMap<>();
    private static boolean hookInstalled;

    private ExecutorModels() {
    }

    /**
     * Borrows a pipeline of the shipped model, loading the model on first use in this JVM.
     *
     * @param shipment the model's shipped files and identity
     * @param threads  libtorch intra-op threads for the task (its cores)
     * @return the lease (close it to give the pipeline back)
     * @throws IOException when the model or its teacher cannot be loaded here
     */
    static Lease lease(ModelShipment shipment, int threads) throws IOException {
        LoadedModel model;
        synchronized (MODELS) {
            model = MODELS.get(shipment.zipSha256());
            if (model == null) {
                model = LoadedModel.unpack(shipment);
                MODELS.put(shipment.zipSha256(), model);
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "dmdd-batch-models"));
                    hookInstalled = true;
                }
            }
        }
        return model.borrow(threads);
    }

    /**
     * How many pipelines of a model this JVM has opened (for tests: the model is loaded once per running
     * task slot, not per task).
     *
     * @param zipSha256 the model zip's SHA-256
     * @return pipelines opened, 0 when the model was never used here
     */
    static int pipelinesOpened(String zipSha256) {
        synchronized (MODELS) {
            LoadedModel model = MODELS.get(zipSha256);
            return model == null ? 0 : model.opened();
        }
    }

    private static void closeAll() {
        synchronized (MODELS) {
            for (LoadedModel model : MODELS.values()) {
                model.close();
            }
            MODELS.clear();
        }
    }

    /** A borrowed pipeline; closing it gives the pipeline back to its model's pool. */
    static final class Lease implements AutoCloseable {
        private final LoadedModel model;
        private final int threads;
        private InspectionPipeline pipeline;

        private Lease(LoadedModel model, int threads, InspectionPipeline pipeline) {
            this.model = model;
            this.threads = threads;
            this.pipeline = pipeline;
        }

        /** @return the pipeline, for this task only */
        InspectionPipeline pipeline() {
            return pipeline;
        }

        /** Gives the pipeline back (idempotent). */
        @Override
        public void close() {
            if (pipeline != null) {
                model.giveBack(threads, pipeline);
                pipeline = null;
            }
        }
    }

    /** One unpacked model and its pool of pipelines. */
    private static final class LoadedModel {
        private final Path folder;
        private final ModelFolder model;
        private final Path teacherDir;
        private final Device device;
        /** Idle pipelines by intra-op thread count. */
        private final Map<Integer, Deque<InspectionPipeline>> idle = new HashMap<>();
        private final List<InspectionPipeline> all = new ArrayList<>();
        private boolean closed;

        private LoadedModel(Path folder, ModelFolder model, Path teacherDir, Device device) {
            this.folder = folder;
            this.model = model;
            this.teacherDir = teacherDir;
            this.device = device;
        }

        static LoadedModel unpack(ModelShipment shipment) throws IOException {
            Path zip = Path.of(SparkFiles.get(shipment.zipFileName()));
            Path weights = Path.of(SparkFiles.get(shipment.teacherFileName()));
            String zipSha = Checksums.sha256(zip);
            if (!zipSha.equals(shipment.zipSha256())) {
                throw new IOException("the model zip shipped to this executor (" + zip + ") has SHA-256 " + zipSha
                        + ", the driver sent " + shipment.zipSha256());
            }
            Path folder = Files.createTempDirectory("dmdd-batch-model-");
            try {
                // The same checked import as the workstation's Import model: checksums of every entry,
                // refusal of anything foreign.
                ModelFolder model = ModelArchive.importInto(zip, folder.resolve("model"));
                Path teacherDir = TeacherFolder.prepare(folder.resolve("teacher"), model.teacher(), weights,
                        shipment.teacherSha256());
                Device device = Devices.system().choose(shipment.device()).device();
                return new LoadedModel(folder, model, teacherDir, device);
            } catch (IOException | RuntimeException e) {
                dmdd.datasets.image.Folders.deleteTree(folder);
                throw e;
            }
        }

        synchronized Lease borrow(int threads) throws IOException {
            if (closed) {
                throw new IOException("the executor is shutting down");
            }
            InspectionPipeline pipeline = idle.computeIfAbsent(threads, t -> new ArrayDeque<>()).poll();
            if (pipeline == null) {
                ModelFolder withThreads = new ModelFolder(model.folder(),
                        model.settings().with(Map.of("threads", threads)), model.teacher(), model.thresholds(),
                        model.training(), model.weightsFile(), model.weightsSha256());
                pipeline = InspectionPipeline.open(withThreads, device, teacherDir, DownloadProgress.NONE);
                all.add(pipeline);
            }
            return new Lease(this, threads, pipeline);
        }

        synchronized void giveBack(int threads, InspectionPipeline pipeline) {
            if (closed) {
                pipeline.close();
            } else {
                idle.computeIfAbsent(threads, t -> new ArrayDeque<>()).push(pipeline);
            }
        }

        synchronized int opened() {
            return all.size();
        }

        synchronized void close() {
            closed = true;
            for (InspectionPipeline pipeline : all) {
                pipeline.close();
            }
            all.clear();
            idle.clear();
            try {
                dmdd.datasets.image.Folders.deleteTree(folder);
            } catch (IOException e) {
                // The JVM is exiting; a leftover temporary folder is all that remains.
            }
        }
    }
}
