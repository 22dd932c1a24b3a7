package dmdd.model.engine;

import ai.djl.Device;

/**
 * The device training or inference will run on, with the reason in words for the log, the
 * command line and the status bar (e.g. "No CUDA GPU found: using the CPU").
 *
 * @param device      the DJL device to create models and arrays on
 * @param request     what the user asked for
 * @param explanation one sentence saying which device is used and why
 */
public record DeviceChoice(Device device, DeviceRequest request, String explanation) {

    /** @return {@code true} when the choice is a GPU */
    public boolean isGpu() {
        return device.isGpu();
    }
}
