package dmdd.app.gui.metrics;

import ai.djl.ndarray.NDManager;
import dmdd.datasets.annotation.AnnotationStore;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.export.ResultsExporter;
import dmdd.model.infer.Inspector;
import dmdd.model.infer.ModelFolder;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.DownloadProgress;
import dmdd.model.teacher.Teachers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Measures a project's model against its annotations with the model module: the project's
 * {@code model/}, its {@code inspect/} images and {@code annotations.json} / {@code ground_truth/}, run
 * through {@link AnnotatedInspection} exactly as {@code dmdd export} does.
 */
public final class DmddMetricsEngine implements MetricsEngine {
    private final Path weightsDir;

    /** An engine using the user's teacher weights cache. */
    public DmddMetricsEngine() {
        this(UserDataDirs.weightsDir());
    }

    /**
     * @param weightsDir where teacher weights are cached
     */
    public DmddMetricsEngine(Path weightsDir) {
        this.weightsDir = weightsDir;
    }

    @Override
    public AnnotatedInspection.Result measure(Path projectFolder, AnnotatedInspection.Progress progress,
                                              BooleanSupplier cancel) throws Exception {
        return run(projectFolder, null, Double.NaN, progress, cancel);
    }

    @Override
    public AnnotatedInspection.Result exportResults(Path projectFolder, Path outDir, double imageThreshold,
                                                    AnnotatedInspection.Progress progress, BooleanSupplier cancel)
            throws Exception {
        return run(projectFolder, outDir, imageThreshold, progress, cancel);
    }

    private AnnotatedInspection.Result run(Path projectFolder, Path outDir, double imageThreshold,
                                           AnnotatedInspection.Progress progress, BooleanSupplier cancel)
            throws Exception {
        Path modelDir = projectFolder.resolve("model");
        if (!Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
            throw new IllegalStateException(dmdd.app.gui.Ui.text("metrics.noModel"));
        }
        ModelFolder folder = ModelFolder.read(modelDir);
        var items = AnnotatedInspection.items(AnnotationStore.forProject(projectFolder));
        DjlRuntime.engine();
        try (NDManager manager = NDManager.newBaseManager();
             Inspector inspector = Inspector.open(folder, Teachers.load(folder.teacher(), manager, weightsDir,
                     DownloadProgress.NONE), Inspector.DEFAULT_BATCH)) {
            if (outDir == null) {
                return AnnotatedInspection.run(inspector, items, null, progress, cancel);
            }
            ResultsExporter exporter = new ResultsExporter(outDir, ResultsExporter.withUserThresholds(
                    folder.thresholds(), imageThreshold, Double.NaN), ResultsExporter.Options.all());
            return AnnotatedInspection.export(inspector, items, exporter, projectFolder.getFileName().toString(),
                    progress, cancel);
        }
    }
}
