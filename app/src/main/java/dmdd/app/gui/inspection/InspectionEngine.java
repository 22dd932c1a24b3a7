package dmdd.app.gui.inspection;

import dmdd.model.project.Project;
import dmdd.datasets.image.RgbImage;
import dmdd.model.infer.ModelVersions;
import java.nio.file.Path;
import java.util.List;

/**
 * What the inspection screen needs from the model: the calibration of a trained model and the
 * inspection of one image. The application passes {@link DmddInspectionEngine}, which calls the
 * model module's inspector (the same code as {@code dmdd infer}); view-model tests pass a scripted one.
 */
public interface InspectionEngine {

    /**
     * Whether the project has a trained model.
     *
     * @param project the project
     * @return true if it can be inspected
     */
    boolean hasModel(Project project);

    /**
     * The calibration fitted when the model was trained.
     *
     * @param project the project
     * @return thresholds, colour ranges and the held-out normal scores
     * @throws Exception when the model cannot be read
     */
    Calibration calibration(Project project) throws Exception;

    /**
     * Runs the model on one image (on a background thread).
     *
     * @param project the project
     * @param image   the image file
     * @return the three maps and the score
     * @throws Exception when the image or the model cannot be read
     */
    ImageInspection inspect(Project project, Path image) throws Exception;

    /**
     * {@link #inspect(Project, Path)} reporting progress inside the image (tiled models take seconds per image).
     *
     * @param project  the project
     * @param image    the image file
     * @param progress receives the share of the image done; engines without such progress never call it
     * @return the result
     * @throws Exception when the image or the model cannot be read
     */
    default ImageInspection inspect(Project project, Path image, java.util.function.DoubleConsumer progress)
            throws Exception {
        return inspect(project, image);
    }

    /**
     * The picture of an image file alone, as the panels show it, for a project that has no model yet: a person
     * looks at what was imported before anything is trained.
     *
     * @param image the image file
     * @return the picture, upright, its longer side at most the panels' whole-image resolution
     * @throws Exception when the file is not a readable image (the message names it)
     */
    default RgbImage picture(Path image) throws Exception {
        return new dmdd.datasets.image.ImageReader(DmddInspectionEngine.DISPLAY_SIDE).read(image);
    }

    /**
     * The versions of the project's model: the kept earlier ones, oldest first, then the current one.
     *
     * @param project the project
     * @return the versions (empty without a model)
     * @throws Exception when the model folder cannot be read
     */
    default List<ModelVersions.Version> versions(Project project) throws Exception {
        return ModelVersions.list(project.chosenModelDir());
    }

    /**
     * The kept versions of the project's model that can no longer be read, which {@link #versions} leaves out.
     *
     * @param project the project
     * @return one line per such version: its id and why (empty without a model)
     * @throws Exception when the model folder cannot be read
     */
    default List<String> unreadableVersions(Project project) throws Exception {
        return ModelVersions.unreadable(project.chosenModelDir());
    }

    /**
     * "Improve model": continues training the project's model on its normal images (the images marked OK in
     * the review included) for the project's {@code improveSteps}, re-calibrates it and keeps the previous
     * model as a version (on a background thread; the model module's {@code TrainingJob.improve}).
     *
     * @param project  the project
     * @param progress receives the share of the steps done
     * @param cancel   polled between steps
     * @return whether it completed (a cancelled improvement leaves the model as it was)
     * @throws Exception when the model, the images or the teacher cannot be read
     */
    default boolean improve(Project project, java.util.function.DoubleConsumer progress,
            java.util.function.BooleanSupplier cancel) throws Exception {
        throw new UnsupportedOperationException("this engine cannot train");
    }

    /**
     * Makes a kept version the project's model again (the current one is kept as a version).
     *
     * @param project the project
     * @param id      the version's id
     * @throws Exception when the version is missing or writing fails
     */
    default void restoreVersion(Project project, String id) throws Exception {
        modelChanged(project);
        ModelVersions.restore(project.chosenModelDir(), id);
    }

    /**
     * Forgets a loaded model (after training wrote a new one).
     *
     * @param project the project
     */
    default void modelChanged(Project project) {
    }

    /**
     * The identity of the model the project's folder holds now (called on a background thread), to tell whether
     * the screen's calibration still belongs to it.
     *
     * @param project the project
     * @return the model's identity ({@link Calibration#modelId()}), or {@code null} when this engine cannot tell
     * @throws Exception when the folder's model cannot be read
     */
    default String modelOnDisk(Project project) throws Exception {
        return null;
    }

    /**
     * A score range a colour scale spans.
     *
     * @param low  score at the bottom of the scale
     * @param high score at the top
     */
    record Range(double low, double high) {
    }

    /**
     * What the model learned about normal images when it was trained.
     *
     * @param imageThreshold calibrated OK-below image-score threshold (OK at or below)
     * @param ngThreshold    calibrated NG-above image-score threshold (NG above; unsure between the two)
     * @param pixelThreshold calibrated pixel threshold of the fused map
     * @param normality      colour range of the normality-branch map (for methods without branch maps: the fine-level map)
     * @param abnormality    colour range of the abnormality-branch map (for methods without branch maps: the
     *                       coarse-level map)
     * @param fused          colour range of the fused map
     * @param normalScores   image scores of the held-out normal images
     * @param modelId        the model's identity (its weights' SHA-256): the user's thresholds apply to the model they
     *                       were set for only
     */
    record Calibration(double imageThreshold, double ngThreshold, double pixelThreshold, Range normality, Range abnormality, Range fused,
            double[] normalScores, String modelId) {
    }

    /**
     * One inspected image: the image at the maps' resolution and the three maps (row-major).
     *
     * @param file        the image file
     * @param image       the image resized to the maps' size
     * @param normality   normality-branch map (for methods without branch maps: the fine-level map)
     * @param abnormality abnormality-branch map (for methods without branch maps: the coarse-level map)
     * @param fused       fused map (for methods without branch maps: the sum of the levels)
     * @param score       image score
     * @param modelId     the identity of the model that scored it ({@link Calibration#modelId()}), or {@code null}
     *                    when unknown
     * @param warning     why its verdict is less sure (the model saw the picture distorted), or {@code null}
     */
    record ImageInspection(Path file, RgbImage image, float[] normality, float[] abnormality, float[] fused,
            double score, String modelId, String warning) {
        /**
         * @param calibration the thresholds the screen judges with
         * @return whether another model than the calibration's scored this (one replaced in the folder meanwhile)
         */
        public boolean byAnotherModelThan(Calibration calibration) {
            return modelId != null && calibration != null && !modelId.equals(calibration.modelId());
        }

        /** @return map width */
        public int width() {
            return image.width();
        }

        /** @return map height */
        public int height() {
            return image.height();
        }
    }
}
