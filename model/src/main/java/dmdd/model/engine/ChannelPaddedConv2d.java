package dmdd.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's 2-D convolution block (same parameters, names and shapes, so saved weights load as before) whose forward
 * runs {@link ChannelPaddedConvolution}: right on CPUs whose oneDNN kernels get some channel counts wrong.
 */
public final class ChannelPaddedConv2d extends Conv2d {

    /**
     * @param builder a {@link Conv2d#builder()} with the convolution's settings (not built)
     */
    public ChannelPaddedConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
        return new NDList(ChannelPaddedConvolution.convolve(input, w, b, stride, padding, dilation, groups));
    }
}
