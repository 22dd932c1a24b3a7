package dmdd.model.dmdd;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dmdd.model.engine.FlopCounter;

/**
 * Floating-point operations per image of each DMDD network at an input size, and what inference and
 * the two training stages cost from them. Training counts a backward pass as twice its forward pass
 * (the usual estimate: gradients for the inputs and for the weights), and follows what the trainer
 * runs: in stage 1 the teacher on the augmented images that carry an anomaly (the normal images' features are
 * cached, and a clean pair's augmented image is its normal image) and the student forward and backward; in stage 2
 * the teacher and the frozen student forward on the pairs with an anomaly, the segmenter forward and backward.
 *
 * @param teacher   the frozen teacher's forward pass, per image
 * @param student   the student's forward pass, per image (AAND: with its amplifier; DCAM's attention module runs in
 *                  training only and is not counted)
 * @param segmenter the segmentation network's forward pass, per image (0 for the baseline)
 */
public record NetworkFlops(long teacher, long student, long segmenter) {
    /**
     * @param networks the DMDD networks
     * @param teacher  the teacher they were trained with
     * @param side     the network input side
     * @return the counts
     */
    public static NetworkFlops of(DmddNetworks networks, Block teacher, int side) {
        Shape image = new Shape(1, 3, side, side);
        long segmenter = 0;
        if (networks.segmenter() != null) {
            int[] channels = MultiPerceptionSegmenter.inputChannels(networks.settings(), networks.levelChannels());
            Shape[] groups = new Shape[channels.length];
            for (int g = 0; g < groups.length; g++) {
                long stride = 4L << (g % 3);
                groups[g] = new Shape(1, channels[g], side / stride, side / stride);
            }
            segmenter = FlopCounter.forward(networks.segmenter(), groups);
        }
        long student;
        if (networks.amplifier() != null) {
            // AAND: the amplifier and the reverse-distillation student both read the teacher's levels
            int[] c = networks.levelChannels();
            Shape[] levels = new Shape[3];
            for (int l = 0; l < 3; l++) {
                long stride = 4L << l;
                levels[l] = new Shape(1, c[l], side / stride, side / stride);
            }
            student = FlopCounter.forward(networks.amplifier(), levels) + FlopCounter.forward(networks.student(), levels);
        } else {
            student = FlopCounter.forward(networks.student(), image);
        }
        return new NetworkFlops(FlopCounter.forward(teacher, image), student, segmenter);
    }

    /** @return operations to inspect one image (all three networks forward) */
    public long inference() {
        return teacher + student + segmenter;
    }

    /**
     * @param settings the training settings (method, caching and the stage's share of clean pairs)
     * @return operations of one image of a stage-1 step on average: the student forward and backward, and the teacher
     *         on what is not cached (DMDD: the augmented images with an anomaly, or the normal and augmented images
     *         without the cache; the baseline: the normal images without the cache)
     */
    public long studentTrainingPerImage(DmddSettings settings) {
        boolean cached = settings.cachesNormalFeatures();
        double teacherPasses = settings.isDmdd() ? (cached ? 1 - settings.cleanPairFraction() : 2) : (cached ? 0 : 1);
        return Math.round(teacher * teacherPasses) + 3 * student;
    }

    /**
     * @param settings the training settings (caching and the segmentation stage's share of clean pairs)
     * @return operations of one image of a stage-2 step on average: the teacher and the frozen student forward on the
     *         pairs whose inputs are not cached, the segmenter forward and backward
     */
    public long segmenterTrainingPerImage(DmddSettings settings) {
        double computed = settings.cachesNormalFeatures() ? 1 - settings.segmenterCleanPairFraction() : 1;
        return Math.round((teacher + student) * computed) + 3 * segmenter;
    }
}
