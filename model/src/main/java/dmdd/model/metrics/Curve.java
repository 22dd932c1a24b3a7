package dmdd.model.metrics;

import java.util.List;

/**
 * A curve as a list of points in threshold order (highest threshold first), for charts and reports.
 *
 * @param points the points (unmodifiable)
 */
public record Curve(List<CurvePoint> points) {

    /**
     * @param points the points
     */
    public Curve {
        points = List.copyOf(points);
    }

    /**
     * Trapezoidal area under the curve (x must be non-decreasing).
     *
     * @return the area
     */
    public double area() {
        double area = 0;
        for (int i = 1; i < points.size(); i++) {
            CurvePoint a = points.get(i - 1);
            CurvePoint b = points.get(i);
            area += (b.x() - a.x()) * (a.y() + b.y()) / 2;
        }
        return area;
    }
}
