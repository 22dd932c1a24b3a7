package dmdd.app.cli;

import dmdd.model.infer.ModelFolder;
import dmdd.model.infer.Thresholds;
import dmdd.model.project.ThresholdsInForce;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The commands' side of {@link ThresholdsInForce}: the thresholds a project's model judges by, said on the
 * command's output when they are not the model's calibrated ones.
 */
final class ProjectThresholds {
    private ProjectThresholds() {
    }

    /**
     * The thresholds in force for a model folder that may be one of a project's ({@code P/model},
     * {@code P/models/NAME}).
     *
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @param out      where to say which thresholds apply
     * @return the workstation's thresholds when the folder is a project's model, else the calibrated ones
     * @throws IOException when the project's settings cannot be read
     */
    static Thresholds ofModel(Path modelDir, ModelFolder model, PrintWriter out) throws IOException {
        return said(ThresholdsInForce.ofModel(modelDir, model), out);
    }

    /**
     * The thresholds a project's images are judged by ({@link ThresholdsInForce#of}), said on {@code out} when the
     * workstation's apply.
     *
     * @param project  a project folder (or any folder: then the calibrated ones)
     * @param modelDir the model folder
     * @param model    the model as read from it
     * @param out      where to say which thresholds apply
     * @return the thresholds
     * @throws IOException when the project's settings cannot be read
     */
    static Thresholds of(Path project, Path modelDir, ModelFolder model, PrintWriter out) throws IOException {
        return said(ThresholdsInForce.of(project, modelDir, model), out);
    }

    private static Thresholds said(ThresholdsInForce inForce, PrintWriter out) {
        Thresholds t = inForce.thresholds();
        switch (inForce.origin()) {
            case WORKSTATION -> out.printf(Locale.ROOT, "thresholds set in the workstation for %s: OK at or below "
                    + "%.6g, NG above %.6g, defect pixels above %.6g%n", inForce.method().displayName(), t.image(),
                    t.imageNg(), t.pixel());
            case CALIBRATED_SET_FOR_ANOTHER -> out.printf(Locale.ROOT, "note: the thresholds set in the workstation "
                    + "for %s were set for an earlier model (or saved without naming one); this model's calibrated "
                    + "ones apply%n", inForce.method().displayName());
            case CALIBRATED -> {
            }
        }
        return t;
    }
}
