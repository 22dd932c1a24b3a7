package dmdd.model.export;

import dmdd.model.metrics.ConfusionMatrix;
import dmdd.model.metrics.Curve;
import dmdd.model.metrics.Evaluation;
import dmdd.model.metrics.EvaluationReport;

/**
 * Everything the metrics view and the HTML report show about a labelled test set, computed by the
 * metrics package ({@link Evaluation}, the code behind the command line's {@code eval}): the report,
 * the image confusion matrix at the model's image threshold, and the ROC and PRO curves.
 *
 * @param report         the metrics, identical to {@code eval}'s JSON for the same data
 * @param imageThreshold the image threshold the confusion matrix uses: the OK-below one, so an image counts as
 *                       flagged when it is not OK (unsure or NG, score &gt; threshold) and a missed defect is one
 *                       that would pass without a person seeing it
 * @param confusion      images: defective and flagged, normal but flagged, ...
 * @param imageRoc       image-level ROC curve
 * @param pixelRoc       pixel-level ROC curve of the fused map
 * @param pro            per-region-overlap curve of the fused map up to FPR 0.3
 */
public record Measurement(EvaluationReport report, double imageThreshold, ConfusionMatrix confusion, Curve imageRoc,
                          Curve pixelRoc, Curve pro) {
    /** Points kept per curve: plenty for a chart, small enough for an inline SVG. */
    public static final int CHART_POINTS = 400;

    /**
     * Computes the measurement.
     *
     * @param evaluation     the collected test set
     * @param imageThreshold the model's image threshold
     * @param seconds        wall-clock seconds to report
     * @return the measurement
     */
    public static Measurement of(Evaluation evaluation, double imageThreshold, double seconds) {
        EvaluationReport report = evaluation.report(seconds);
        // ConfusionMatrix counts score >= t; the model's rule is score > threshold, the same as >= the next double.
        ConfusionMatrix confusion = ConfusionMatrix.at(evaluation.imageScores(), evaluation.imageLabels(),
                Math.nextUp(imageThreshold));
        return new Measurement(report, imageThreshold, confusion, evaluation.imageRocCurve(CHART_POINTS),
                evaluation.pixelRocCurve(CHART_POINTS), evaluation.proCurve(CHART_POINTS));
    }

    /** @return F1 of the image verdicts at the image threshold (NaN without defective images and flags) */
    public double f1AtThreshold() {
        return confusion.f1();
    }
}
