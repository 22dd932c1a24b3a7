package dmdd.app.gui.annotation;

import dmdd.app.gui.Ui;
import dmdd.datasets.annotation.EditableMask;
import dmdd.datasets.annotation.Label;
import dmdd.datasets.image.RgbImage;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;

/**
 * The annotation screen: the image list with labels, the image with its defect mask drawn on a canvas
 * over it, the tools (brush, eraser, polygon, size, start from prediction, clear), OK / defect and the
 * defect type, undo and redo. Keyboard: O, D, arrows, B, E, G, [ and ], Enter / Shift+Enter / Esc for
 * polygons, Ctrl+Z, Ctrl+Y (or Ctrl+Shift+Z).
 */
public final class AnnotationView {
    /** Colour of defect pixels over the image (semi-transparent red). */
    private static final int MASK_ARGB = 0x99ff2a2a;

    private final AnnotationViewModel viewModel;
    private final BorderPane rootPane;
    private WritableImage picture;
    private WritableImage overlay;
    private int[] overlayPixels;
    private int overlayRevision = -1;
    private double mouseX = Double.NaN;
    private double mouseY = Double.NaN;

    @FXML private BorderPane root;
    @FXML private ToggleGroup tools;
    @FXML private ToggleButton brushButton;
    @FXML private ToggleButton eraserButton;
    @FXML private ToggleButton polygonButton;
    @FXML private Slider sizeSlider;
    @FXML private javafx.scene.control.Label sizeLabel;
    @FXML private Button undoButton;
    @FXML private Button redoButton;
    @FXML private Button okButton;
    @FXML private Button defectButton;
    @FXML private ComboBox<String> typeBox;
    @FXML private Button predictionButton;
    @FXML private Button clearButton;
    @FXML private ListView<AnnotationViewModel.Entry> imageList;
    @FXML private StackPane canvasHolder;
    @FXML private Canvas canvas;
    @FXML private javafx.scene.control.Label emptyLabel;
    @FXML private javafx.scene.control.Label currentLabel;
    @FXML private javafx.scene.control.Label statusLabel;

    /**
     * Builds the screen.
     *
     * @param viewModel its state
     */
    public AnnotationView(AnnotationViewModel viewModel) {
        this.viewModel = viewModel;
        this.rootPane = Ui.load("annotation/Annotation.fxml", this);
    }

    /** @return the screen's root node */
    public BorderPane root() {
        return rootPane;
    }

