package dmdd.app.gui.inspection;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import dmdd.model.train.TrainingResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectImage;
import dmdd.datasets.image.AtomicFiles;
import dmdd.model.engine.Devices;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.pipeline.Inspection;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.DownloadProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inspection engine of the application: the model module's {@link Inspector}, the same code
 * the command line's {@code infer} runs, on the model of the method chosen in the project's training
 * settings ({@link Project#chosenModelDir()}). The open inspector (and its teacher) is kept until the
 * model changes or another method's model is asked for. Calls are serialised: one model, one thread at a time.
 */
public final class DmddInspectionEngine implements InspectionEngine {
    /** Longest side of the pictures the panels show for whole-image models; maps come out at this resolution. */
    public static final int DISPLAY_SIDE = 512;
    /**
     * Longest side shown for tiled (camera-resolution) models: the panels zoom into the stitched maps at the
     * camera's resolution (a 2448 x 2048 image whole), where a hairline scratch is a line, not a blur.
     */
    public static final int TILED_DISPLAY_SIDE = 4096;
    /** How many normal images are scored for the histogram. */
    public static final int NORMAL_SAMPLE = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path weightsDir;
    /** The model folder of the open pipeline: a project holds one model per method, so the folder is the key. */
    private Path openModel;
    private InspectionPipeline pipeline;

    /** An engine using the user's weights cache. */
    public DmddInspectionEngine() {
        this(UserDataDirs.weightsDir());
    }

    /**
     * An engine with its own weights cache folder.
     *
     * @param weightsDir where teacher weights are cached
     */
    public DmddInspectionEngine(Path weightsDir) {
        this.weightsDir = weightsDir;
    }

    @Override
    public boolean hasModel(Project project) {
        return Files.isRegularFile(project.chosenModelDir().resolve(ModelFolder.DESCRIPTION));
    }

    @Override
    public synchronized Calibration calibration(Project project) throws Exception {
        ModelFolder model = ModelFolder.read(project.chosenModelDir());
        Thresholds t = model.thresholds();
        return new Calibration(t.image(), t.imageNg(), t.pixel(), range(t.normality()), range(t.abnormality()), range(t.fused()),
                normalScores(project), model.identity());
    }

    @Override
    public synchronized ImageInspection inspect(Project project, Path file) throws Exception {
        return inspect(project, file, null);
    }

    @Override
    public synchronized ImageInspection inspect(Project project, Path file, java.util.function.DoubleConsumer progress)
            throws Exception {
        InspectionPipeline pipeline = open(project);
        Inspection r = pipeline.inspect(file, pipeline.settings().isTiled() ? TILED_DISPLAY_SIDE : DISPLAY_SIDE,
                progress);
        AnomalyMaps maps = r.maps();
        return new ImageInspection(file, r.picture(), maps.normality(), maps.abnormality(), maps.fused(), r.score(),
                pipeline.model().identity(), r.warning());
    }

    @Override
    public boolean improve(Project project, java.util.function.DoubleConsumer progress,
            java.util.function.BooleanSupplier cancel) throws Exception {
        // The open model is let go first; the improvement writes the folder under its own lock.
        modelChanged(project);
        ModelFolder current = ModelFolder.read(project.chosenModelDir());
        DmddSettings settings = current.settings();
        var reader = settings.preprocessing().networkInputs();
        List<List<RgbImage>> normalSets = new java.util.ArrayList<>();
        for (List<Path> files : project.normalFilesBySet().values()) {
            normalSets.add(ImportReport.loadAll(files, reader::read).loaded());
        }
        if (normalSets.stream().allMatch(List::isEmpty)) {
            throw new IOException("the project has no readable normal image to train on");
        }
        try (NDManager manager = DjlRuntime.engine().newBaseManager(
                Devices.system().choose(project.settings().device()).device())) {
            Backbone teacher = Teachers.load(current.teacher(), manager, weightsDir, DownloadProgress.NONE);
            TrainingResult result = TrainingJob.improveOnSets(project.chosenModelDir(), normalSets, teacher,
                    project.settings().training().improveSteps(), new TrainingListener() {
                        @Override
                        public void onProgress(TrainingProgress p) {
                            progress.accept((double) p.completedSteps() / Math.max(1, p.totalSteps()));
                        }
                    }, cancel);
            modelChanged(project);
            return result.completed();
        }
    }

    @Override
    public synchronized void modelChanged(Project project) {
        close();
        try {
            Files.deleteIfExists(normalScoresFile(project));
        } catch (IOException e) {
            // Only a cache: it is rewritten on the next calibration.
        }
    }

    /** Frees the open model. */
    public synchronized void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        pipeline = null;
        openModel = null;
    }

    @Override
    public String modelOnDisk(Project project) throws Exception {
        return ModelFolder.read(project.chosenModelDir()).identity();
    }

    /**
     * The pipeline of the project's model as its folder holds it now. The folder alone is not the key: the command
     * line (train, improve, import-model) can replace the model while the workstation keeps the old one open, and
     * the thresholds {@link #calibration} reads would then judge the old model's scores.
     */
    private InspectionPipeline open(Project project) throws IOException {
        Path model = project.chosenModelDir();
        ModelFolder current = ModelFolder.read(model);
        if (pipeline != null && model.equals(openModel)
                && java.util.Objects.equals(current.identity(), pipeline.model().identity())) {
            return pipeline;
        }
        close();
        pipeline = InspectionPipeline.open(current,
                Devices.system().choose(project.settings().device()).device(), weightsDir, DownloadProgress.NONE);
        openModel = model;
        return pipeline;
    }

    /** Scores of (up to {@value #NORMAL_SAMPLE}) normal images, cached in the results folder. */
    private double[] normalScores(Project project) throws IOException {
        Path cache = normalScoresFile(project);
        if (Files.isRegularFile(cache)
                && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(
                        project.chosenModelDir().resolve(ModelFolder.DESCRIPTION))) > 0) {
            return JSON.readValue(cache.toFile(), double[].class);
        }
        List<ProjectImage> normals = project.normalImages();
        List<Path> sample = new ArrayList<>();
        int step = Math.max(1, normals.size() / NORMAL_SAMPLE);
        for (int i = 0; i < normals.size() && sample.size() < NORMAL_SAMPLE; i += step) {
            sample.add(normals.get(i).file());
        }
        List<Double> scores = new ArrayList<>();
        open(project).inspectFiles(sample, 1, new InspectionPipeline.Receiver() {
            @Override
            public void inspected(Inspection inspection) {
                scores.add(inspection.score());
            }

            @Override
            public void failed(Path file, IOException reason) {
                // An unreadable normal image simply does not appear in the histogram.
            }
        }, null);
        double[] values = scores.stream().mapToDouble(Double::doubleValue).toArray();
        AtomicFiles.writeBytes(cache, JSON.writeValueAsBytes(values));
        return values;
    }

    private static Path normalScoresFile(Project project) {
        return project.resultsDir(project.method()).resolve("normal-scores.json");
    }

    private static Range range(Thresholds.Range range) {
        return new Range(range.low(), range.high());
    }
}
