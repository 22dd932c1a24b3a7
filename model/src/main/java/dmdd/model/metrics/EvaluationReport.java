package dmdd.model.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The result of evaluating a model on a labelled test set, with exactly the keys of the {@code eval}
 * JSON. Image-level numbers use the image score, pixel-level numbers the fused map; {@code maps}
 * compares the three maps. An undefined metric (for example an AUROC on a test set without defects) is
 * {@code null}; {@link #notes()} says why, and is not part of the JSON.
 *
 * @param imageAuroc image AUROC of the image score
 * @param pixelAuroc pixel AUROC of the fused map over the whole test set
 * @param aupro      AUPRO (FPR limit 0.3) of the fused map over the whole test set
 * @param pixelAp    pixel average precision of the fused map
 * @param imageF1max best image F1 over thresholds
 * @param testImages number of evaluated test images
 * @param evaluatedPixels pixels the pixel metrics are computed over (every evaluated image with known pixels, each at
 *                   the resolution it is measured at), so the protocol can be checked
 * @param seconds    wall-clock time of the evaluation
 * @param maps       per map kind ({@code normality}, {@code abnormality}, {@code fused}): pixel AUROC and AUPRO
 * @param notes      reasons for the undefined metrics, by key (empty when all are defined)
 */
@JsonPropertyOrder({"image_auroc", "pixel_auroc", "aupro", "pixel_ap", "image_f1max", "test_images", "evaluated_pixels",
        "seconds", "maps"})
public record EvaluationReport(
        @JsonProperty("image_auroc") Double imageAuroc,
        @JsonProperty("pixel_auroc") Double pixelAuroc,
        @JsonProperty("aupro") Double aupro,
        @JsonProperty("pixel_ap") Double pixelAp,
        @JsonProperty("image_f1max") Double imageF1max,
        @JsonProperty("test_images") int testImages,
        @JsonProperty("evaluated_pixels") long evaluatedPixels,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("maps") Map<String, MapMetrics> maps,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, String> notes) {

    /** Key of the normality map in {@link #maps()}. */
    public static final String NORMALITY = "normality";
    /** Key of the abnormality map in {@link #maps()}. */
    public static final String ABNORMALITY = "abnormality";
    /** Key of the fused map in {@link #maps()}. */
    public static final String FUSED = "fused";

    /**
     * Pixel metrics of one map kind.
     *
     * @param pixelAuroc pixel AUROC, {@code null} when undefined
     * @param aupro      AUPRO up to FPR 0.3, {@code null} when undefined
     */
    @JsonPropertyOrder({"pixel_auroc", "aupro"})
    public record MapMetrics(@JsonProperty("pixel_auroc") Double pixelAuroc, @JsonProperty("aupro") Double aupro) {
    }
}