    @FXML
    private void initialize() {
        brushButton.setUserData(AnnotationViewModel.Tool.BRUSH);
        eraserButton.setUserData(AnnotationViewModel.Tool.ERASER);
        polygonButton.setUserData(AnnotationViewModel.Tool.POLYGON);
        selectTool(viewModel.toolProperty().get());
        tools.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // A tool is always chosen: clicking the active one again keeps it.
                tools.selectToggle(old);
            } else {
                viewModel.toolProperty().set((AnnotationViewModel.Tool) now.getUserData());
            }
        });
        viewModel.toolProperty().addListener((obs, old, tool) -> {
            selectTool(tool);
            viewModel.cancelPolygon();
        });
        sizeSlider.valueProperty().bindBidirectional(viewModel.brushRadiusProperty());
        sizeLabel.textProperty().bind(Bindings.format("%.0f", viewModel.brushRadiusProperty()));
        undoButton.disableProperty().bind(viewModel.canUndoProperty().not());
        redoButton.disableProperty().bind(viewModel.canRedoProperty().not());
        okButton.disableProperty().bind(viewModel.imageProperty().isNull());
        defectButton.disableProperty().bind(viewModel.imageProperty().isNull());
        predictionButton.disableProperty().bind(viewModel.imageProperty().isNull().or(viewModel.busyProperty())
                .or(viewModel.predictionAvailableProperty().not()));
        clearButton.disableProperty().bind(viewModel.imageProperty().isNull());
        emptyLabel.visibleProperty().bind(Bindings.isEmpty(viewModel.entries()));
        statusLabel.textProperty().bind(viewModel.statusProperty());

        typeBox.setItems(viewModel.defectTypes());
        typeBox.setValue(viewModel.defectTypeProperty().get());
        viewModel.defectTypeProperty().addListener((obs, old, type) -> typeBox.setValue(type));
        typeBox.setOnAction(event -> {
            String value = typeBox.getValue();
            if (value != null && !value.equals(viewModel.defectTypeProperty().get())
                    && !viewModel.chooseDefectType(value)) {
                typeBox.setValue(viewModel.defectTypeProperty().get());
            }
            root.requestFocus();
        });

        imageList.setItems(viewModel.entries());
        imageList.setCellFactory(list -> new EntryCell());
        imageList.getSelectionModel().selectedIndexProperty().addListener((obs, old, index) -> {
            if (index.intValue() >= 0 && index.intValue() != viewModel.selectedIndexProperty().get()) {
                viewModel.select(index.intValue());
            }
        });
        viewModel.selectedIndexProperty().addListener((obs, old, index) -> {
            if (index.intValue() != imageList.getSelectionModel().getSelectedIndex()) {
                imageList.getSelectionModel().clearAndSelect(index.intValue());
            }
            if (index.intValue() >= 0) {
                imageList.scrollTo(Math.max(0, index.intValue() - 3));
            }
        });
        currentLabel.textProperty().bind(Bindings.createStringBinding(this::currentText,
                viewModel.selectedIndexProperty(), viewModel.labelProperty(), viewModel.defectTypeProperty()));

        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        canvas.widthProperty().addListener(o -> redraw());
        canvas.heightProperty().addListener(o -> redraw());
        viewModel.imageProperty().addListener((obs, old, image) -> {
            picture = image == null ? null : viewModel.pictureProperty().get();
            overlay = image == null ? null : new WritableImage(image.width(), image.height());
            overlayPixels = image == null ? null : new int[image.width() * image.height()];
            overlayRevision = -1;
            redraw();
        });
        viewModel.maskRevisionProperty().addListener(o -> redraw());
        viewModel.polygon().addListener((javafx.collections.ListChangeListener<AnnotationViewModel.Point>) c -> redraw());
        viewModel.brushRadiusProperty().addListener(o -> redraw());

        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, event -> viewModel.release());
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, event -> {
            mouseX = event.getX();
            mouseY = event.getY();
            redraw();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, event -> {
            mouseX = Double.NaN;
            redraw();
        });
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
    }

    private void selectTool(AnnotationViewModel.Tool tool) {
        for (ToggleButton b : new ToggleButton[] {brushButton, eraserButton, polygonButton}) {
            if (b.getUserData() == tool && !b.isSelected()) {
                tools.selectToggle(b);
            }
        }
    }

    private String currentText() {
        int index = viewModel.selectedIndexProperty().get();
        if (index < 0 || index >= viewModel.entries().size()) {
            return "";
        }
        Label label = viewModel.labelProperty().get();
        String what = label == Label.DEFECT ? Ui.text("annotation.label.defect") + " \u00b7 "
                + viewModel.defectTypeProperty().get() : labelText(label);
        return Ui.text("annotation.current", viewModel.entries().get(index).name(), what);
    }

    private static String labelText(Label label) {
        return Ui.text("annotation.label." + label.key());
    }

    private void keyPressed(KeyEvent event) {
        if (event.getTarget() instanceof TextInputControl || typeBox.isFocused() || typeBox.getEditor().isFocused()) {
            return;
        }
        boolean handled = true;
        KeyCode code = event.getCode();
        if (event.isShortcutDown() && code == KeyCode.Z) {
            if (event.isShiftDown()) {
                viewModel.redo();
            } else {
                viewModel.undo();
            }
        } else if (event.isShortcutDown() && code == KeyCode.Y) {
            viewModel.redo();
        } else if (event.isShortcutDown() || event.isAltDown()) {
            handled = false;
        } else {
            switch (code) {
                case O -> viewModel.labelOk();
                case D -> viewModel.labelDefect();
                case RIGHT, PAGE_DOWN, N -> viewModel.next();
                case LEFT, PAGE_UP, P -> viewModel.previous();
                case B -> viewModel.toolProperty().set(AnnotationViewModel.Tool.BRUSH);
                case E -> viewModel.toolProperty().set(AnnotationViewModel.Tool.ERASER);
                case G -> viewModel.toolProperty().set(AnnotationViewModel.Tool.POLYGON);
                case OPEN_BRACKET -> viewModel.brushRadiusProperty().set(viewModel.brushRadiusProperty().get() - 1);
                case CLOSE_BRACKET -> viewModel.brushRadiusProperty().set(viewModel.brushRadiusProperty().get() + 1);
                case ENTER -> viewModel.closePolygon(event.isShiftDown());
                case ESCAPE -> viewModel.cancelPolygon();
                default -> handled = false;
            }
        }
        if (handled) {
            event.consume();
        }
    }

    private void pressed(MouseEvent event) {
        root.requestFocus();
        double[] p = toImage(event.getX(), event.getY());
        if (p == null) {
            return;
        }
        if (event.getButton() == MouseButton.SECONDARY && viewModel.toolProperty().get() == AnnotationViewModel.Tool.POLYGON) {
            viewModel.closePolygon(false);
            return;
        }
        if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2
                && viewModel.toolProperty().get() == AnnotationViewModel.Tool.POLYGON) {
            viewModel.closePolygon(false);
            return;
        }
        viewModel.press(p[0], p[1]);
    }

    private void dragged(MouseEvent event) {
        mouseX = event.getX();
        mouseY = event.getY();
        double[] p = toImage(event.getX(), event.getY());
        if (p != null) {
            viewModel.drag(p[0], p[1]);
        }
    }

    /** Scale and offset that fit the image into the canvas, keeping its aspect ratio. */
    private double[] fit() {
        RgbImage image = viewModel.imageProperty().get();
        if (image == null || canvas.getWidth() <= 0 || canvas.getHeight() <= 0) {
            return null;
        }
        double scale = Math.min(canvas.getWidth() / image.width(), canvas.getHeight() / image.height());
        double ox = (canvas.getWidth() - image.width() * scale) / 2;
        double oy = (canvas.getHeight() - image.height() * scale) / 2;
        return new double[] {scale, ox, oy};
    }

    /**
     * Converts a canvas point to image pixels.
     *
     * @param x canvas x
     * @param y canvas y
     * @return image {x, y}, or {@code null} when no image is shown
     */
    double[] toImage(double x, double y) {
        double[] f = fit();
        return f == null ? null : new double[] {(x - f[1]) / f[0], (y - f[2]) / f[0]};
    }

    /**
     * Converts image pixels to a canvas point (tests use it to click on image positions).
     *
     * @param x image column
     * @param y image row
     * @return canvas {x, y}, or {@code null} when no image is shown
     */
    public double[] toCanvas(double x, double y) {
        double[] f = fit();
        return f == null ? null : new double[] {f[1] + x * f[0], f[2] + y * f[0]};
    }

    /** @return the canvas the image and mask are drawn on */
    public Canvas canvas() {
        return canvas;
    }

    private void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        double[] f = fit();
        if (f == null || picture == null) {
            return;
        }
        double w = picture.getWidth() * f[0];
        double h = picture.getHeight() * f[0];
        g.setImageSmoothing(false);
        g.drawImage(picture, f[1], f[2], w, h);
        EditableMask mask = viewModel.mask();
        if (mask != null && overlay != null && mask.width() == (int) overlay.getWidth()
                && mask.height() == (int) overlay.getHeight()) {
            updateOverlay(mask);
            g.drawImage(overlay, f[1], f[2], w, h);
        }
        if (!viewModel.polygon().isEmpty()) {
            g.setStroke(Color.YELLOW);
            g.setLineWidth(1.5);
            g.beginPath();
            boolean first = true;
            for (AnnotationViewModel.Point p : viewModel.polygon()) {
                double[] c = toCanvas(p.x(), p.y());
                if (first) {
                    g.moveTo(c[0], c[1]);
                    first = false;
                } else {
                    g.lineTo(c[0], c[1]);
                }
                g.fillOval(c[0] - 2, c[1] - 2, 4, 4);
            }
            g.stroke();
        }
        if (!Double.isNaN(mouseX) && viewModel.toolProperty().get() != AnnotationViewModel.Tool.POLYGON) {
            double r = viewModel.brushRadiusProperty().get() * f[0];
            g.setStroke(viewModel.toolProperty().get() == AnnotationViewModel.Tool.BRUSH ? Color.ORANGERED : Color.WHITE);
            g.setLineWidth(1);
            g.strokeOval(mouseX - r, mouseY - r, 2 * r, 2 * r);
        }
    }

    /** Copies the mask into the overlay picture: only the region a brush stroke touched, when known. */
    private void updateOverlay(EditableMask mask) {
        int revision = viewModel.maskRevisionProperty().get();
        if (revision == overlayRevision) {
            return;
        }
        int[] region = overlayRevision >= 0 && revision == overlayRevision + 1 ? viewModel.dirtyRegion() : null;
        overlayRevision = revision;
        int width = mask.width();
        int x0 = 0;
        int y0 = 0;
        int x1 = width - 1;
        int y1 = mask.height() - 1;
        if (region != null) {
            x0 = region[0];
            y0 = region[1];
            x1 = region[2];
            y1 = region[3];
        }
        if (x1 < x0 || y1 < y0) {
            return;
        }
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                overlayPixels[y * width + x] = mask.get(x, y) ? MASK_ARGB : 0;
            }
        }
        overlay.getPixelWriter().setPixels(x0, y0, x1 - x0 + 1, y1 - y0 + 1, PixelFormat.getIntArgbInstance(),
                overlayPixels, y0 * width + x0, width);
    }

    @FXML
    private void undo() {
        viewModel.undo();
    }

    @FXML
    private void redo() {
        viewModel.redo();
    }

    @FXML
    private void labelOk() {
        viewModel.labelOk();
    }

    @FXML
    private void labelDefect() {
        viewModel.labelDefect();
    }

    @FXML
    private void fromPrediction() {
        if (viewModel.predictionReplacesAMask() && !Ui.confirmed(root, "annotation.replaceMask")) {
            return;
        }
        viewModel.startFromPrediction();
    }

    @FXML
    private void clearMask() {
        viewModel.clearMask();
    }

    /** A list row: the image name and its label badge. */
    private static final class EntryCell extends ListCell<AnnotationViewModel.Entry> {
        private final javafx.scene.control.Label name = new javafx.scene.control.Label();
        private final javafx.scene.control.Label badge = new javafx.scene.control.Label();
        private final HBox box = new HBox(6, badge, name);

        @Override
        protected void updateItem(AnnotationViewModel.Entry item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            name.setText(item.name());
            badge.setText(item.label() == Label.DEFECT ? item.defectType() : labelText(item.label()));
            badge.getStyleClass().setAll("label-badge", item.label().key());
            setGraphic(box);
            setText(null);
        }
    }
}
