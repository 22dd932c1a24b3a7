package dmdd.model.engine;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists the devices DJL can compute on and picks the one to use from a {@link DeviceRequest}.
 * {@code auto} takes the first GPU when libtorch can use one and falls back to the CPU with a
 * note saying why; an explicit {@code gpu} or {@code gpu:N} that cannot be honoured is an error
 * (the user asked for it, so silently running ten times slower on the CPU would mislead).
 *
 * <p>Training ({@code train.DmddTrainer}), inference ({@code infer.Inspector}), the command line
 * ({@code --device}) and the settings field {@code device} all go through {@link #choose}.
 */
public final class Devices {

    private final GpuProbe probe;

    /**
     * Devices as seen through the given probe.
     *
     * @param probe what the machine and libtorch offer; {@link GpuProbe#system()} for real use
     */
    public Devices(GpuProbe probe) {
        if (probe == null) {
            throw new IllegalArgumentException("probe must not be null");
        }
        this.probe = probe;
    }

    /**
     * The devices of this machine, probed through DJL (loads the engine).
     *
     * @return the devices of this machine
     */
    public static Devices system() {
        return new Devices(GpuProbe.system());
    }

    /**
     * GPUs libtorch can compute on: the visible GPUs when libtorch is a CUDA build, else none.
     *
     * @return the number of usable GPUs
     */
    public int usableGpus() {
        return probe.cudaLibtorch() ? probe.visibleGpus() : 0;
    }

    /**
     * Every device that can be chosen: the usable GPUs in order, then the CPU.
     *
     * @return an unmodifiable list that always ends with the CPU
     */
    public List<Device> available() {
        int gpus = usableGpus();
        List<Device> devices = new ArrayList<>(gpus + 1);
        for (int i = 0; i < gpus; i++) {
            devices.add(Device.gpu(i));
        }
        devices.add(Device.cpu());
        return Collections.unmodifiableList(devices);
    }

    /**
     * Parses the user's text and picks the device; see {@link #choose(DeviceRequest)}.
     *
     * @param text {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; blank means {@code auto}
     * @return the chosen device and why
     * @throws IllegalArgumentException when the text is not a device or the device is missing
     */
    public DeviceChoice choose(String text) {
        return choose(DeviceRequest.parse(text));
    }

    /**
     * Picks the device for a request.
     *
     * @param request what the user asked for
     * @return the chosen device and a one-sentence explanation
     * @throws IllegalArgumentException when a GPU was asked for explicitly and is not usable;
     *                                  the message says how many GPUs there are and why
     */
    public DeviceChoice choose(DeviceRequest request) {
        int usable = usableGpus();
        switch (request.kind()) {
            case CPU:
                return new DeviceChoice(Device.cpu(), request, "Using the CPU (as requested)");
            case AUTO:
                if (usable > 0) {
                    return new DeviceChoice(Device.gpu(0), request, "Using GPU 0 (CUDA)"
                            + (usable > 1 ? " of " + usable + " GPUs" : ""));
                }
                return new DeviceChoice(Device.cpu(), request, whyNoGpu() + ": using the CPU");
            case GPU:
            default:
                int index = request.gpuIndex().orElse(0);
                if (usable == 0) {
                    throw new IllegalArgumentException("Device '" + request + "' is not available. "
                            + whyNoGpu() + ". Use --device auto or --device cpu.");
                }
                if (index >= usable) {
                    throw new IllegalArgumentException("Device '" + request + "' is not available: this machine has "
                            + usable + (usable == 1 ? " GPU (gpu:0)" : " GPUs (gpu:0 to gpu:" + (usable - 1) + ")")
                            + ".");
                }
                return new DeviceChoice(Device.gpu(index), request, "Using GPU " + index + " (CUDA)");
        }
    }

    /** The reason no GPU is usable, phrased for a person. */
    private String whyNoGpu() {
        int visible = probe.visibleGpus();
        if (visible > 0 && !probe.cudaLibtorch()) {
            return "A CUDA GPU was found but this build has the CPU-only libtorch (build with the Maven "
                    + "profile 'cuda' to use it)";
        }
        return "No CUDA GPU found";
    }
}
