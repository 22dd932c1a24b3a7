package dmdd.app.gui.training;

import ai.djl.ndarray.NDManager;
import dmdd.model.project.Project;
import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.engine.DeviceChoice;
import dmdd.model.engine.Devices;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.paths.UserDataDirs;
import dmdd.model.teacher.Backbone;
import dmdd.model.teacher.Teachers;
import dmdd.model.train.TrainingJob;
import dmdd.model.train.TrainingListener;
import dmdd.model.train.TrainingProgress;
import dmdd.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The training engine of the application: the model module's {@link TrainingJob}, the same service
 * the command line's {@code train} runs. Teacher weights are obtained on first use, with progress.
 */
public final class DmddTrainingEngine implements TrainingEngine {
    private final Map<String, String> deviceDescriptions = new ConcurrentHashMap<>();
    private final Path weightsDir;

    /** An engine using the user's weights cache ({@link UserDataDirs#weightsDir()}). */
    public DmddTrainingEngine() {
        this(UserDataDirs.weightsDir());
    }

    /**
     * An engine with its own weights cache folder.
     *
     * @param weightsDir where teacher weights are cached
     */
    public DmddTrainingEngine(Path weightsDir) {
        this.weightsDir = weightsDir;
    }

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
        return TrainingJob.hasRunToResume(project.chosenModelDir());
    }

    @Override
    public Outcome train(Project project, boolean resume, Listener listener, BooleanSupplier cancelled)
            throws Exception {
        DmddSettings settings = project.settings().training();
        DeviceChoice device = Devices.system().choose(project.settings().device());
        listener.message(device.explanation());
        // By set (part type): each set is held out for the thresholds in its share.
        Map<String, List<Path>> filesBySet = project.normalFilesBySet();
        listener.message("Reading " + filesBySet.values().stream().mapToInt(List::size).sum() + " normal images");
        var reader = settings.preprocessing().networkInputs(warning -> listener.message("Warning: " + warning));
        List<List<RgbImage>> normalSets = new ArrayList<>();
        List<ImportReport.Skipped> skipped = new ArrayList<>();
        for (List<Path> files : filesBySet.values()) {
            ImportReport<RgbImage> set = ImportReport.loadAll(files, reader::read);
            normalSets.add(set.loaded());
            skipped.addAll(set.skipped());
        }
        if (normalSets.stream().allMatch(List::isEmpty)) {
            throw new IOException("the project has no readable normal image to train on"
                    + (skipped.isEmpty() ? "" : ": " + new ImportReport<>(List.of(), skipped).summary()));
        }
        // as the command line's train: each image left out is named (the run said only how many it prepared)
        skipped.forEach(s -> listener.message("Warning: " + s + " (skipped)"));
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device.device())) {
            Backbone teacher = Teachers.load(settings.backboneKind(), manager, weightsDir,
                    (task, done, total) -> listener.message(total > 0
                            ? String.format("%s: %d%%", task, Math.round(100.0 * done / total)) : task));
            TrainingResult result = TrainingJob.runOnSets(settings, normalSets, teacher, project.chosenModelDir(),
                    new TrainingListener() {
                        @Override
                        public void onProgress(TrainingProgress progress) {
                            listener.progress(new Update(progress.completedSteps(), progress.totalSteps(),
                                    progress.stageName(), progress.losses(), progress.imagesPerSecond(),
                                    progress.etaSeconds()));
                        }

                        @Override
                        public void onMessage(String message) {
                            listener.message(message);
                        }
                    }, cancelled, resume);
            return new Outcome(result.completed(), result.completedSteps(), result.seconds());
        }
    }
}
