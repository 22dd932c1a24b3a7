package dmdd.app.cli;

import dmdd.model.export.ResultsExporter;
import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The thresholds the workstation judges a project's images by, for the commands that inspect a project's model:
 * {@code export --project} and {@code review-queue}, so that their verdicts and queue are the workstation's.
 */
final class ProjectThresholds {
    private ProjectThresholds() {
    }

    /**
     * The thresholds of a model folder that may be one of a project's ({@code P/model}, {@code P/models/NAME}).
     *
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @param out      where to say which thresholds apply
     * @return the workstation's thresholds when the folder is a project's model, else the calibrated ones
     * @throws IOException when the project's settings cannot be read
     */
    static Thresholds ofModel(Path modelDir, ModelFolder model, PrintWriter out) throws IOException {
        // the folder the system resolves: a link to a project's model is that model
        Path absolute = modelDir.toRealPath();
        for (Path candidate = absolute.getParent(); candidate != null
                && candidate.getNameCount() >= absolute.getNameCount() - 2; candidate = candidate.getParent()) {
            if (dmdd.model.project.ProjectStore.isProject(candidate)) {
                return of(candidate, modelDir, model, out);
            }
        }
        return model.thresholds();
    }

    /**
     * The thresholds a project's images are judged by: those the user set in the workstation for the method of
     * {@code modelDir} when it is one of the project's models (the verdicts the workstation shows and its own
     * export writes), else the model's calibrated ones ({@code model}, read from {@code modelDir}). Said on {@code out}
     * when the workstation's apply.
     *
     * @param project  a project folder (or any folder: then the calibrated ones)
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @param out      where to say which thresholds apply
     * @return the thresholds
     * @throws IOException when the project's settings cannot be read
     */
    static Thresholds of(Path project, Path modelDir, ModelFolder model, PrintWriter out)
            throws IOException {
        Thresholds calibrated = model.thresholds();
        if (!dmdd.model.project.ProjectStore.isProject(project)) {
            return calibrated;
        }
        dmdd.model.project.Project opened = dmdd.model.project.ProjectStore.open(project);
        for (dmdd.model.dmdd.Method method : dmdd.model.dmdd.Method.values()) {
            Path own = opened.modelDir(method);
            if (Files.isDirectory(own) && Files.isSameFile(own, modelDir)) {
                dmdd.model.project.ProjectSettings.UserThresholds saved = opened.settings().userThresholds(method);
                String modelId = model.identity();
                dmdd.model.project.ProjectSettings.UserThresholds user = saved.appliedTo(modelId);
                if (saved.setForAnother(modelId)) {
                    // Set for an earlier model of the slot: another model scores on another scale.
                    out.printf(Locale.ROOT, "note: the thresholds set in the workstation for %s were set for an "
                            + "earlier model (or saved without naming one); this model's calibrated ones apply%n", method.displayName());
                    return calibrated;
                }
                if (user.isEmpty()) {
                    return calibrated;
                }
                Thresholds chosen = ResultsExporter.withUserThresholds(calibrated, orNaN(user.image()),
                        orNaN(user.ng()), orNaN(user.pixel()));
                out.printf(Locale.ROOT, "thresholds set in the workstation for %s: OK at or below %.6g, NG above "
                        + "%.6g, defect pixels above %.6g%n", method.displayName(), chosen.image(), chosen.imageNg(),
                        chosen.pixel());
                return chosen;
            }
        }
        return calibrated;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
