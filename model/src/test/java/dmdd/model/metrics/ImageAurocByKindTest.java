package dmdd.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.model.metrics.ImageAurocByKind.ScoredImage;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ImageAurocByKindTest {
    @Test
    void eachKindIsRankedAgainstEveryGoodImage() {
        List<ScoredImage> images = List.of(
                new ScoredImage("good/000.png", 0.1, false),
                new ScoredImage("good/001.png", 0.4, false),
                new ScoredImage("good/002.png", 0.6, false),
                // stains all above every good image: 1
                new ScoredImage("stain/000.png", 0.7, true),
                new ScoredImage("stain/001.png", 0.9, true),
                // cracks: 0.5 beats 0.1 and 0.4 (2 of 3), 0.4 beats 0.1 and ties 0.4 (1.5 of 3): 3.5 / 6
                new ScoredImage("crack/000.png", 0.5, true),
                new ScoredImage("crack\\001.png", 0.4, true),
                new ScoredImage("loose.png", 0.05, true));
        SortedMap<String, MetricValue> byKind = ImageAurocByKind.compute(images);
        assertThat(byKind.keySet()).containsExactly("crack", "defect", "stain");
        assertThat(byKind.get("stain").value()).isEqualTo(1.0);
        assertThat(byKind.get("crack").value()).isCloseTo(3.5 / 6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(byKind.get("defect").value()).isEqualTo(0.0);
        // the same as the AUROC of all images when there is one kind
        List<ScoredImage> oneKind = images.stream().filter(i -> !i.name().startsWith("crack")
                && !i.name().equals("loose.png")).toList();
        assertThat(ImageAurocByKind.compute(oneKind).get("stain").value())
                .isEqualTo(Auroc.compute(new float[] {0.1f, 0.4f, 0.6f, 0.7f, 0.9f},
                        new boolean[] {false, false, false, true, true}).value());
    }

    @Test
    void withoutGoodImagesNoKindHasAnAuroc() {
        SortedMap<String, MetricValue> byKind = ImageAurocByKind.compute(List.of(
                new ScoredImage("pit/000.png", 0.5, true)));
        assertThat(byKind.get("pit").isDefined()).isFalse();
    }
}
