package dmdd.app.gui.metrics;

import dmdd.datasets.annotation.AnnotationStore;
import dmdd.model.dmdd.Method;
import dmdd.model.project.Project;
import dmdd.model.project.ProjectStore;
import dmdd.model.engine.Devices;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.export.ResultsExporter;
import dmdd.model.infer.ModelFolder;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.pipeline.InspectionPipeline;
import dmdd.model.teacher.DownloadProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Measures a project's models against its annotations with the model module: the model of the method asked
 * for ({@link Project#modelDir(Path, Method)}), the project's {@code inspect/} images and {@code annotations.json} / {@code ground_truth/}, run
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
    public AnnotatedInspection.Result measure(Path projectFolder, Method method, AnnotatedInspection.Progress progress,
                                              BooleanSupplier cancel) throws Exception {
        return run(projectFolder, method, null, progress, cancel);
    }

    @Override
    public AnnotatedInspection.Result exportResults(Path projectFolder, Method method, Path outDir,
                                                    AnnotatedInspection.Progress progress,
                                                    BooleanSupplier cancel) throws Exception {
        return run(projectFolder, method, outDir, progress, cancel);
    }

    private AnnotatedInspection.Result run(Path projectFolder, Method method, Path outDir,
                                           AnnotatedInspection.Progress progress, BooleanSupplier cancel)
            throws Exception {
        Path modelDir = Project.modelDir(projectFolder, method);
        if (!Files.isRegularFile(modelDir.resolve(ModelFolder.DESCRIPTION))) {
            throw new IllegalStateException(dmdd.app.gui.Ui.text("metrics.noModelFor", method.displayName()));
        }
        var items = AnnotatedInspection.items(AnnotationStore.forProject(projectFolder));
        // The project's device choice, as training and the inspection screen use it.
        String device = ProjectStore.isProject(projectFolder) ? ProjectStore.open(projectFolder).settings().device()
                : "auto";
        try (InspectionPipeline pipeline = InspectionPipeline.open(modelDir, Devices.system().choose(device).device(),
                weightsDir, DownloadProgress.NONE)) {
            if (outDir == null) {
                return AnnotatedInspection.run(pipeline, items, null, progress, cancel,
                        pipeline.thresholds().image(), AnnotatedInspection.PixelResolution.MASK);
            }
            // The one rule of every surface (ThresholdsInForce), for the model the folder holds now: a model
            // replaced on the command line since the screen loaded is never judged by the old one's thresholds.
            ResultsExporter exporter = new ResultsExporter(outDir,
                    dmdd.model.project.ThresholdsInForce.of(projectFolder, modelDir, pipeline.model()).thresholds(),
                    ResultsExporter.Options.all(), pipeline.settings().method());
            return AnnotatedInspection.export(pipeline, items, exporter, projectFolder.getFileName().toString(),
                    progress, cancel);
        }
    }
}
