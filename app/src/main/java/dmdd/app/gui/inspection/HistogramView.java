package dmdd.app.gui.inspection;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;

/**
 * Draws a {@link ScoreHistogram} (normal in green, inspected in blue) with the OK-below threshold as an amber
 * line, the NG-above threshold as a red line and the unsure band between them shaded.
 */
final class HistogramView extends Pane {
    private final Canvas canvas = new Canvas();
    private ScoreHistogram histogram;
    private double threshold = Double.NaN;
    private double ngThreshold = Double.NaN;

    HistogramView() {
        getChildren().add(canvas);
        getStyleClass().add("histogram");
        setId("scoreHistogram");
        setMinSize(0, 0);
    }

    void show(ScoreHistogram data, double okBelow, double ngAbove) {
        histogram = data;
        threshold = okBelow;
        ngThreshold = ngAbove;
        draw();
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    /** @return the x position of a threshold line in pixels, or NaN */
    private double x(double value) {
        if (histogram == null || Double.isNaN(value)) {
            return Double.NaN;
        }
        return 8 + histogram.position(value) * (getWidth() - 16);
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(Color.web("#1b1e22"));
        g.fillRect(0, 0, w, h);
        if (histogram == null || w < 20 || h < 20) {
            return;
        }
        int bins = histogram.normal().length;
        double left = 8;
        double plotW = w - 16;
        double plotH = h - 18;
        double binW = plotW / bins;
        double peak = histogram.peak();
        for (int i = 0; i < bins; i++) {
            double x = left + i * binW;
            double hn = histogram.normal()[i] / peak * plotH;
            double hi = histogram.inspected()[i] / peak * plotH;
            g.setFill(Color.rgb(47, 180, 102, 0.7));
            g.fillRect(x + 1, 4 + plotH - hn, binW / 2 - 1, hn);
            g.setFill(Color.rgb(61, 139, 253, 0.75));
            g.fillRect(x + binW / 2, 4 + plotH - hi, binW / 2 - 1, hi);
        }
        g.setStroke(Color.web("#3a4048"));
        g.strokeLine(left, 4 + plotH, left + plotW, 4 + plotH);
        g.setFill(Color.web("#9aa3ad"));
        g.fillText(String.format("%.3g", histogram.min()), left, h - 2);
        g.fillText(String.format("%.3g", histogram.max()), left + plotW - 40, h - 2);
        double okX = x(threshold);
        double ngX = x(ngThreshold);
        if (Double.isFinite(okX) && Double.isFinite(ngX) && ngX > okX) {
            g.setFill(Color.rgb(199, 131, 26, 0.18));
            g.fillRect(okX, 2, ngX - okX, plotH + 2);
        }
        line(g, okX, Color.web("#c7831a"), plotH);
        line(g, ngX, Color.web("#e5484d"), plotH);
    }

    private static void line(GraphicsContext g, double x, Color colour, double plotH) {
        if (Double.isFinite(x)) {
            g.setStroke(colour);
            g.setLineWidth(2);
            g.setLineDashes(6, 4);
            g.strokeLine(x, 2, x, 4 + plotH);
            g.setLineDashes();
            g.setLineWidth(1);
        }
    }
}
