package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The device choice for every machine configuration, simulated with fixed probes (this machine has
 * no GPU), plus one run on the real engine.
 */
class DevicesTest {

    private static final Devices NO_GPU = new Devices(GpuProbe.fixed(false, 0));
    private static final Devices CUDA_BUILD_NO_GPU = new Devices(GpuProbe.fixed(true, 0));
    private static final Devices CPU_BUILD_WITH_GPU = new Devices(GpuProbe.fixed(false, 1));
    private static final Devices TWO_GPUS = new Devices(GpuProbe.fixed(true, 2));

    @Test
    void parsesEverySpelling() {
        assertThat(DeviceRequest.parse("auto")).isEqualTo(DeviceRequest.AUTO);
        assertThat(DeviceRequest.parse(null)).isEqualTo(DeviceRequest.AUTO);
        assertThat(DeviceRequest.parse("  ")).isEqualTo(DeviceRequest.AUTO);
        assertThat(DeviceRequest.parse(" CPU ").kind()).isEqualTo(DeviceRequest.Kind.CPU);
        assertThat(DeviceRequest.parse("gpu").gpuIndex()).isEmpty();
        assertThat(DeviceRequest.parse("GPU:12").gpuIndex()).isEqualTo(OptionalInt.of(12));
        assertThat(DeviceRequest.parse("cuda:1")).isEqualTo(DeviceRequest.parse("gpu:1"));
        for (String text : new String[] {"auto", "cpu", "gpu", "gpu:0", "gpu:3"}) {
            assertThat(DeviceRequest.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void rejectsUnknownDevicesNamingTheTextAndTheSyntax() {
        for (String bad : new String[] {"tpu", "gpu:", "gpu:-1", "gpu:x", "gpu:1:2", "mps"}) {
            assertThatThrownBy(() -> DeviceRequest.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining(DeviceRequest.SYNTAX);
        }
    }

    @Test
    void autoFallsBackToTheCpuWithANote() {
        DeviceChoice choice = NO_GPU.choose("auto");
        assertThat(choice.device()).isEqualTo(Device.cpu());
        assertThat(choice.isGpu()).isFalse();
        assertThat(choice.explanation()).isEqualTo("No CUDA GPU found: using the CPU");
        assertThat(CUDA_BUILD_NO_GPU.choose("auto").explanation()).isEqualTo("No CUDA GPU found: using the CPU");
    }

    @Test
    void autoTakesTheFirstGpuOfACudaBuild() {
        DeviceChoice choice = new Devices(GpuProbe.fixed(true, 1)).choose("auto");
        assertThat(choice.device()).isEqualTo(Device.gpu(0));
        assertThat(choice.isGpu()).isTrue();
        assertThat(choice.explanation()).isEqualTo("Using GPU 0 (CUDA)");
        assertThat(TWO_GPUS.choose("").explanation()).isEqualTo("Using GPU 0 (CUDA) of 2 GPUs");
    }

    @Test
    void aGpuThatTheCpuBuildCannotUseIsExplained() {
        assertThat(CPU_BUILD_WITH_GPU.usableGpus()).isZero();
        DeviceChoice choice = CPU_BUILD_WITH_GPU.choose("auto");
        assertThat(choice.device()).isEqualTo(Device.cpu());
        assertThat(choice.explanation()).contains("CPU-only libtorch").contains("'cuda'").endsWith("using the CPU");
        assertThatThrownBy(() -> CPU_BUILD_WITH_GPU.choose("gpu"))
                .hasMessageContaining("CPU-only libtorch");
    }

    @Test
    void explicitGpuChoices() {
        assertThat(TWO_GPUS.choose("gpu").device()).isEqualTo(Device.gpu(0));
        DeviceChoice second = TWO_GPUS.choose("gpu:1");
        assertThat(second.device()).isEqualTo(Device.gpu(1));
        assertThat(second.explanation()).isEqualTo("Using GPU 1 (CUDA)");
        assertThat(TWO_GPUS.choose("cpu").device()).isEqualTo(Device.cpu());
        assertThat(TWO_GPUS.choose("cpu").explanation()).isEqualTo("Using the CPU (as requested)");
    }

    @Test
    void aMissingGpuIsAClearError() {
        assertThatThrownBy(() -> TWO_GPUS.choose("gpu:3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Device 'gpu:3' is not available: this machine has 2 GPUs (gpu:0 to gpu:1).");
        assertThatThrownBy(() -> new Devices(GpuProbe.fixed(true, 1)).choose("gpu:1"))
                .hasMessage("Device 'gpu:1' is not available: this machine has 1 GPU (gpu:0).");
        assertThatThrownBy(() -> NO_GPU.choose("gpu"))
                .hasMessage("Device 'gpu' is not available. No CUDA GPU found. Use --device auto or --device cpu.");
    }

    @Test
    void listsGpusThenTheCpu() {
        assertThat(NO_GPU.available()).containsExactly(Device.cpu());
        assertThat(CPU_BUILD_WITH_GPU.available()).containsExactly(Device.cpu());
        assertThat(TWO_GPUS.available()).containsExactly(Device.gpu(0), Device.gpu(1), Device.cpu());
        assertThatThrownBy(() -> GpuProbe.fixed(true, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRealChoiceComputesOnTheChosenDevice() {
        Devices devices = Devices.system();
        DeviceChoice choice = devices.choose("auto");
        // auto is always the first listed device: a GPU when usable, else the CPU
        assertThat(choice.device()).isEqualTo(devices.available().get(0));
        assertThat(devices.available().get(devices.available().size() - 1)).isEqualTo(Device.cpu());
        assertThat(devices.choose("cpu").device()).isEqualTo(Device.cpu());
        try (NDManager manager = NDManager.newBaseManager(choice.device(), DjlRuntime.ENGINE)) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
            assertThat(sum.getDevice()).isEqualTo(choice.device());
            assertThat(sum.getFloat()).isEqualTo(6f);
        }
    }
}
