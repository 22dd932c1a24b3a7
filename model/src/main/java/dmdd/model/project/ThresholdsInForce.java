package dmdd.model.project;

import dmdd.model.dmdd.Method;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The thresholds a model's verdicts are given by: for one of a project's models ({@code P/model},
 * {@code P/models/NAME}) those the user set in the workstation for it, else its calibrated ones. Every surface that
 * judges a project's model (the workstation, {@code export --project}, {@code review-queue}, {@code infer}, and a
 * model zip packed for the batch job) takes them from here, so that an image gets the same verdict everywhere.
 *
 * @param thresholds the thresholds in force
 * @param origin     where they come from
 * @param method     the project's method slot the model is in, or null when it is no project's model
 */
public record ThresholdsInForce(Thresholds thresholds, Origin origin, Method method) {

    /** Where thresholds in force come from. */
    public enum Origin {
        /** The model's own, fitted on held-out normal images (no project, or the user set none). */
        CALIBRATED,
        /** The user's, set in the workstation for this very model. */
        WORKSTATION,
        /** The model's own, because the user's were set for an earlier model of the slot (another scale). */
        CALIBRATED_SET_FOR_ANOTHER
    }

    /**
     * The thresholds in force for a model folder that may be one of a project's (also when named through a link).
     *
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @return the workstation's thresholds when the folder is a project's model and the user set some for it
     * @throws IOException when the project's settings cannot be read
     */
    public static ThresholdsInForce ofModel(Path modelDir, ModelFolder model) throws IOException {
        // as named (a project's slot that is itself a link) and as the system resolves it (a link to a slot)
        for (Path absolute : java.util.List.of(modelDir.toAbsolutePath().normalize(), modelDir.toRealPath())) {
            for (Path candidate = absolute.getParent(); candidate != null
                    && candidate.getNameCount() >= absolute.getNameCount() - 2; candidate = candidate.getParent()) {
                if (ProjectStore.isProject(candidate)) {
                    ThresholdsInForce found = of(candidate, modelDir, model);
                    if (found.method() != null) {
                        return found;
                    }
                }
            }
        }
        return calibrated(model, null);
    }

    /**
     * The thresholds in force for {@code modelDir} judged as a model of {@code project}: the user's for the method
     * whose slot holds it, else the calibrated ones (also when {@code project} is no project or the folder is none
     * of its models).
     *
     * @param project  a project folder (or any folder)
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @return the thresholds in force
     * @throws IOException when the project's settings cannot be read
     */
    public static ThresholdsInForce of(Path project, Path modelDir, ModelFolder model) throws IOException {
        if (!ProjectStore.isProject(project)) {
            return calibrated(model, null);
        }
        Project opened = ProjectStore.open(project);
        for (Method method : Method.values()) {
            Path own = opened.modelDir(method);
            if (Files.isDirectory(own) && Files.isSameFile(own, modelDir)) {
                ProjectSettings.UserThresholds saved = opened.settings().userThresholds(method);
                String modelId = model.identity();
                if (saved.setForAnother(modelId)) {
                    return new ThresholdsInForce(model.thresholds(), Origin.CALIBRATED_SET_FOR_ANOTHER, method);
                }
                ProjectSettings.UserThresholds user = saved.appliedTo(modelId);
                if (user.isEmpty()) {
                    return calibrated(model, method);
                }
                return new ThresholdsInForce(model.thresholds().withUserThresholds(orNaN(user.image()),
                        orNaN(user.ng()), orNaN(user.pixel())), Origin.WORKSTATION, method);
            }
        }
        return calibrated(model, null);
    }

    private static ThresholdsInForce calibrated(ModelFolder model, Method method) {
        return new ThresholdsInForce(model.thresholds(), Origin.CALIBRATED, method);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
