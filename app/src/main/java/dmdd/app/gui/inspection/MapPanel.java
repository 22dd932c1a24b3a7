package dmdd.app.gui.inspection;

import dmdd.model.viz.Colormap;
import javafx.beans.property.DoubleProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * One of the four inspection panels: the image, an optional heat layer (opacity shared by all
 * panels) and the defect contour, in a square viewport whose zoom and pan follow the shared
 * properties, with a title and (for maps) a colour bar of the calibrated range.
 */
final class MapPanel extends VBox {
    private final ImageView base = new ImageView();
    private final ImageView heat = new ImageView();
    private final ImageView contour = new ImageView();
    private final Viewport viewport = new Viewport();
    private final Label low = new Label();
    private final Label high = new Label();
    private final Label titleLabel = new Label();
    /** What the panel would show and why it does not (no model yet), over the empty viewport. */
    private final Label placeholder = new Label();
    private final boolean hasHeat;
    /** The colour bar with its range: shown only under a map (without one it would read as a scale of nothing). */
    private final HBox barRow;
    /** A tick on the colour bar at the pixel threshold (the value the contour is drawn at), if the panel has one. */
    private final Region marker = new Region();
    private final Tooltip markerTip = new Tooltip();
    private final ImageView colourBar;
    private double rangeLow;
    private double rangeHigh;
    private double markedValue = Double.NaN;
    private int imageWidth = 1;
    private int imageHeight = 1;

    MapPanel(String id, String title, boolean hasHeat, Colormap colormap, DoubleProperty opacity) {
        this.hasHeat = hasHeat;
        setId(id);
        getStyleClass().add("map-panel");
        setSpacing(4);
        setPadding(new Insets(4));
        setMinWidth(0);
        setPrefWidth(0);
        setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(this, Priority.ALWAYS);
        titleLabel.setText(title);
        titleLabel.getStyleClass().add("map-title");
        heat.opacityProperty().bind(opacity);
        heat.setVisible(hasHeat);
        for (ImageView view : new ImageView[] {base, heat, contour}) {
            view.setPreserveRatio(false);
            view.setSmooth(false);
        }
        contour.setSmooth(false);
        placeholder.getStyleClass().add("map-placeholder");
        placeholder.setWrapText(true);
        placeholder.setAlignment(Pos.CENTER);
        placeholder.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        placeholder.setVisible(false);
        placeholder.setManaged(false);
        viewport.getChildren().addAll(base, heat, contour, placeholder);
        VBox.setVgrow(viewport, Priority.ALWAYS);

        colourBar = new ImageView(gradient(colormap));
        colourBar.setPreserveRatio(false);
        colourBar.setFitHeight(10);
        marker.getStyleClass().add("colour-bar-marker");
        marker.setManaged(false);
        marker.setVisible(false);
        Tooltip.install(marker, markerTip);
        javafx.scene.layout.Pane barArea = new javafx.scene.layout.Pane(colourBar, marker) {
            @Override
            protected void layoutChildren() {
                super.layoutChildren();
                placeMarker();
            }
        };
        barArea.setMinWidth(Region.USE_PREF_SIZE);
        barRow = new HBox(4, low, barArea, high);
        barRow.setAlignment(Pos.CENTER);
        colourBar.fitWidthProperty().bind(widthProperty().subtract(110).map(w -> Math.max(20, w.doubleValue())));
        low.getStyleClass().add("colour-bar-label");
        high.getStyleClass().add("colour-bar-label");
        low.setMinWidth(Region.USE_PREF_SIZE);
        high.setMinWidth(Region.USE_PREF_SIZE);
        barRow.setVisible(false);
        barRow.setMinHeight(14);
        barRow.getStyleClass().add("colour-bar");
        getChildren().addAll(titleLabel, viewport, barRow);
    }

    /** The square, clipped area holding the three image layers. */
    private final class Viewport extends Pane {
        private final Rectangle clip = new Rectangle();

        Viewport() {
            setMinSize(0, 0);
            setPrefSize(10, 10);
            setClip(clip);
            getStyleClass().add("map-viewport");
        }

        @Override
        protected void layoutChildren() {
            double side = Math.max(1, Math.min(getWidth(), getHeight()));
            double x = (getWidth() - side) / 2;
            double y = (getHeight() - side) / 2;
            clip.setX(x);
            clip.setY(y);
            clip.setWidth(side);
            clip.setHeight(side);
            for (ImageView view : new ImageView[] {base, heat, contour}) {
                view.setFitWidth(side);
                view.setFitHeight(side);
                view.relocate(x, y);
            }
            placeholder.resizeRelocate(x + 8, y, Math.max(1, side - 16), side);
        }
    }

