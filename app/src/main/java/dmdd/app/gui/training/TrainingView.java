package dmdd.app.gui.training;

import dmdd.app.gui.Ui;
import dmdd.model.project.Project;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.BorderPane;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * The training screen: the method to train (each method has its own model in the project; the chosen one is
 * also the one inspection uses), settings summary and device, Train / Resume / Cancel, a progress bar with
 * stage, time left and images per second, and the live loss curve.
 */
public final class TrainingView {
    /** Most points kept per loss curve; older ones are thinned so a long run stays cheap to draw. */
    private static final int MAX_POINTS = 400;

    private final TrainingViewModel viewModel;
    private final BiConsumer<DmddSettings, String> saveSettings;
    private final BorderPane root;
    private final Map<String, XYChart.Series<Number, Number>> series = new HashMap<>();

    @FXML private Button trainButton;
    @FXML private Button resumeButton;
    @FXML private Button cancelButton;
    @FXML private Button settingsButton;
    @FXML private ComboBox<Method> methodChoice;
    @FXML private Label summaryLabel;
    @FXML private Label deviceLabel;
    @FXML private ProgressBar progressBar;
    @FXML private Label stageLabel;
    @FXML private Label etaLabel;
    @FXML private Label speedLabel;
    @FXML private Label messageLabel;
    @FXML private LineChart<Number, Number> lossChart;

    /**
     * Builds the screen.
     *
     * @param viewModel    its state
     * @param saveSettings stores changed settings and device choice in the project
     */
    public TrainingView(TrainingViewModel viewModel, BiConsumer<DmddSettings, String> saveSettings) {
        this.viewModel = viewModel;
        this.saveSettings = saveSettings;
        this.root = Ui.load("training/Training.fxml", this);
    }

