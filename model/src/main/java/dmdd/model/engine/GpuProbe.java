package dmdd.model.engine;

import ai.djl.engine.StandardCapabilities;
import ai.djl.util.cuda.CudaUtils;

/**
 * What the machine and the bundled libtorch offer. Separate from {@link Devices} so the choice
 * logic can be tested on a machine without a GPU by giving it a made-up probe.
 */
public interface GpuProbe {

    /**
     * Whether the libtorch that was loaded was built with CUDA (the {@code cuda} Maven profile).
     *
     * @return {@code true} for a CUDA build of libtorch
     */
    boolean cudaLibtorch();

    /**
     * CUDA GPUs visible through the CUDA runtime library, whether or not libtorch can use them.
     *
     * @return the number of GPUs, 0 when there is no CUDA runtime or no GPU
     */
    int visibleGpus();

    /**
     * The probe of this machine: loads the engine through {@link DjlRuntime} and asks DJL.
     *
     * @return the real probe
     */
    static GpuProbe system() {
        return new GpuProbe() {
            @Override
            public boolean cudaLibtorch() {
                return DjlRuntime.engine().hasCapability(StandardCapabilities.CUDA);
            }

            @Override
            public int visibleGpus() {
                return CudaUtils.getGpuCount();
            }
        };
    }

    /**
     * A fixed probe, for tests and for reporting a known configuration.
     *
     * @param cudaLibtorch whether libtorch is a CUDA build
     * @param visibleGpus  how many GPUs the CUDA runtime reports
     * @return the probe
     */
    static GpuProbe fixed(boolean cudaLibtorch, int visibleGpus) {
        if (visibleGpus < 0) {
            throw new IllegalArgumentException("visibleGpus must be >= 0, was " + visibleGpus);
        }
        return new GpuProbe() {
            @Override
            public boolean cudaLibtorch() {
                return cudaLibtorch;
            }

            @Override
            public int visibleGpus() {
                return visibleGpus;
            }
        };
    }
}
