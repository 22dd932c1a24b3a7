package dmdd.model.train;

import dmdd.datasets.image.RgbImage;
import dmdd.datasets.synthesis.TrainingPair;
import dmdd.model.dmdd.TrainingStage;
import java.util.Random;

/**
 * Makes a training pair (normal image, image with a synthetic anomaly, mask) from a normal image.
 * Must be deterministic given {@code rng}, so that a resumed run sees the same pairs.
 * {@code DefectSynthesizer::synthesize} is the production implementation.
 */
@FunctionalInterface
public interface PairSynthesizer {
    /**
     * @param normal a normal image at the network input size
     * @param rng    the step's random generator
     * @return the pair, all at the size of {@code normal}
     */
    TrainingPair synthesize(RgbImage normal, Random rng);

    /**
     * @param stage the training stage a pair is for
     * @return the synthesis for that stage's pairs (stages may differ in their share of clean pairs); this one for
     *         every stage unless overridden
     */
    default PairSynthesizer forStage(TrainingStage stage) {
        return this;
    }
}