    @FXML
    private void initialize() {
        trainButton.disableProperty().bind(viewModel.runningProperty().or(viewModel.projectProperty().isNull())
                .or(viewModel.hasNormalImagesProperty().not()));
        settingsButton.disableProperty().bind(viewModel.runningProperty());
        resumeButton.disableProperty().bind(viewModel.runningProperty().or(viewModel.canResumeProperty().not()));
        cancelButton.disableProperty().bind(viewModel.runningProperty().not());
        progressBar.progressProperty().bind(Bindings.when(viewModel.runningProperty())
                .then(viewModel.progressProperty()).otherwise(
                        Bindings.createDoubleBinding(() -> viewModel.lastOutcomeProperty().get() != null
                                && viewModel.lastOutcomeProperty().get().completed() ? 1.0 : 0.0,
                                viewModel.lastOutcomeProperty())));
        stageLabel.textProperty().bind(viewModel.stageProperty());
        etaLabel.textProperty().bind(viewModel.etaProperty());
        speedLabel.textProperty().bind(viewModel.speedProperty());
        messageLabel.textProperty().bind(viewModel.messageProperty());
        deviceLabel.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("training.device", viewModel.deviceProperty().get()), viewModel.deviceProperty()));
        setUpMethodChoice();
        // steps are whole: the axis labels no fraction of a step (a short run's automatic ticks were 0.5 apart)
        javafx.scene.chart.NumberAxis steps = (javafx.scene.chart.NumberAxis) lossChart.getXAxis();
        steps.setMinorTickVisible(false);
        steps.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number value) {
                double v = value.doubleValue();
                return v == Math.rint(v) ? Long.toString((long) v) : "";
            }

            @Override
            public Number fromString(String text) {
                return Long.parseLong(text);
            }
        });
        summaryLabel.textProperty().bind(Bindings.createStringBinding(() -> summary(viewModel.projectProperty().get()),
                viewModel.projectProperty()));
        viewModel.losses().addListener((ListChangeListener<TrainingViewModel.LossPoint>) change -> {
            while (change.next()) {
                if (change.wasRemoved() && viewModel.losses().isEmpty()) {
                    // The series go too: a legend entry of the last run's terms would stay with no line.
                    lossChart.getData().clear();
                    series.clear();
                }
                for (TrainingViewModel.LossPoint point : change.getAddedSubList()) {
                    addPoint(point);
                }
            }
        });
        viewModel.setOnFinished(outcome -> notifyEnd(outcome.completed()
                ? Ui.text("training.notification.done") : Ui.text("training.notification.cancelled"), false));
        viewModel.setOnFailed(error -> notifyEnd(Ui.text("training.notification.failed") + " "
                + (error == null ? "" : error.getMessage()), true));
    }

    private static String summary(Project project) {
        if (project == null) {
            return "";
        }
        DmddSettings s = project.settings().training();
        String size = s.isZoomed()
                ? Ui.text("training.imageSizeZoomed", s.imageSize(), s.zoomedSide())
                : Ui.text("training.imageSize", s.imageSize());
        return Ui.text("training.settingsSummary", s.method().displayName(), s.backbone(), size, s.totalSteps(),
                s.batchSize());
    }

    /** While true, the choice follows the project instead of saving a change. */
    private boolean showingProjectMethod;

    /**
     * The method choice shows the project's method; choosing another saves it in the project settings (atomically,
     * like every setting), which switches both the model trained here and the one inspection shows.
     */
    private void setUpMethodChoice() {
        methodChoice.setId("methodChoice");
        methodChoice.getItems().setAll(Method.values());
        methodChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Method method) {
                return method == null ? "" : method.displayName();
            }

            @Override
            public Method fromString(String text) {
                return java.util.Arrays.stream(Method.values()).filter(m -> m.displayName().equals(text)).findFirst()
                        .orElse(null);
            }
        });
        methodChoice.setTooltip(new javafx.scene.control.Tooltip(Ui.text("training.methodHint")));
        methodChoice.disableProperty().bind(viewModel.runningProperty().or(viewModel.projectProperty().isNull()));
        viewModel.projectProperty().addListener((obs, old, now) -> showProjectMethod(now));
        showProjectMethod(viewModel.projectProperty().get());
        methodChoice.valueProperty().addListener((obs, old, now) -> {
            Project project = viewModel.projectProperty().get();
            if (showingProjectMethod || now == null || project == null || now == project.method()) {
                return;
            }
            saveSettings.accept(project.settings().training().with("method", now), project.settings().device());
        });
    }

    private void showProjectMethod(Project project) {
        showingProjectMethod = true;
        try {
            methodChoice.setValue(project == null ? null : project.method());
        } finally {
            showingProjectMethod = false;
        }
    }

    private void addPoint(TrainingViewModel.LossPoint point) {
        XYChart.Series<Number, Number> line = series.computeIfAbsent(point.term(), term -> {
            XYChart.Series<Number, Number> created = new XYChart.Series<>();
            created.setName(term);
            lossChart.getData().add(created);
            return created;
        });
        line.getData().add(new XYChart.Data<>(point.step(), point.value()));
        if (line.getData().size() > MAX_POINTS) {
            // Drop every second point of the older half: the curve keeps its shape, the chart stays light.
            for (int i = MAX_POINTS / 2; i > 0; i -= 2) {
                line.getData().remove(i);
            }
        }
    }

    private void notifyEnd(String text, boolean error) {
        if (root.getScene() == null || root.getScene().getWindow() == null) {
            return;
        }
        Notifications notification = Notifications.create().title(Ui.text("app.title")).text(text)
                .owner(root.getScene().getWindow()).hideAfter(Duration.seconds(5));
        if (error) {
            notification.showError();
        } else {
            notification.showInformation();
        }
    }

    @FXML
    private void train() {
        if (startingOverIsMeant()) {
            viewModel.start(false);
        }
    }

    /**
     * Train while Resume is enabled starts over: the stopped run's checkpoint goes with the new run's first one.
     *
     * @return whether to start (nothing to resume, or the person confirmed)
     */
    private boolean startingOverIsMeant() {
        return !viewModel.canResumeProperty().get() || Ui.confirmed(root, "training.restartConfirm");
    }

    @FXML
    private void resume() {
        viewModel.start(true);
    }

    @FXML
    private void cancel() {
        viewModel.cancel();
    }

    @FXML
    private void editSettings() {
        Project project = viewModel.projectProperty().get();
        if (project == null) {
            return;
        }
        new TrainingSettingsDialog(project.settings().training(), project.settings().device(),
                viewModel.deviceProperty().get(), viewModel.normalImageSizeProperty().get())
                .showAndWait()
                .ifPresent(choice -> saveSettings.accept(choice.settings(), choice.device()));
    }

    /**
     * Opens the settings dialog and starts training with the chosen settings (the Train action).
     */
    public void trainWithDialog() {
        if (viewModel.runningProperty().get()) {
            return;
        }
        Project project = viewModel.projectProperty().get();
        if (project == null) {
            return;
        }
        new TrainingSettingsDialog(project.settings().training(), project.settings().device(),
                viewModel.deviceProperty().get(), viewModel.normalImageSizeProperty().get())
                .showAndWait()
                .ifPresent(choice -> {
                    saveSettings.accept(choice.settings(), choice.device());
                    if (startingOverIsMeant()) {
                        viewModel.start(false);
                    }
                });
    }

    /** @return the screen's root */
    public Node root() {
        return root;
    }
}
