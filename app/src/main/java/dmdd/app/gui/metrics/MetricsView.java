package dmdd.app.gui.metrics;

import dmdd.app.gui.Ui;
import dmdd.model.export.AnnotatedInspection;
import java.io.File;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/**
 * The metrics screen: the methods the project has trained side by side (one row each: image AUROC, pixel
 * AUROC, AUPRO, false alarms, misses), then the chosen method's measurement against the annotations (tiles,
 * confusion table, ROC and PRO charts) and its missed defects and false alarms; a click (or Enter) on one
 * opens the image.
 */
public final class MetricsView {
    private final MetricsViewModel viewModel;
    private final BorderPane rootPane;

    @FXML private Button measureButton;
    @FXML private Button cancelButton;
    @FXML private Button exportResultsButton;
    @FXML private Button exportModelButton;
    @FXML private Button importModelButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label statusLabel;
    @FXML private Label imageAurocValue;
    @FXML private Label pixelAurocValue;
    @FXML private Label auproValue;
    @FXML private Label f1Value;
    @FXML private Label f1Title;
    @FXML private Label tpValue;
    @FXML private Label fpValue;
    @FXML private Label tnValue;
    @FXML private Label fnValue;
    @FXML private LineChart<Number, Number> rocChart;
    @FXML private LineChart<Number, Number> proChart;
    @FXML private Label missedTitle;
    @FXML private Label falseAlarmsTitle;
    @FXML private ListView<AnnotatedInspection.Outcome> missedList;
    @FXML private ListView<AnnotatedInspection.Outcome> falseAlarmsList;
    @FXML private TableView<MetricsViewModel.MethodRow> comparisonTable;

    /**
     * Builds the screen.
     *
     * @param viewModel its state
     */
    public MetricsView(MetricsViewModel viewModel) {
        this.viewModel = viewModel;
        this.rootPane = Ui.load("metrics/Metrics.fxml", this);
    }

    /** @return the screen's root node */
    public BorderPane root() {
        return rootPane;
    }

