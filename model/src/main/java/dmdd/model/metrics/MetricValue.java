package dmdd.model.metrics;

/**
 * A metric's value, or the reason it is undefined (for example an AUROC on a test set without a
 * single defective image). Undefined metrics are reported, never turned into a crash or a made-up number.
 *
 * @param value  the value; {@link Double#NaN} when undefined
 * @param reason why the metric is undefined; {@code null} when it is defined
 */
public record MetricValue(double value, String reason) {

    /**
     * A defined value.
     *
     * @param value the value (finite)
     * @return the metric value
     */
    public static MetricValue of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a defined metric value must be finite, got " + value);
        }
        return new MetricValue(value, null);
    }

    /**
     * An undefined value.
     *
     * @param reason why it cannot be computed, in words a user understands
     * @return the metric value
     */
    public static MetricValue undefined(String reason) {
        return new MetricValue(Double.NaN, reason);
    }

    /** @return whether the metric has a value */
    public boolean isDefined() {
        return reason == null;
    }

    /** @return the value as a boxed double, {@code null} when undefined (how JSON reports it) */
    public Double orNull() {
        return isDefined() ? value : null;
    }

    @Override
    public String toString() {
        return isDefined() ? Double.toString(value) : "undefined (" + reason + ")";
    }
}
