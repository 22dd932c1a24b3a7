package dmdd.model.export;

import dmdd.model.metrics.Curve;
import dmdd.model.metrics.CurvePoint;
import java.util.List;
import java.util.Locale;

/** Line charts as standalone inline SVG, for the self-contained HTML report (no script, no external file). */
public final class SvgCharts {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final int WIDTH = 360;
    private static final int HEIGHT = 300;
    private static final int LEFT = 48;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private SvgCharts() {
    }

    /**
     * One named curve of a chart.
     *
     * @param name  legend text
     * @param curve the points
     */
    public record Series(String name, Curve curve) {
    }

    /**
     * Draws curves in a square plot area.
     *
     * @param title  chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param xMax   right end of the x axis (1 for ROC, 0.3 for the PRO curve)
     * @param series the curves; empty curves are listed as "not defined"
     * @return an {@code <svg>} element
     */
    public static String lineChart(String title, String xLabel, String yLabel, double xMax, List<Series> series) {
        StringBuilder svg = new StringBuilder();
        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                LEFT, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>", LEFT, TOP, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double f = i / 4.0;
            int x = LEFT + (int) Math.round(f * pw);
            int y = TOP + ph - (int) Math.round(f * ph);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>",
                    LEFT, y, LEFT + pw, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
                    + "%s</text>", x, TOP + ph + 14, trim(f * xMax)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">"
                    + "%s</text>", LEFT - 4, y + 3, trim(f)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                LEFT + pw / 2, HEIGHT - 6, Html.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 12 %d)\">%s</text>", TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            List<CurvePoint> points = one.curve().points();
            if (!points.isEmpty()) {
                StringBuilder d = new StringBuilder();
                for (CurvePoint p : points) {
                    double x = LEFT + Math.min(1, p.x() / xMax) * pw;
                    double y = TOP + ph - Math.max(0, Math.min(1, p.y())) * ph;
                    d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                }
                svg.append("<path fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" d=\"")
                        .append(d).append("\"/>");
            }
            int ly = TOP + 14 + 14 * s;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>",
                    LEFT + pw - 150, ly - 4, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
                    LEFT + pw - 136, ly, Html.escape(one.name() + (points.isEmpty() ? " (not defined)" : ""))));
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
