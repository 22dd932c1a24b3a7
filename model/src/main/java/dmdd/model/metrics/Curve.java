package dmdd.model.metrics;

import java.util.ArrayList;
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
     * A lighter copy for charting: at most {@code maxPoints} points, evenly spaced in rank, always
     * keeping the first and the last point. Curves over millions of pixels have millions of steps that
     * no chart can show.
     *
     * @param maxPoints at least 2
     * @return this curve when it is small enough, otherwise a thinned copy
     */
    public Curve thin(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
        int n = points.size();
        if (n <= maxPoints) {
            return this;
        }
        List<CurvePoint> out = new ArrayList<>(maxPoints);
        for (int i = 0; i < maxPoints; i++) {
            out.add(points.get((int) Math.round((double) i * (n - 1) / (maxPoints - 1))));
        }
        return new Curve(out);
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
