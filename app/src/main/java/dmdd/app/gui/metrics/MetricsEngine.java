package dmdd.app.gui.metrics;

import dmdd.model.dmdd.Method;
import dmdd.model.export.AnnotatedInspection;
import dmdd.model.project.Project;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the metrics screen needs from the model: inspect a project's annotated images and measure. The
 * application passes {@link DmddMetricsEngine} ({@link AnnotatedInspection}, the metrics package's
 * {@code Evaluation}, the code behind {@code eval}); view-model tests may pass another. A project holds one
 * model per method ({@link Project#modelDir(Path, Method)}); every call names the method whose model it uses.
 */
public interface MetricsEngine {
    /**
     * The methods the project has a trained model of (called on a background thread).
     *
     * @param projectFolder the project
     * @return those methods, in {@link Method} order
     * @throws Exception when the project folder cannot be read
     */
    default List<Method> trainedMethods(Path projectFolder) throws Exception {
        return Project.trainedMethods(projectFolder);
    }

    /**
     * Measures the DMDD model (the project's {@code model/}); runs on a background thread.
     *
     * @param projectFolder the project
     * @param progress      progress receiver
     * @param cancel        polled between batches
     * @return outcomes and measurement
     * @throws Exception when there is no model or the images cannot be inspected
     */
    default AnnotatedInspection.Result measure(Path projectFolder, AnnotatedInspection.Progress progress,
            BooleanSupplier cancel) throws Exception {
        return measure(projectFolder, Method.DMDD, progress, cancel);
    }

    /**
     * Measures one method's model against the project's annotations; runs on a background thread.
     *
     * @param projectFolder the project
     * @param method        whose model
     * @param progress      progress receiver
     * @param cancel        polled between batches
     * @return outcomes and measurement
     * @throws Exception when there is no model or the images cannot be inspected
     */
    AnnotatedInspection.Result measure(Path projectFolder, Method method, AnnotatedInspection.Progress progress,
            BooleanSupplier cancel) throws Exception;

    /**
     * Inspects, measures and writes results.csv, the maps and report.html (on a background thread).
     *
     * @param projectFolder the project
     * @param method        whose model
     * @param outDir        the export folder (verdicts, maps and report use the thresholds in force for the model the
     *                      folder holds now: those set in the workstation for it, else its calibrated ones; never
     *                      thresholds set for a model replaced since)
     * @param progress      progress receiver
     * @param cancel        polled between batches
     * @return outcomes and measurement
     * @throws Exception when there is no model, or reading or writing fails
     */
    AnnotatedInspection.Result exportResults(Path projectFolder, Method method, Path outDir,
                                             AnnotatedInspection.Progress progress,
                                             BooleanSupplier cancel) throws Exception;
}