    /**
     * Names the map the panel shows (the maps differ between methods) and says what it means on hover.
     *
     * @param title       the title above the picture
     * @param explanation the tooltip text, or null for none
     */
    void setTitle(String title, String explanation) {
        titleLabel.setText(title);
        titleLabel.setTooltip(explanation == null ? null : new javafx.scene.control.Tooltip(explanation));
    }

    /** @return the title above the picture */
    String title() {
        return titleLabel.getText();
    }

    /** @return the square viewport node (for mouse handling) */
    Pane viewport() {
        return viewport;
    }

    /** @return the current side of the square viewport */
    double side() {
        return Math.max(1, Math.min(viewport.getWidth(), viewport.getHeight()));
    }

    /**
     * @param original the picture, one image shared by every panel (a camera-resolution picture is tens of
     *                 megabytes: made once per selection, not once per panel)
     */
    void show(int width, int height, Image original, Image heatLayer, double rangeLow, double rangeHigh) {
        placeholder.setVisible(false);
        imageWidth = width;
        imageHeight = height;
        base.setImage(original);
        if (hasHeat && heatLayer != null) {
            this.rangeLow = rangeLow;
            this.rangeHigh = rangeHigh;
            barRow.setVisible(true);
            barRow.requestLayout();
            heat.setImage(heatLayer);
            low.setText(String.format("%.3g", rangeLow));
            high.setText(String.format("%.3g", rangeHigh));
        }
    }

    /**
     * Marks a value on the colour bar (the pixel threshold on the fused map's bar), with the value as tooltip.
     *
     * @param value the value, in the map's units; NaN for no mark
     * @param label what the value is, for the tooltip
     */
    void markOnColourBar(double value, String label) {
        markedValue = value;
        markerTip.setText(label + ": " + String.format("%.3g", value));
        placeMarker();
    }

    /** @return the bar position of the marked value, 0 at the low end and 1 at the high end, or NaN when unmarked */
    double markerPosition() {
        return marker.isVisible() ? marker.getLayoutX() / Math.max(1, colourBar.getFitWidth()) : Double.NaN;
    }

    private void placeMarker() {
        double barWidth = colourBar.getFitWidth();
        double t = (markedValue - rangeLow) / (rangeHigh - rangeLow);
        boolean shown = Double.isFinite(t) && rangeHigh > rangeLow;
        marker.setVisible(shown);
        if (shown) {
            // a threshold beyond the range sits at the bar's end it exceeds
            marker.resizeRelocate(Math.max(0, Math.min(1, t)) * barWidth - 1, -2, 2, 14);
        }
    }

    /** @param text what the empty panel says in its middle (why it shows nothing) */
    void showPlaceholder(String text) {
        placeholder.setText(text);
        placeholder.setVisible(true);
    }

    /** @return the text the empty panel says, or null while it shows a picture or nothing */
    String placeholderText() {
        return placeholder.isVisible() ? placeholder.getText() : null;
    }

    void clear() {
        placeholder.setVisible(false);
        base.setImage(null);
        heat.setImage(null);
        contour.setImage(null);
        // The colour bar's range was the last model's: with nothing shown it says nothing.
        barRow.setVisible(false);
        low.setText("");
        high.setText("");
    }

    /** @param outline the contour, one image shared by every panel, or null */
    void showContour(Image outline) {
        contour.setImage(outline);
    }

    void setView(double zoom, double centreX, double centreY) {
        double w = imageWidth / zoom;
        double h = imageHeight / zoom;
        Rectangle2D rect = new Rectangle2D(centreX * imageWidth - w / 2, centreY * imageHeight - h / 2, w, h);
        base.setViewport(rect);
        heat.setViewport(rect);
        contour.setViewport(rect);
    }

    ImageView heatLayer() {
        return heat;
    }

    ImageView baseLayer() {
        return base;
    }

    ImageView contourLayer() {
        return contour;
    }

    private static Image gradient(Colormap colormap) {
        // Several identical rows: a one-row image scaled with filtering samples past its edge.
        int rows = 8;
        int[] pixels = new int[256 * rows];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = colormap.argb((i % 256) / 255.0);
        }
        return InspectionViewModel.picture(pixels, 256, rows);
    }
}
