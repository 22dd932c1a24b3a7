package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DCAM's Distributed Convolutional Attention Module (our reconstruction, {@code docs/methods/DCAM.md}): one
 * convolutional attention block (CBAM's layout: channel attention from the global average, then spatial attention
 * from the channel mean and maximum through a 7x7 convolution) on each of the student's three levels. It is used in
 * training only: its masks weight the teacher and student features the DCAM losses compare, so each sample's
 * irrelevant features count less and categories interfere less. Inspection never runs it.
 *
 * <p>Input: the student's three levels; output: three masks N x C x H x W, each with mean 1 per image (the
 * attention redistributes weight, it cannot switch the comparison off).
 */
public final class DistributedAttention extends ComposedBlock {
    private static final float EPS = 1e-6f;
    private final Block[] channelAttention = new Block[3];
    private final Block[] spatialAttention = new Block[3];

    /**
     * @param levelChannels the teacher's (and student's) channels per level
     * @param reduction     channel reduction of the channel attention's hidden layer
     */
    public DistributedAttention(int[] levelChannels, int reduction) {
        for (int l = 0; l < 3; l++) {
            int c = levelChannels[l];
            int hidden = Math.max(4, c / reduction);
            channelAttention[l] = child("channel" + (l + 1), new SequentialBlock().add(Layers.conv(hidden, 1))
                    .add(Activation.reluBlock()).add(Layers.conv(c, 1)), c);
            spatialAttention[l] = child("spatial" + (l + 1), Layers.conv(1, 7), 2);
        }
    }

    /**
     * @param settings      model settings
     * @param levelChannels the teacher's channels per level
     * @return the attention module those settings describe
     */
    public static DistributedAttention of(DmddSettings settings, int[] levelChannels) {
        return new DistributedAttention(levelChannels, settings.seReduction());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList masks = new NDList(3);
        for (int l = 0; l < 3; l++) {
            NDArray s = inputs.get(l);
            NDArray squeezed = s.mean(new int[] {3}, true).mean(new int[] {2}, true);
            NDArray channel = Activation.sigmoid(forwardChild(channelAttention[l], ps, squeezed, training));
            NDArray refined = s.mul(channel);
            NDArray pooled = refined.mean(new int[] {1}, true).concat(refined.max(new int[] {1}, true), 1);
            NDArray spatial = Activation.sigmoid(forwardChild(spatialAttention[l], ps, pooled, training));
            NDArray mask = channel.mul(spatial);
            masks.add(mask.div(mask.mean(new int[] {3}, true).mean(new int[] {2}, true).mean(new int[] {1}, true).add(EPS)));
        }
        return masks;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }
}
