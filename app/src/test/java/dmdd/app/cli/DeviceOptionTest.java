package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dmdd.model.engine.DeviceChoice;
import dmdd.model.engine.DeviceRequest;
import dmdd.model.engine.Devices;
import dmdd.model.engine.GpuProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --device} on every computing subcommand: parsing, the printed explanation, clear errors. */
class DeviceOptionTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        DeviceOption device;
    }

    private static DeviceOption parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.device;
    }

    @Test
    void everyComputingSubcommandOffersDevice() {
        for (String cmd : new String[] {"train", "eval", "infer", "bench"}) {
            CliRun help = CliRun.of(cmd, "--help");
            assertThat(help.code()).as(cmd).isZero();
            assertThat(help.out()).as(cmd).contains("--device=DEVICE").contains("gpu:N").contains("default: auto");
        }
    }

    @Test
    void aMisspeltDeviceIsAOneLineUsageError() {
        CliRun r = CliRun.of("infer", "--device", "tpu", "--model", "m", "--images", "i", "--out", "o");
        assertThat(r.code()).isEqualTo(DmddCli.EXIT_USAGE);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("Unknown device 'tpu'").contains(DeviceRequest.SYNTAX);
    }

    @Test
    void parsesTheRequest() {
        assertThat(parse().request()).isEqualTo(DeviceRequest.AUTO);
        assertThat(parse("--device", "gpu:1").request()).isEqualTo(DeviceRequest.parse("gpu:1"));
        assertThat(parse("--device=CPU").request().kind()).isEqualTo(DeviceRequest.Kind.CPU);
    }

    @Test
    void printsTheChoiceAndItsReason() {
        StringWriter err = new StringWriter();
        DeviceChoice cpu = parse().choose(new Devices(GpuProbe.fixed(false, 0)), new PrintWriter(err));
        assertThat(cpu.device()).isEqualTo(Device.cpu());
        assertThat(err.toString().strip()).isEqualTo("No CUDA GPU found: using the CPU");

        StringWriter err2 = new StringWriter();
        DeviceChoice gpu = parse("--device", "gpu:1").choose(new Devices(GpuProbe.fixed(true, 2)), new PrintWriter(err2));
        assertThat(gpu.device()).isEqualTo(Device.gpu(1));
        assertThat(err2.toString().strip()).isEqualTo("Using GPU 1 (CUDA)");
    }

    @Test
    void aMissingGpuIsAUsageError() {
        DeviceOption option = parse("--device", "gpu:3");
        assertThatThrownBy(() -> option.choose(new Devices(GpuProbe.fixed(true, 2)), new PrintWriter(new StringWriter())))
                .isInstanceOf(CliException.class)
                .hasMessage("Device 'gpu:3' is not available: this machine has 2 GPUs (gpu:0 to gpu:1).");
    }
}
