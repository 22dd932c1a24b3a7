package dmdd.app.gui.inspection;

import dmdd.app.gui.project.Project;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The inspection engine of the application: the model module's inspector, the same code the
 * command line's {@code infer} runs.
 */
public final class DmddInspectionEngine implements InspectionEngine {

    @Override
    public boolean hasModel(Project project) {
        return Files.isRegularFile(project.modelDir().resolve("model.json"));
    }

    @Override
    public Calibration calibration(Project project) throws Exception {
        throw new UnsupportedOperationException("the model inspector is not part of this build yet");
    }

    @Override
    public ImageInspection inspect(Project project, Path image) throws Exception {
        throw new UnsupportedOperationException("the model inspector is not part of this build yet");
    }
}
