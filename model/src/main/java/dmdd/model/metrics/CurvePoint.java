package dmdd.model.metrics;

/**
 * One point of a ROC, PRO or precision-recall curve.
 *
 * @param x         the abscissa (false positive rate, or recall)
 * @param y         the ordinate (true positive rate, per-region overlap, or precision)
 * @param threshold the score threshold that gives this point ({@code +Infinity} for the origin)
 */
public record CurvePoint(double x, double y, double threshold) {
}
