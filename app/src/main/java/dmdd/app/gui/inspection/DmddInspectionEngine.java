package dmdd.app.gui.inspection;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.app.gui.project.Project;
import dmdd.app.gui.project.ProjectImage;
import dmdd.datasets.image.AtomicFiles;
import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.RgbImage;
import dmdd.model.engine.Devices;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.AnomalyMaps;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inspection engine of the application: the model module's {@link Inspector}, the same code
 * the command line's {@code infer} runs. The open inspector (and its teacher) is kept for the
 * project until the model changes. Calls are serialised: one model, one thread at a time.
 */
public final class DmddInspectionEngine implements InspectionEngine {
    /** Longest side of the pictures the panels show; maps come out at this resolution. */
    public static final int DISPLAY_SIDE = 512;
    /** How many normal images are scored for the histogram. */
    public static final int NORMAL_SAMPLE = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path weightsDir;
    private final ImageReader reader = new ImageReader(DISPLAY_SIDE);
    private Path openFolder;
    private NDManager teacherManager;
    private Inspector inspector;

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
        return Files.isRegularFile(project.modelDir().resolve(ModelFolder.DESCRIPTION));
    }

    @Override
    public synchronized Calibration calibration(Project project) throws Exception {
        Thresholds t = ModelFolder.read(project.modelDir()).thresholds();
        return new Calibration(t.image(), t.pixel(), range(t.normality()), range(t.abnormality()), range(t.fused()),
                normalScores(project));
    }

    @Override
    public synchronized ImageInspection inspect(Project project, Path file) throws Exception {
        RgbImage image = reader.read(file);
        AnomalyMaps maps = open(project).inspect(image);
        return new ImageInspection(file, image, maps.normality(), maps.abnormality(), maps.fused(), maps.score());
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
        if (inspector != null) {
            inspector.close();
        }
        if (teacherManager != null) {
            teacherManager.close();
        }
        inspector = null;
        teacherManager = null;
        openFolder = null;
    }

    private Inspector open(Project project) throws IOException {
        if (inspector != null && project.folder().equals(openFolder)) {
            return inspector;
        }
        close();
        ModelFolder model = ModelFolder.read(project.modelDir());
        NDManager manager = DjlRuntime.engine().newBaseManager(
                Devices.system().choose(project.settings().device()).device());
        try {
            Backbone teacher = Teachers.load(model.teacher(), manager, weightsDir,
                    dmdd.model.teacher.DownloadProgress.NONE);
            inspector = Inspector.open(model, teacher, Inspector.DEFAULT_BATCH);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        teacherManager = manager;
        openFolder = project.folder();
        return inspector;
    }

    /** Scores of (up to {@value #NORMAL_SAMPLE}) normal images, cached in the results folder. */
    private double[] normalScores(Project project) throws IOException {
        Path cache = normalScoresFile(project);
        if (Files.isRegularFile(cache)
                && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(
                        project.modelDir().resolve(ModelFolder.DESCRIPTION))) > 0) {
            return JSON.readValue(cache.toFile(), double[].class);
        }
        List<ProjectImage> normals = project.normalImages();
        List<RgbImage> sample = new ArrayList<>();
        int step = Math.max(1, normals.size() / NORMAL_SAMPLE);
        for (int i = 0; i < normals.size() && sample.size() < NORMAL_SAMPLE; i += step) {
            try {
                sample.add(reader.read(normals.get(i).file()));
            } catch (IOException e) {
                // An unreadable normal image simply does not appear in the histogram.
            }
        }
        double[] scores = open(project).inspect(sample).stream().mapToDouble(AnomalyMaps::score).toArray();
        AtomicFiles.writeBytes(cache, JSON.writeValueAsBytes(scores));
        return scores;
    }

    private static Path normalScoresFile(Project project) {
        return project.resultsDir().resolve("normal-scores.json");
    }

    private static Range range(Thresholds.Range range) {
        return new Range(range.low(), range.high());
    }
}
