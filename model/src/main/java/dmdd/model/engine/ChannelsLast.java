package dmdd.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The memory layout the networks run in: channels last (each pixel's channels side by side, PyTorch's
 * {@code channels_last}), with the arrays' logical shape still N x C x H x W.
 *
 * <p>libtorch hands a convolution of an N x C x H x W array stored row by row to oneDNN in its plain layout, and oneDNN
 * reorders it into its channel-blocked layout and the result back, at every convolution; the depthwise and 1x1
 * convolutions of the MobileNetV2 teacher and the inverted residual student do so little arithmetic per byte that
 * these copies cost a sizeable share of a pass. An array stored channels last goes to oneDNN's channels-last kernels
 * without them, and libtorch keeps the layout through convolutions, element-wise operations, pooling, resizing and
 * their gradients. The values are the same to float rounding (oneDNN sums in another order). {@code
 * -Ddmdd.channelsLast=false} keeps the row-by-row layout, to compare. Arrays on a GPU keep rows: the layout was
 * measured on CPUs only, and cuDNN picks its kernels by other rules.
 */
public final class ChannelsLast {
    /** The system property that turns the layout off ({@code false}). */
    public static final String PROPERTY = "dmdd.channelsLast";

    private ChannelsLast() {
    }

    /** @return whether the networks run channels last in this process (read at every call, for comparisons) */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * @param x an array
     * @return whether {@code x} runs channels last in this process: a 4-D array off the GPU with the layout on
     */
    public static boolean appliesTo(NDArray x) {
        return x.getShape().dimension() == 4 && enabled() && !x.getDevice().isGpu();
    }

    /**
     * The same values stored channels last, or {@code x} itself when the layout is off, {@code x} is on a GPU or is
     * not 4-D.
     *
     * @param x an N x C x H x W batch
     * @return an N x C x H x W array whose memory runs pixel by pixel, in {@code x}'s manager
     */
    public static NDArray of(NDArray x) {
        if (!appliesTo(x)) {
            return x;
        }
        Shape s = x.getShape();
        // DJL has no memory-format argument: a permuted view made contiguous by a reshape that cannot be a view (to
        // N x HWC), then viewed back as N x C x H x W, is what PyTorch's x.contiguous(channels_last) stores
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), -1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }
}