    @FXML
    private void initialize() {
        javafx.beans.binding.BooleanBinding noProject = viewModel.runningProperty()
                .or(viewModel.projectFolderProperty().isNull());
        // a model is what Measure and both exports work on; Import model is how a project gets one
        importModelButton.disableProperty().bind(noProject);
        measureButton.disableProperty().bind(noProject.or(viewModel.modelAvailableProperty().not()));
        cancelButton.disableProperty().bind(viewModel.runningProperty().not());
        for (Button b : new Button[] {exportResultsButton, exportModelButton}) {
            b.disableProperty().bind(measureButton.disableProperty());
        }
        progressBar.progressProperty().bind(viewModel.progressProperty());
        progressBar.visibleProperty().bind(viewModel.runningProperty());
        statusLabel.textProperty().bind(viewModel.statusProperty());
        imageAurocValue.textProperty().bind(viewModel.imageAurocProperty());
        pixelAurocValue.textProperty().bind(viewModel.pixelAurocProperty());
        auproValue.textProperty().bind(viewModel.auproProperty());
        f1Value.textProperty().bind(viewModel.f1Property());
        f1Title.textProperty().bind(viewModel.f1TitleProperty());
        // Nothing measured reads as a dash, like the figures beside it, not as counts of zero.
        Label[] cells = {tpValue, fpValue, tnValue, fnValue};
        javafx.beans.property.LongProperty[] counts = {viewModel.truePositivesProperty(),
            viewModel.falsePositivesProperty(), viewModel.trueNegativesProperty(), viewModel.falseNegativesProperty()};
        for (int i = 0; i < cells.length; i++) {
            javafx.beans.property.LongProperty count = counts[i];
            cells[i].textProperty().bind(Bindings.createStringBinding(() -> viewModel.resultProperty().get() == null
                    ? "\u2014" : Long.toString(count.get()), count, viewModel.resultProperty()));
        }
        chart(rocChart, Ui.text("metrics.series.image"), viewModel.imageRoc());
        chart(rocChart, Ui.text("metrics.series.pixel"), viewModel.pixelRoc());
        chart(proChart, Ui.text("metrics.series.pro"), viewModel.pro());
        setUpComparison();
        outcomes(missedList, viewModel.missedDefects());
        outcomes(falseAlarmsList, viewModel.falseAlarms());
        missedTitle.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("metrics.missed", viewModel.missedDefects().size()), viewModel.missedDefects()));
        falseAlarmsTitle.textProperty().bind(Bindings.createStringBinding(
                () -> Ui.text("metrics.falseAlarms", viewModel.falseAlarms().size()), viewModel.falseAlarms()));
    }

    /** One row per trained method; the chosen one (the model inspection uses) says so beside its name. */
    private void setUpComparison() {
        comparisonTable.setItems(viewModel.comparison());
        comparisonTable.setPlaceholder(new Label(Ui.text("metrics.comparisonEmpty")));
        comparisonTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        comparisonTable.getColumns().setAll(List.of(
                column("methodColumn", Ui.text("metrics.column.method"), row -> row.chosen()
                        ? Ui.text("metrics.chosenMethod", row.method().displayName()) : row.method().displayName()),
                column("imageAurocColumn", Ui.text("metrics.imageAuroc"),
                        row -> MetricsViewModel.format(row.imageAuroc())),
                column("pixelAurocColumn", Ui.text("metrics.pixelAuroc"),
                        row -> MetricsViewModel.format(row.pixelAuroc())),
                column("auproColumn", Ui.text("metrics.aupro"), row -> MetricsViewModel.format(row.aupro())),
                column("falseAlarmsColumn", Ui.text("metrics.column.falseAlarms"),
                        row -> Integer.toString(row.falseAlarms())),
                column("missesColumn", Ui.text("metrics.column.misses"), row -> Integer.toString(row.misses()))));
    }

    private static TableColumn<MetricsViewModel.MethodRow, String> column(String id, String title,
            java.util.function.Function<MetricsViewModel.MethodRow, String> text) {
        TableColumn<MetricsViewModel.MethodRow, String> column = new TableColumn<>(title);
        column.setId(id);
        column.setSortable(false);
        column.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }

    private static void chart(LineChart<Number, Number> chart, String name,
                              ObservableList<MetricsViewModel.ChartPoint> points) {
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName(name);
        chart.getData().add(series);
        points.addListener((ListChangeListener<MetricsViewModel.ChartPoint>) change -> {
            series.getData().setAll(points.stream()
                    .map(p -> new XYChart.Data<Number, Number>(p.x(), p.y())).toList());
            // A LineChart keeps drawing the last line of a series whose points are all removed: hidden then.
            if (series.getNode() != null) {
                series.getNode().setVisible(!points.isEmpty());
            }
        });
    }

    private void outcomes(ListView<AnnotatedInspection.Outcome> list, ObservableList<AnnotatedInspection.Outcome> items) {
        list.setItems(items);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(AnnotatedInspection.Outcome item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Ui.text("metrics.item", item.item().name(),
                        dmdd.app.gui.ScoreText.score(item.score(), viewModel.thresholdProperty().get())));
            }
        });
        list.setOnMouseClicked(event -> viewModel.open(list.getSelectionModel().getSelectedItem()));
        list.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                viewModel.open(list.getSelectionModel().getSelectedItem());
            }
        });
    }

    @FXML
    private void measure() {
        viewModel.measure();
    }

    @FXML
    private void exportResults() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Ui.text("export.resultsTitle"));
        File dir = chooser.showDialog(rootPane.getScene().getWindow());
        if (dir != null) {
            viewModel.exportResults(dir.toPath());
        }
    }

    /**
     * Menu items that do what this screen's Import model and Export model buttons do, and are off when they are: a
     * model is moved between workstations from the main window's Model menu too.
     *
     * @return Import model, then Export model
     */
    public java.util.List<javafx.scene.control.MenuItem> modelMenuItems() {
        return java.util.List.of(menuItemFor(importModelButton), menuItemFor(exportModelButton));
    }

    private static javafx.scene.control.MenuItem menuItemFor(Button button) {
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(button.getText());
        item.setOnAction(event -> button.fire());
        item.disableProperty().bind(button.disableProperty());
        return item;
    }

    @FXML
    private void exportModel() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(Ui.text("export.modelTitle"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Ui.text("export.zipFilter"), "*.zip"));
        chooser.setInitialFileName("model.zip");
        File file = chooser.showSaveDialog(rootPane.getScene().getWindow());
        if (file != null) {
            viewModel.exportModel(file.toPath());
        }
    }

    @FXML
    private void importModel() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(Ui.text("import.modelTitle"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Ui.text("export.zipFilter"), "*.zip"));
        File file = chooser.showOpenDialog(rootPane.getScene().getWindow());
        if (file != null) {
            viewModel.importModel(file.toPath());
        }
    }

    @FXML
    private void cancel() {
        viewModel.cancel();
    }
}
