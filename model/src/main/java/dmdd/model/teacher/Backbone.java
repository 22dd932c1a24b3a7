package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An ImageNet CNN used as DMDD's frozen teacher. Its {@code forward} takes a batch of images
 * already passed through {@link #normalize(NDArray)} (N x 3 x H x W) and returns an {@code NDList}
 * whose first three entries are the feature levels at strides 4, 8 and 16 (a fourth entry, the
 * class probabilities, may follow when the backbone has its classifier head). Teachers obtained
 * from {@link Teachers} are frozen: their parameters need no gradient and batch norm always uses
 * its running statistics, whatever {@code training} flag {@code forward} is given.
 */
public interface Backbone extends Block {

    /** @return which backbone this is */
    BackboneKind kind();

    /** @return channels of the three feature levels */
    default int[] levelChannels() {
        return kind().levelChannels();
    }

    /**
     * Scales RGB images in [0, 1] the way this backbone was trained (ImageNet mean/std for
     * torchvision models; [0, 1] unchanged for the nsfwjs MobileNetV2 at width 1.0, [-1, 1] at width 1.4).
     *
     * @param rgb01 N x 3 x H x W in [0, 1]
     * @return the network input
     */
    NDArray normalize(NDArray rgb01);

    /**
     * @return where the weights in this network came from; by default "random initial weights",
     *         which is what a backbone built outside {@link Teachers} has
     */
    default WeightsOrigin weightsOrigin() {
        return WeightsOrigin.untrained();
    }

    /**
     * Normalizes a batch and runs it through the network in inference mode, with a fresh
     * {@link ParameterStore} so that the current weights are always the ones used.
     *
     * @param rgb01 N x 3 x H x W in [0, 1]; the results live in its manager
     * @return the three feature levels (and the class probabilities if the head is present)
     */
    default NDList features(NDArray rgb01) {
        NDArray input = normalize(rgb01);
        return forward(new ParameterStore(rgb01.getManager(), false), new NDList(input), false);
    }
}
