package dmdd.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.TestImages;
import dmdd.model.dmdd.TrainingStage;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each training stage gets its own share of clean pairs from the production synthesis. */
class SynthesisByStageTest {
    private static final RgbImage NORMAL = TestImages.stripes(1, 48, 3).get(0);

    @Test
    void theSegmentationStageLeavesItsOwnShareOfPairsClean() throws IOException {
        PairSynthesizer synthesis = Synthesis.byStage(DmddSettings.defaults().with(Map.of("cleanPairFraction", 0.5,
                "segmenterCleanPairFraction", 0.2)));
        assertThat(cleanShare(synthesis.forStage(TrainingStage.STUDENT))).isBetween(0.44, 0.56);
        assertThat(cleanShare(synthesis.forStage(TrainingStage.SEGMENTER))).isBetween(0.15, 0.25);
        assertThat(cleanShare(synthesis)).isBetween(0.44, 0.56); // without a stage: stage 1's share
    }

    @Test
    void withTheSameShareBothStagesDrawTheSamePairs() throws IOException {
        PairSynthesizer synthesis = Synthesis.byStage(DmddSettings.defaults());
        TrainingPair a = synthesis.forStage(TrainingStage.STUDENT).synthesize(NORMAL, new Random(7));
        TrainingPair b = synthesis.forStage(TrainingStage.SEGMENTER).synthesize(NORMAL, new Random(7));
        assertThat(b.mask().toFloats()).containsExactly(a.mask().toFloats());
        assertThat(b.augmented().chw()).containsExactly(a.augmented().chw());
    }

    private static double cleanShare(PairSynthesizer synthesis) {
        Random rng = new Random(11);
        int clean = 0;
        int n = 600;
        for (int i = 0; i < n; i++) {
            float max = 0;
            for (float v : synthesis.synthesize(NORMAL, rng).mask().toFloats()) {
                max = Math.max(max, v);
            }
            clean += max == 0 ? 1 : 0;
        }
        return clean / (double) n;
    }
}
