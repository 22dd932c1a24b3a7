package dmdd.app.gui.inspection;

import dmdd.app.gui.ScoreText;
import dmdd.app.gui.Ui;
import dmdd.app.gui.images.ThumbnailCache;
import dmdd.app.gui.inspection.InspectionViewModel.RenderedInspection;
import dmdd.model.dmdd.Method;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputControl;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.util.Callback;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;

/**
 * The inspection screen: the gallery (score, OK/NG badge, sort and filter), and for the selected
 * image four equal panels side by side (original and the model's three maps: for DMDD the normality-branch,
 * abnormality-branch and fused maps; for the other methods the fine-level, coarse-level and summed maps,
 * titled by {@link #mapTitleKeys}) with one opacity slider, colour bars on the calibrated range, the defect contour of
 * the pixel threshold on all four, zoom and pan in step, and the score histogram with the threshold.
 */
public final class InspectionView {
    /** Thumbnail side in the gallery. */
    public static final int THUMBNAIL_SIDE = 96;

    private final InspectionViewModel viewModel;
    private final ThumbnailCache thumbnails;
    private final BorderPane rootPane;
    private final GridView<InspectedItem> gallery = new GridView<>();
    private final HistogramView histogramView = new HistogramView();
    private MapPanel[] mapPanels;
    private double dragX;
    private double dragY;

    @FXML private BorderPane root;
    @FXML private Button inspectAllButton;
    @FXML private Button stopButton;
    @FXML private ProgressBar inspectProgress;
    @FXML private Label countsLabel;
    @FXML private ComboBox<InspectionViewModel.SortOrder> sortChoice;
    @FXML private ComboBox<InspectionViewModel.Filter> filterChoice;
    @FXML private StackPane galleryHolder;
    @FXML private Label fileLabel;
    @FXML private Label scoreLabel;
    @FXML private Label verdictLabel;
    @FXML private Label decisionLabel;
    @FXML private Button markOkButton;
    @FXML private Button markDefectButton;
    @FXML private Button reviewButton;
    @FXML private Button improveButton;
    @FXML private javafx.scene.control.MenuButton versionsButton;
    @FXML private Label messageLabel;
    @FXML private Label imageThresholdLabel;
    @FXML private Label pixelThresholdLabel;
    @FXML private RangeSlider imageThresholdRange;
    @FXML private Slider pixelThresholdSlider;
    @FXML private Slider opacitySlider;
    @FXML private HBox panels;
    @FXML private StackPane histogramHolder;

    /**
     * Builds the screen.
     *
     * @param viewModel  its state
     * @param thumbnails the shared thumbnail cache
     */
    public InspectionView(InspectionViewModel viewModel, ThumbnailCache thumbnails) {
        this.viewModel = viewModel;
        this.thumbnails = thumbnails;
        this.rootPane = Ui.load("inspection/Inspection.fxml", this);
    }

