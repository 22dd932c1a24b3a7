package dmdd.app.gui.training;

import dmdd.app.gui.Ui;
import dmdd.app.gui.background.BackgroundWork;
import dmdd.datasets.image.ImageReader;
import dmdd.model.project.ProjectImage;
import java.io.IOException;
import dmdd.model.project.Project;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/**
 * State of the training screen. Training runs in a {@link Service} on a daemon thread: its running
 * state and progress are bound here, the loss curve and the texts are updated from the trainer's
 * reports, and Cancel asks the trainer to stop at the next step (it writes a checkpoint, so the run
 * can be resumed). Holds no JavaFX nodes.
 */
public final class TrainingViewModel {
    private final TrainingEngine engine;
    private final BackgroundWork background;
    private final TrainingService service = new TrainingService();
    private final ObjectProperty<Project> project = new SimpleObjectProperty<>();
    private final ObjectProperty<int[]> normalImageSize = new SimpleObjectProperty<>();
    private final StringProperty stage = new SimpleStringProperty("");
    private final StringProperty eta = new SimpleStringProperty("");
    private final StringProperty speed = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty(Ui.text("training.idle"));
    private final StringProperty device = new SimpleStringProperty("");
    private final BooleanProperty canResume = new SimpleBooleanProperty();
    private final BooleanProperty hasNormalImages = new SimpleBooleanProperty(true);
    private final ObjectProperty<TrainingEngine.Outcome> lastOutcome = new SimpleObjectProperty<>();
    private final ObservableList<LossPoint> losses = FXCollections.observableArrayList();
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private Consumer<TrainingEngine.Outcome> onFinished = outcome -> { };
    private Consumer<Throwable> onFailed = error -> { };

    /**
     * A point of the loss curve.
     *
     * @param step  step number
     * @param term  loss term name
     * @param value loss value
     */
    public record LossPoint(int step, String term, double value) {
    }

    /**
     * A view model.
     *
     * @param engine     the trainer
     * @param background runs small file checks off the FX thread
     */
    public TrainingViewModel(TrainingEngine engine, BackgroundWork background) {
        this.engine = engine;
        this.background = background;
        ExecutorService executor = Executors.newSingleThreadExecutor(BackgroundWork.daemonThreads("dmdd-training"));
        service.setExecutor(executor);
        service.setOnSucceeded(event -> finished(service.getValue()));
        service.setOnFailed(event -> failed(service.getException()));
        project.addListener((obs, old, now) -> {
            if ((old == null || now == null || !old.folder().equals(now.folder())) && !service.isRunning()) {
                // Another project: the last run's curve, stage and outcome were the other project's.
                losses.clear();
                stage.set("");
                eta.set("");
                speed.set("");
                lastOutcome.set(null);
                message.set(Ui.text("training.idle"));
            }
            // every image selected in the gallery is remembered in the project's settings: that alone changes
            // nothing this screen shows, and refreshing walks the normal images' folder
            if (old == null || now == null || !old.folder().equals(now.folder())
                    || !old.settings().withPlace(null, null).equals(now.settings().withPlace(null, null))) {
                refresh();
            }
        });
    }

    /**
     * Re-reads the device description and whether a checkpoint exists (in the background).
     */
    public void refresh() {
        Project current = project.get();
        if (current == null) {
            return;
        }
        String choice = current.settings().device();
        background.run(() -> new Object[] {engine.describeDevice(choice), engine.canResume(current)}, result -> {
            device.set((String) result[0]);
            canResume.set((Boolean) result[1]);
        }, error -> device.set(error.getMessage()));
        background.run(() -> {
            // The first readable normal image's size, from its header: what the tiling advice is for.
            for (ProjectImage image : current.normalImages()) {
                try {
                    return ImageReader.dimensions(image.file());
                } catch (IOException e) {
                    // try the next one
                }
            }
            return null;
        }, normalImageSize::set, error -> normalImageSize.set(null));
    }

    /**
     * Starts training the open project.
     *
     * @param resume continue from the checkpoint
     */
    public void start(boolean resume) {
        if (service.isRunning() || project.get() == null || !hasNormalImages.get()) {
            return;
        }
        cancelRequested.set(false);
        losses.clear();
        stage.set("");
        eta.set("");
        speed.set("");
        message.set(Ui.text(resume ? "training.resuming" : "training.starting"));
        service.project = project.get();
        service.resume = resume;
        service.restart();
    }

    /** @return the project (and method) the latest run trained, or {@code null} before the first run */
    public Project lastTrainedProject() {
        return service.project;
    }

    /**
     * Asks the running training to stop after the current step; it keeps a checkpoint to resume from.
     */
    public void cancel() {
        if (service.isRunning()) {
            cancelRequested.set(true);
            message.set(Ui.text("training.cancelling"));
        }
    }

