package dmdd.model.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects a curve's points in threshold order into primitive arrays (a pixel-level curve has millions
 * of steps; as objects they would be the memory peak), then thins it once, by distance along the curve,
 * to a number of points a chart can draw. Thinning by distance keeps the informative early part of a
 * sweep, where FPR barely moves while the overlap or TPR climbs, which thinning by rank throws away.
 */
final class CurveBuilder {
    private double[] x = new double[1024];
    private double[] y = new double[1024];
    private double[] t = new double[1024];
    private int n;

    /**
     * @param px        x of the next point
     * @param py        y of the next point
     * @param threshold its threshold
     */
    void add(double px, double py, double threshold) {
        if (n == x.length) {
            x = Arrays.copyOf(x, 2 * n);
            y = Arrays.copyOf(y, 2 * n);
            t = Arrays.copyOf(t, 2 * n);
        }
        x[n] = px;
        y[n] = py;
        t[n] = threshold;
        n++;
    }

    /**
     * @param maxPoints at most this many points (at least 2)
     * @return the curve: every point when there are few, else the first, the last, and the first point at
     *         or beyond each of {@code maxPoints - 1} equal steps of the curve's length (x and y each scaled
     *         by its range, so both axes count alike)
     */
    Curve build(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
        List<CurvePoint> out = new ArrayList<>(Math.min(n, maxPoints));
        if (n <= maxPoints) {
            for (int i = 0; i < n; i++) {
                out.add(new CurvePoint(x[i], y[i], t[i]));
            }
            return new Curve(out);
        }
        double xRange = range(x);
        double yRange = range(y);
        double[] along = new double[n];
        for (int i = 1; i < n; i++) {
            along[i] = along[i - 1] + Math.hypot((x[i] - x[i - 1]) / xRange, (y[i] - y[i - 1]) / yRange);
        }
        double step = along[n - 1] / (maxPoints - 1);
        out.add(new CurvePoint(x[0], y[0], t[0]));
        double next = step;
        for (int i = 1; i < n - 1; i++) {
            if (along[i] >= next) {
                out.add(new CurvePoint(x[i], y[i], t[i]));
                while (next <= along[i]) {
                    next += step;
                }
            }
        }
        out.add(new CurvePoint(x[n - 1], y[n - 1], t[n - 1]));
        return new Curve(out);
    }

    private double range(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        return hi > lo ? hi - lo : 1;
    }
}