    @FXML
    private void initialize() {
        inspectAllButton.disableProperty().bind(viewModel.runningProperty().or(viewModel.modelReadyProperty().not())
                .or(viewModel.trainingRunningProperty()));
        stopButton.disableProperty().bind(viewModel.runningProperty().not());
        inspectProgress.progressProperty().bind(viewModel.progressProperty());
        inspectProgress.visibleProperty().bind(viewModel.runningProperty());
        // Out of the toolbar's layout while idle: the buttons beside it keep their full labels.
        inspectProgress.managedProperty().bind(inspectProgress.visibleProperty());
        countsLabel.textProperty().bind(Bindings.createStringBinding(() -> Ui.text("inspection.counts",
                viewModel.okCountProperty().get(), viewModel.unsureCountProperty().get(),
                viewModel.ngCountProperty().get()),
                viewModel.okCountProperty(), viewModel.unsureCountProperty(), viewModel.ngCountProperty()));
        countsLabel.setId("verdictCounts");
        messageLabel.textProperty().bind(viewModel.messageProperty());
        // a long message is cut at the window's edge (1024 px): the whole of it on hover
        javafx.scene.control.Tooltip whole = new javafx.scene.control.Tooltip();
        whole.textProperty().bind(viewModel.messageProperty());
        whole.setWrapText(true);
        whole.setMaxWidth(480);
        messageLabel.setTooltip(whole);
        reviewButton.textProperty().bind(viewModel.reviewTextProperty());
        reviewButton.setTooltip(new javafx.scene.control.Tooltip(Ui.text("inspection.review.tooltip")));
        reviewButton.disableProperty().bind(viewModel.modelReadyProperty().not());
        reviewButton.setId("reviewButton");
        // The review's decisions by mouse too (O and D on the keyboard).
        for (Button mark : List.of(markOkButton, markDefectButton)) {
            mark.disableProperty().bind(viewModel.selectedProperty().isNull());
        }
        markOkButton.setTooltip(new javafx.scene.control.Tooltip(Ui.text("inspection.markOk.tooltip")));
        markDefectButton.setTooltip(new javafx.scene.control.Tooltip(Ui.text("inspection.markDefect.tooltip")));
        viewModel.decisionsRevisionProperty().addListener(obs -> showHeader());
        improveButton.setId("improveButton");
        improveButton.disableProperty().bind(viewModel.runningProperty().or(viewModel.modelReadyProperty().not())
                .or(viewModel.trainingRunningProperty()));
        versionsButton.setId("versionsButton");
        // The list holds the current model too: a choice needs another one.
        versionsButton.disableProperty().bind(Bindings.size(viewModel.versions()).lessThan(2)
                .or(viewModel.runningProperty()).or(viewModel.trainingRunningProperty()));
        viewModel.versions().addListener((javafx.beans.Observable obs) -> showVersions());

        sortChoice.getItems().setAll(InspectionViewModel.SortOrder.values());
        sortChoice.setButtonCell(InspectionView.<InspectionViewModel.SortOrder>enumCell("inspection.sort.").call(null));
        sortChoice.setCellFactory(enumCell("inspection.sort."));
        sortChoice.valueProperty().bindBidirectional(viewModel.sortOrderProperty());
        filterChoice.getItems().setAll(InspectionViewModel.Filter.values());
        filterChoice.setButtonCell(InspectionView.<InspectionViewModel.Filter>enumCell("inspection.filter.").call(null));
        filterChoice.setCellFactory(enumCell("inspection.filter."));
        filterChoice.valueProperty().bindBidirectional(viewModel.filterProperty());

        gallery.setId("gallery");
        gallery.setItems(viewModel.gallery());
        gallery.setCellWidth(THUMBNAIL_SIDE + 8);
        gallery.setCellHeight(THUMBNAIL_SIDE + 24);
        gallery.setHorizontalCellSpacing(4);
        gallery.setVerticalCellSpacing(4);
        gallery.setCellFactory(grid -> new InspectionCell(viewModel, thumbnails, THUMBNAIL_SIDE));
        galleryHolder.getChildren().setAll(gallery);

        mapPanels = new MapPanel[] {
            new MapPanel("panel-original", Ui.text("inspection.panel.original"), false, viewModel.colormap(),
                    viewModel.opacityProperty()),
            new MapPanel("panel-normality", Ui.text("inspection.panel.normality"), true, viewModel.colormap(),
                    viewModel.opacityProperty()),
            new MapPanel("panel-abnormality", Ui.text("inspection.panel.abnormality"), true, viewModel.colormap(),
                    viewModel.opacityProperty()),
            new MapPanel("panel-fused", Ui.text("inspection.panel.fused"), true, viewModel.colormap(),
                    viewModel.opacityProperty()),
        };
        panels.getChildren().setAll(mapPanels);
        viewModel.methodProperty().addListener((obs, old, now) -> nameMaps(now));
        nameMaps(viewModel.methodProperty().get());
        // Square pictures: the panels take what the width allows, the histogram gets the rest.
        panels.maxHeightProperty().bind(panels.widthProperty().subtract(3 * panels.getSpacing()).divide(4).add(56));
        for (MapPanel panel : mapPanels) {
            installZoomAndPan(panel);
        }
        histogramHolder.getChildren().setAll(histogramView);

        opacitySlider.valueProperty().bindBidirectional(viewModel.opacityProperty());
        setUpThresholdRange();
        setUpThresholdSlider(pixelThresholdSlider, viewModel.pixelThresholdProperty());
        imageThresholdRange.setId("imageThresholds");
        pixelThresholdSlider.setId("pixelThreshold");
        imageThresholdLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            String[] shown = ScoreText.thresholds(viewModel.imageThresholdProperty().get(),
                    viewModel.ngThresholdProperty().get());
            return Ui.text("inspection.imageThreshold") + ": OK \u2264 " + shown[0] + " < UNSURE \u2264 " + shown[1]
                    + " < NG";
        }, viewModel.imageThresholdProperty(), viewModel.ngThresholdProperty()));
        pixelThresholdLabel.textProperty().bind(Bindings.createStringBinding(() -> Ui.text("inspection.pixelThreshold")
                + ": " + format(viewModel.pixelThresholdProperty().get()), viewModel.pixelThresholdProperty()));

        // the fused map's colour bar marks the pixel threshold, the value its contour is drawn at
        viewModel.pixelThresholdProperty().addListener(obs -> markPixelThreshold());
        markPixelThreshold();
        viewModel.calibrationProperty().addListener(obs -> updateSliderRanges());
        viewModel.histogramProperty().addListener(obs -> updateSliderRanges());
        viewModel.histogramProperty().addListener(obs -> drawHistogram());
        viewModel.imageThresholdProperty().addListener(obs -> drawHistogram());
        viewModel.ngThresholdProperty().addListener(obs -> drawHistogram());
        viewModel.detailProperty().addListener((obs, old, now) -> showDetail(now));
        viewModel.pictureWithoutModelProperty().addListener((obs, old, now) -> showDetail(viewModel.detailProperty().get()));
        viewModel.contourProperty().addListener((obs, old, now) -> showContour(now));
        viewModel.zoomProperty().addListener(obs -> applyView());
        viewModel.panXProperty().addListener(obs -> applyView());
        viewModel.panYProperty().addListener(obs -> applyView());
        viewModel.selectedProperty().addListener(obs -> showHeader());
        viewModel.selectedProperty().addListener((obs, old, item) -> keepInView(item));
        viewModel.imageThresholdProperty().addListener(obs -> showHeader());
        viewModel.ngThresholdProperty().addListener(obs -> showHeader());
        showHeader();
        showDetail(null);

        root.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            boolean typing = event.getTarget() instanceof TextInputControl || event.getTarget() instanceof Slider
                    || event.getTarget() instanceof RangeSlider;
            if (typing) {
                return;
            }
            if (event.getCode() == KeyCode.RIGHT || event.getCode() == KeyCode.DOWN
                    || event.getCode() == KeyCode.PAGE_DOWN) {
                viewModel.next();
                event.consume();
            } else if (event.getCode() == KeyCode.ADD || event.getCode() == KeyCode.PLUS
                    || event.getCode() == KeyCode.EQUALS) {
                viewModel.zoomIn();
                event.consume();
            } else if (event.getCode() == KeyCode.SUBTRACT || event.getCode() == KeyCode.MINUS) {
                viewModel.zoomOut();
                event.consume();
            } else if (event.getCode() == KeyCode.DIGIT0 || event.getCode() == KeyCode.NUMPAD0) {
                viewModel.resetView();
                event.consume();
            } else if (event.getCode() == KeyCode.O && !event.isShortcutDown()) {
                // As in Annotate: O marks the image OK, D defective, and the review moves on.
                viewModel.decide(dmdd.datasets.annotation.Label.OK);
                event.consume();
            } else if (event.getCode() == KeyCode.D && !event.isShortcutDown()) {
                viewModel.decide(dmdd.datasets.annotation.Label.DEFECT);
                event.consume();
            } else if (event.getCode() == KeyCode.LEFT || event.getCode() == KeyCode.UP
                    || event.getCode() == KeyCode.PAGE_UP) {
                viewModel.previous();
                event.consume();
            }
        });
    }

    /**
     * The text keys of the three map panels' titles for a method; each key with {@code .tooltip} appended says
     * what the map is.
     *
     * @param method the method whose model is shown
     * @return the keys of the second, third and fourth panel
     */
    public static List<String> mapTitleKeys(Method method) {
        return method.hasBranchMaps()
                ? List.of("inspection.panel.normality", "inspection.panel.abnormality", "inspection.panel.fused")
                : List.of("inspection.panel.fine", "inspection.panel.coarse", "inspection.panel.levelSum");
    }

    private void nameMaps(Method method) {
        List<String> keys = mapTitleKeys(method == null ? Method.DMDD : method);
        for (int i = 0; i < keys.size(); i++) {
            mapPanels[i + 1].setTitle(Ui.text(keys.get(i)), Ui.text(keys.get(i) + ".tooltip"));
        }
    }

    /** @return the titles of the four panels, left to right, as shown */
    public List<String> panelTitles() {
        return java.util.Arrays.stream(mapPanels).map(MapPanel::title).toList();
    }

    private static <T extends Enum<T>> Callback<javafx.scene.control.ListView<T>, ListCell<T>> enumCell(String prefix) {
        return list -> new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Ui.text(prefix + item.name()));
            }
        };
    }

    private void setUpThresholdSlider(Slider slider, javafx.beans.property.DoubleProperty property) {
        slider.setMin(0);
        slider.setMax(1);
        slider.valueProperty().addListener((obs, old, now) -> {
            if (!updatingRanges && Math.abs(now.doubleValue() - property.get()) > 1e-12) {
                property.set(now.doubleValue());
            }
        });
        property.addListener((obs, old, now) -> {
            if (Double.isFinite(now.doubleValue())) {
                slider.setValue(now.doubleValue());
            }
        });
        slider.valueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                viewModel.commitThresholds();
            }
        });
        slider.setOnMouseReleased(event -> viewModel.commitThresholds());
        slider.disableProperty().bind(viewModel.modelReadyProperty().not());
    }

    /**
     * The two image thresholds as one range control under the score histogram, on the histogram's axis: the
     * low thumb is the OK-below threshold, the high thumb the NG-above one, the track between them the unsure band.
     */
    private void setUpThresholdRange() {
        RangeSlider range = imageThresholdRange;
        range.setMin(0);
        range.setMax(1);
        range.setLowValue(0);
        range.setHighValue(1);
        // Aligned with the chart's plot area, which leaves 8 px on each side.
        range.setPadding(new javafx.geometry.Insets(0, 2, 0, 2));
        range.lowValueProperty().addListener((obs, old, now) -> {
            if (!updatingRanges && Math.abs(now.doubleValue() - viewModel.imageThresholdProperty().get()) > 1e-12) {
                viewModel.imageThresholdProperty().set(now.doubleValue());
            }
        });
        range.highValueProperty().addListener((obs, old, now) -> {
            if (!updatingRanges && Math.abs(now.doubleValue() - viewModel.ngThresholdProperty().get()) > 1e-12) {
                viewModel.ngThresholdProperty().set(now.doubleValue());
            }
        });
        viewModel.imageThresholdProperty().addListener(obs -> showRange());
        viewModel.ngThresholdProperty().addListener(obs -> showRange());
        range.lowValueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                viewModel.commitThresholds();
            }
        });
        range.highValueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                viewModel.commitThresholds();
            }
        });
        range.setOnMouseReleased(event -> viewModel.commitThresholds());
        range.disableProperty().bind(viewModel.modelReadyProperty().not());
    }

    /** Puts the range control's thumbs where the view model's thresholds are (high first when it grows). */
    private void showRange() {
        double low = viewModel.imageThresholdProperty().get();
        double high = viewModel.ngThresholdProperty().get();
        if (!Double.isFinite(low) || !Double.isFinite(high) || updatingRanges) {
            return;
        }
        boolean was = updatingRanges;
        updatingRanges = true;
        try {
            RangeSlider range = imageThresholdRange;
            range.setMin(Math.min(range.getMin(), low));
            range.setMax(Math.max(range.getMax(), high));
            if (low > range.getHighValue()) {
                range.setHighValue(high);
                range.setLowValue(low);
            } else {
                range.setLowValue(low);
                range.setHighValue(high);
            }
        } finally {
            updatingRanges = was;
        }
    }

    private boolean updatingRanges;

    private void updateSliderRanges() {
        InspectionEngine.Calibration calib = viewModel.calibrationProperty().get();
        ScoreHistogram histogram = viewModel.histogramProperty().get();
        if (calib == null) {
            return;
        }
        updatingRanges = true;
        try {
            double imageMin = histogram == null ? 0 : Math.min(histogram.min(), calib.imageThreshold());
            double imageMax = histogram == null ? calib.ngThreshold() * 2 : Math.max(histogram.max(), calib.ngThreshold());
            imageThresholdRange.setMin(Math.min(imageMin, viewModel.imageThresholdProperty().get()));
            imageThresholdRange.setMax(Math.max(imageMax, viewModel.ngThresholdProperty().get()));
            InspectionEngine.Range fused = calib.fused();
            double pixelMax = Math.max(fused.high(), calib.pixelThreshold()) * 1.25;
            pixelThresholdSlider.setMin(Math.min(fused.low(), calib.pixelThreshold()));
            pixelThresholdSlider.setMax(Math.max(pixelMax, viewModel.pixelThresholdProperty().get()));
            pixelThresholdSlider.setValue(viewModel.pixelThresholdProperty().get());
        } finally {
            updatingRanges = false;
        }
        showRange();
    }

    private void installZoomAndPan(MapPanel panel) {
        Node area = panel.viewport();
        area.setOnScroll(event -> {
            if (event.getDeltaY() > 0) {
                viewModel.zoomIn();
            } else if (event.getDeltaY() < 0) {
                viewModel.zoomOut();
            }
            event.consume();
        });
        area.setOnMousePressed(event -> {
            dragX = event.getX();
            dragY = event.getY();
        });
        area.setOnMouseDragged(event -> {
            double scale = panel.side() * viewModel.zoomProperty().get();
            viewModel.pan(-(event.getX() - dragX) / scale, -(event.getY() - dragY) / scale);
            dragX = event.getX();
            dragY = event.getY();
        });
        area.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2) {
                viewModel.resetView();
            }
        });
    }

    private void showHeader() {
        InspectedItem item = viewModel.selectedProperty().get();
        verdictLabel.getStyleClass().removeAll("ok", "unsure", "ng", "unknown");
        decisionLabel.getStyleClass().removeAll("ok", "defect");
        dmdd.datasets.annotation.Label decided = item == null ? dmdd.datasets.annotation.Label.UNLABELLED
                : viewModel.decision(item);
        decisionLabel.setVisible(decided != dmdd.datasets.annotation.Label.UNLABELLED);
        decisionLabel.setText(decisionLabel.isVisible() ? Ui.text("review.decision." + decided.name()) : "");
        if (decisionLabel.isVisible()) {
            decisionLabel.getStyleClass().add(decided.key());
        }
        if (item == null) {
            fileLabel.setText(Ui.text("inspection.noSelection"));
            scoreLabel.setText("");
            verdictLabel.setText("");
            verdictLabel.setVisible(false);
            return;
        }
        Verdict verdict = viewModel.verdict(item);
        fileLabel.setText(item.image().group().isEmpty() ? item.image().fileName()
                : item.image().group() + "/" + item.image().fileName());
        scoreLabel.setText(item.isInspected() ? Ui.text("inspection.score", viewModel.scoreText(item)) : "");
        verdictLabel.setText(Ui.text("inspection.verdict." + verdict.name()));
        verdictLabel.getStyleClass().add(verdict.name().toLowerCase(Locale.ROOT));
        verdictLabel.setVisible(true);
    }

    private void showDetail(RenderedInspection rendered) {
        if (rendered == null || viewModel.calibrationProperty().get() == null) {
            for (MapPanel panel : mapPanels) {
                panel.clear();
            }
            Image picture = viewModel.pictureWithoutModelProperty().get();
            if (picture != null) {
                // imported images can be looked at before a model exists; the maps say what brings them
                mapPanels[0].show((int) picture.getWidth(), (int) picture.getHeight(), picture, null, 0, 0);
                for (int i = 1; i < mapPanels.length; i++) {
                    mapPanels[i].showPlaceholder(Ui.text("inspection.panel.noModel"));
                }
                applyView();
            }
            return;
        }
        InspectionEngine.ImageInspection inspection = rendered.inspection();
        InspectionEngine.Calibration calib = viewModel.calibrationProperty().get();
        int w = inspection.width();
        int h = inspection.height();
        Image original = rendered.original();
        mapPanels[0].show(w, h, original, null, 0, 0);
        mapPanels[1].show(w, h, original, rendered.normality(), calib.normality().low(), calib.normality().high());
        mapPanels[2].show(w, h, original, rendered.abnormality(), calib.abnormality().low(),
                calib.abnormality().high());
        mapPanels[3].show(w, h, original, rendered.fused(), calib.fused().low(), calib.fused().high());
        markPixelThreshold();
        showContour(viewModel.contourProperty().get());
        applyView();
    }

    private void markPixelThreshold() {
        mapPanels[3].markOnColourBar(viewModel.pixelThresholdProperty().get(), Ui.text("inspection.pixelThreshold"));
    }

    private void showContour(Image outline) {
        for (MapPanel panel : mapPanels) {
            panel.showContour(outline);
        }
    }

    private void applyView() {
        for (MapPanel panel : mapPanels) {
            panel.setView(viewModel.zoomProperty().get(), viewModel.panXProperty().get(), viewModel.panYProperty().get());
        }
    }

    private void drawHistogram() {
        histogramView.show(viewModel.histogramProperty().get(), viewModel.imageThresholdProperty().get(),
                viewModel.ngThresholdProperty().get());
    }

    private static String format(double value) {
        return ScoreText.of(value);
    }

    @FXML
    private void markOk() {
        viewModel.decide(dmdd.datasets.annotation.Label.OK);
    }

    @FXML
    private void markDefect() {
        viewModel.decide(dmdd.datasets.annotation.Label.DEFECT);
    }

    @FXML
    private void inspectAll() {
        viewModel.inspectAll(false);
    }

    /** One menu item per model version; choosing a kept one goes back to it. */
    private void showVersions() {
        versionsButton.getItems().setAll(viewModel.versions().stream().map(v -> {
            String date = v.createdAt() == null ? "?" : v.createdAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z");
            String rate = Double.isNaN(v.falseAlarmRate()) ? "\u2013"
                    : String.format(Locale.ROOT, "%.1f %%", 100 * v.falseAlarmRate());
            javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(v.isCurrent()
                    ? Ui.text("inspection.version.current", date, v.steps(), v.normalImages(), rate)
                    : Ui.text("inspection.version", v.id(), date, v.steps(), v.normalImages(), rate));
            item.setId("version-" + v.id());
            item.setDisable(v.isCurrent());
            item.setOnAction(event -> viewModel.restoreVersion(v));
            return item;
        }).toList());
    }

    @FXML
    private void improve() {
        viewModel.improveModel();
    }

    @FXML
    private void review() {
        viewModel.startReview();
        root.requestFocus();
    }

    @FXML
    private void stop() {
        viewModel.cancel();
    }

    @FXML
    private void resetThresholds() {
        viewModel.resetThresholds();
    }

    @FXML
    private void resetView() {
        viewModel.resetView();
    }

    /** @return the four panels, left to right (for tests and screenshots) */
    public List<Node> panels() {
        return List.of(mapPanels);
    }

    /** Scrolls the gallery so that the selected image stays in sight when the arrow keys move past the edge. */
    private void keepInView(InspectedItem item) {
        int index = item == null ? -1 : viewModel.gallery().indexOf(item);
        if (index < 0 || !(gallery.getSkin() instanceof impl.org.controlsfx.skin.GridViewSkin<?> skin)) {
            return;
        }
        int perRow = Math.max(1, skin.computeMaxCellsInRow());
        if (gallery.lookup(".virtual-flow") instanceof javafx.scene.control.skin.VirtualFlow<?> flow) {
            flow.scrollTo(index / perRow);
        }
    }

    /** @return the screen's root */
    public Node root() {
        return rootPane;
    }
}