    private void finished(TrainingEngine.Outcome outcome) {
        lastOutcome.set(outcome);
        // the last stage's name stayed after the run, as if it still worked
        stage.set(Ui.text(outcome.completed() ? "training.stageFinished" : "training.stageStopped",
                outcome.completedSteps()));
        message.set(outcome.completed()
                ? Ui.text("training.done", outcome.completedSteps(), Math.round(outcome.seconds()))
                : Ui.text("training.cancelled", outcome.completedSteps()));
        eta.set("");
        refresh();
        onFinished.accept(outcome);
    }

    private void failed(Throwable error) {
        message.set(Ui.text("training.failed", error == null ? "?" : error.getMessage()));
        refresh();
        onFailed.accept(error);
    }

    /** Runs {@link TrainingEngine#train} and turns its reports into Task progress and UI updates. */
    private final class TrainingService extends Service<TrainingEngine.Outcome> {
        private Project project;
        private boolean resume;

        @Override
        protected Task<TrainingEngine.Outcome> createTask() {
            Project target = project;
            boolean fromCheckpoint = resume;
            return new Task<>() {
                @Override
                protected TrainingEngine.Outcome call() throws Exception {
                    return engine.train(target, fromCheckpoint, new TrainingEngine.Listener() {
                        @Override
                        public void progress(TrainingEngine.Update update) {
                            updateProgress(update.completedSteps(), Math.max(1, update.totalSteps()));
                            background.onUiThread(() -> show(update));
                        }

                        @Override
                        public void message(String text) {
                            background.onUiThread(() -> message.set(text));
                        }
                    }, cancelRequested::get);
                }
            };
        }
    }

    private void show(TrainingEngine.Update update) {
        // what the stage does, in words for the person at the bench; the network's name in brackets
        stage.set(Ui.text("training.stage", Ui.text("training.stage." + update.stage()), update.completedSteps(),
                update.totalSteps()));
        eta.set(Ui.text("training.eta", formatDuration(update.etaSeconds())));
        speed.set(Ui.text("training.speed", String.format("%.1f", update.imagesPerSecond())));
        if (!cancelRequested.get()) {
            message.set(Ui.text("training.running"));
        }
        // A total of one term is that term: its own curve would lie under the term's.
        boolean oneTerm = update.losses().keySet().stream().filter(term -> !term.equals("total")).count() <= 1;
        for (Map.Entry<String, Double> loss : update.losses().entrySet()) {
            if (oneTerm && loss.getKey().equals("total") && update.losses().size() > 1) {
                continue;
            }
            if (Double.isFinite(loss.getValue())) {
                // Each stage's total is its own curve: joined, the change of loss at the stage boundary read as
                // a sudden improvement.
                String term = loss.getKey().equals("total") ? "total, " + update.stage() : loss.getKey();
                losses.add(new LossPoint(update.completedSteps(), term, loss.getValue()));
            }
        }
    }

    /**
     * Formats seconds as {@code m:ss} or {@code h:mm:ss}.
     *
     * @param seconds a duration
     * @return the text
     */
    public static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "\u2013";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** @param action called on the FX thread when a run ends (completed or cancelled) */
    public void setOnFinished(Consumer<TrainingEngine.Outcome> action) {
        onFinished = action;
    }

    /** @param action called on the FX thread when a run fails */
    public void setOnFailed(Consumer<Throwable> action) {
        onFailed = action;
    }

    /** @return the size of the project's normal images ({@code {width, height}}), null until known */
    public ObjectProperty<int[]> normalImageSizeProperty() {
        return normalImageSize;
    }

    /** @return the open project */
    public ObjectProperty<Project> projectProperty() {
        return project;
    }

    /** @return whether training runs */
    public ReadOnlyBooleanProperty runningProperty() {
        return service.runningProperty();
    }

    /** @return progress in [0, 1], or -1 while starting */
    public ReadOnlyDoubleProperty progressProperty() {
        return service.progressProperty();
    }

    /** @return stage and step text */
    public StringProperty stageProperty() {
        return stage;
    }

    /** @return estimated time left */
    public StringProperty etaProperty() {
        return eta;
    }

    /** @return images per second */
    public StringProperty speedProperty() {
        return speed;
    }

    /** @return what is happening */
    public StringProperty messageProperty() {
        return message;
    }

    /** @return the device training uses */
    public StringProperty deviceProperty() {
        return device;
    }

    /** @return whether a checkpoint exists */
    public BooleanProperty canResumeProperty() {
        return canResume;
    }

    /** @return how the last run ended */
    public ObjectProperty<TrainingEngine.Outcome> lastOutcomeProperty() {
        return lastOutcome;
    }

    /** @return loss curve points, in step order */
    public ObservableList<LossPoint> losses() {
        return losses;
    }

    /** @return the engine (for the settings dialog's device text) */
    public TrainingEngine engine() {
        return engine;
    }

    /**
     * @return whether the project has normal images to train on (bound by the workstation); without them Train
     *         has nothing to start
     */
    public BooleanProperty hasNormalImagesProperty() {
        return hasNormalImages;
    }
}
