package dmdd.app.gui.training;

import dmdd.app.gui.project.Project;
import dmdd.model.engine.Devices;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The training engine of the application: the model module's trainer, the same code the command
 * line's {@code train} runs.
 */
public final class DmddTrainingEngine implements TrainingEngine {
    /** Name of the checkpoint file the trainer keeps in the model folder. */
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    private final Map<String, String> deviceDescriptions = new ConcurrentHashMap<>();

    @Override
    public String describeDevice(String choice) {
        return deviceDescriptions.computeIfAbsent(choice == null ? "auto" : choice, text -> {
            try {
                return Devices.system().choose(text).explanation();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
    }

    @Override
    public boolean canResume(Project project) {
        return Files.isRegularFile(project.modelDir().resolve(CHECKPOINT_FILE));
    }

    @Override
    public Outcome train(Project project, boolean resume, Listener listener, BooleanSupplier cancelled)
            throws Exception {
        throw new UnsupportedOperationException("the model trainer is not part of this build yet");
    }
}
