package dmdd.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dmdd.datasets.image.Mask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    // 2x2 images; the defect image has its top-left pixel defective.
    private static final Mask DEFECT = Mask.of(2, 2, new boolean[] {true, false, false, false});
    private static final Mask GOOD = Mask.empty(2, 2);

    @Test
    void reportHasExactlyTheEvalKeysAndHandValues() throws Exception {
        Evaluation e = new Evaluation();
        // fused: perfect (defect pixel 0.9, the rest <= 0.3); normality: inverted (defect pixel lowest);
        // abnormality: the defect pixel ties with one normal pixel at 0.5, the rest 0.1.
        e.add(0.2f, false, new float[] {0.4f, 0.4f, 0.4f, 0.4f}, new float[] {0.5f, 0.1f, 0.1f, 0.1f},
                new float[] {0.1f, 0.2f, 0.1f, 0.3f}, GOOD);
        e.add(0.7f, true, new float[] {0.0f, 0.4f, 0.4f, 0.4f}, new float[] {0.5f, 0.1f, 0.1f, 0.1f},
                new float[] {0.9f, 0.1f, 0.2f, 0.1f}, DEFECT);
        EvaluationReport r = e.report(1.5);
        assertThat(r.testImages()).isEqualTo(2);
        assertThat(r.evaluatedPixels()).as("two images of 2 x 2").isEqualTo(8);
        assertThat(r.imageAuroc()).isEqualTo(1.0);
        assertThat(r.imageF1max()).isEqualTo(1.0);
        assertThat(r.pixelAuroc()).isEqualTo(1.0);
        assertThat(r.aupro()).isCloseTo(1.0, within(1e-12));
        assertThat(r.pixelAp()).isEqualTo(1.0);
        assertThat(r.maps().get("normality").pixelAuroc()).isEqualTo(0.0);
        // abnormality: 1 positive (0.5), 7 negatives: one at 0.5 (tie = half), six at 0.1 (wins)
        // -> (6 + 0.5) / 7.
        assertThat(r.maps().get("abnormality").pixelAuroc()).isCloseTo(6.5 / 7, within(1e-12));
        // PRO: (0,0) -> (1/7, 1) at 0.5: cut at 0.3 lies beyond 1/7: area = (1/7)*0.5 + (0.3-1/7)*1.
        assertThat(r.maps().get("abnormality").aupro())
                .isCloseTo(((1.0 / 7) * 0.5 + (0.3 - 1.0 / 7)) / 0.3, within(1e-9));
        assertThat(r.notes()).isEmpty();

        JsonNode json = new ObjectMapper().valueToTree(r);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("image_auroc", "pixel_auroc", "aupro", "pixel_ap", "image_f1max",
                "test_images", "evaluated_pixels", "seconds", "maps");
        List<String> mapKeys = new ArrayList<>();
        json.get("maps").fieldNames().forEachRemaining(mapKeys::add);
        assertThat(mapKeys).containsExactly("normality", "abnormality", "fused");
        assertThat(json.get("maps").get("fused").get("aupro").asDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(json.get("seconds").asDouble()).isEqualTo(1.5);
    }

    @Test
    void aTestSetOfMorePixelsThanTheHeapHoldsKeepsItsImageMetricsAndSaysWhy() throws Exception {
        // room for the first image's four pixels only: the second would exceed it
        Evaluation e = new Evaluation(6);
        e.add(0.2f, false, new float[4], new float[4], new float[] {0.1f, 0.2f, 0.1f, 0.3f}, GOOD);
        assertThat(e.pixelsLeftOut()).isFalse();
        e.add(0.7f, true, new float[4], new float[4], new float[] {0.9f, 0.1f, 0.2f, 0.1f}, DEFECT);
        assertThat(e.pixelsLeftOut()).isTrue();
        EvaluationReport r = e.report(0.1);
        assertThat(r.imageAuroc()).as("image metrics need no pixels").isEqualTo(1.0);
        assertThat(r.testImages()).isEqualTo(2);
        assertThat(r.pixelAuroc()).isNull();
        assertThat(r.aupro()).isNull();
        assertThat(r.evaluatedPixels()).as("none: metrics of part of the set would pass for the whole's").isZero();
        assertThat(r.maps().get(EvaluationReport.FUSED).pixelAuroc()).isNull();
        assertThat(r.notes().get("pixel_auroc")).contains("0 megapixels")
                .contains("eval --pixel-resolution input").contains("-Xmx");
        assertThat(e.pixelRocCurve(10).points()).isEmpty();
        // with room for both, the same images are measured whole
        Evaluation roomy = new Evaluation(8);
        roomy.add(0.2f, false, new float[4], new float[4], new float[] {0.1f, 0.2f, 0.1f, 0.3f}, GOOD);
        roomy.add(0.7f, true, new float[4], new float[4], new float[] {0.9f, 0.1f, 0.2f, 0.1f}, DEFECT);
        assertThat(roomy.report(0.1).pixelAuroc()).isEqualTo(1.0);
    }

    @Test
    void anAllGoodTestSetReportsNullsWithReasons() throws Exception {
        Evaluation e = new Evaluation();
        e.add(0.2f, false, new float[4], new float[4], new float[] {0.1f, 0.2f, 0.3f, 0.4f}, GOOD);
        EvaluationReport r = e.report(0.1);
        assertThat(r.imageAuroc()).isNull();
        assertThat(r.pixelAuroc()).isNull();
        assertThat(r.aupro()).isNull();
        assertThat(r.notes()).containsKeys("image_auroc", "pixel_auroc", "aupro", "pixel_ap", "image_f1max");
        assertThat(r.notes().get("image_auroc")).contains("no defective");
        JsonNode json = new ObjectMapper().valueToTree(r);
        assertThat(json.get("image_auroc").isNull()).isTrue();
        assertThat(json.has("notes")).isFalse();
    }

    @Test
    void aDefectWithoutAMaskCountsInTheImageMetricsOnly() throws Exception {
        Evaluation e = new Evaluation();
        e.add(0.2f, false, new float[4], new float[4], new float[] {0.1f, 0.2f, 0.1f, 0.3f}, GOOD);
        e.add(0.5f, false, new float[4], new float[4], new float[] {0.1f, 0.1f, 0.1f, 0.1f}, GOOD);
        e.add(0.7f, true, new float[4], new float[4], new float[] {0.9f, 0.1f, 0.2f, 0.1f}, DEFECT);
        e.addImageOnly(0.4f, true); // labelled defective, no mask: ranks below the second good image
        EvaluationReport r = e.report(0.1);
        assertThat(r.testImages()).isEqualTo(4);
        // pairs (defect, good): 0.7 > 0.2, 0.7 > 0.5, 0.4 > 0.2, 0.4 < 0.5 -> 3 of 4
        assertThat(r.imageAuroc()).isEqualTo(0.75);
        assertThat(e.imageLabels()).containsExactly(false, false, true, true);
        // its pixels are not in the pixel metrics: the 12 pixels of the three images with masks rank perfectly
        assertThat(r.pixelAuroc()).isEqualTo(1.0);
        assertThat(e.pixelRocCurve(10).points()).isNotEmpty();
    }

    @Test
    void mapsOfTheWrongSizeAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new Evaluation().add(0, false, new float[3], new float[4], new float[4], GOOD))
                .hasMessageContaining("resize the mask");
    }

    @Test
    void anImageLabelComesFromItsLabelNotFromItsMask() {
        // A defective image whose mask has no pixel at this resolution (a 1-px scratch lost by resizing)
        // still counts as defective: image AUROC sees two defective images, one good.
        Evaluation e = new Evaluation();
        e.add(0.1f, false, new float[4], new float[4], new float[] {0.1f, 0.1f, 0.1f, 0.1f}, GOOD);
        e.add(0.9f, true, new float[4], new float[4], new float[] {0.9f, 0.1f, 0.1f, 0.1f}, DEFECT);
        e.add(0.05f, true, new float[4], new float[4], new float[] {0.1f, 0.1f, 0.1f, 0.1f}, GOOD);
        assertThat(e.imageLabels()).containsExactly(false, true, true);
        // scores: good 0.1; defective 0.9 (above) and 0.05 (below): AUROC = 1/2.
        assertThat(e.report(0).imageAuroc()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theConfusionCountsGiveEachImageTheVerdictItsScoreGets() {
        // A score equal to the image threshold is OK (score <= threshold). 0.1 is no float: rounded to one (0.10000000149)
        // it lay above the threshold, and Measure's grid counted as flagged an image whose verdict said OK.
        Evaluation e = new Evaluation();
        e.addImageOnly(0.1, true);
        e.addImageOnly(0.3, true);
        e.addImageOnly(0.05, false);
        e.addImageOnly(0.1, false);
        ConfusionMatrix grid = dmdd.model.export.Measurement.of(e, 0.1, 0).confusion();
        assertThat(grid).isEqualTo(new ConfusionMatrix(1, 0, 2, 1));
        assertThat(e.imageScores()).containsExactly(0.1, 0.3, 0.05, 0.1);
    }
}
