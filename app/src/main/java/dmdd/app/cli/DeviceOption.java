package dmdd.app.cli;

import dmdd.model.engine.DeviceChoice;
import dmdd.model.engine.DeviceRequest;
import dmdd.model.engine.Devices;
import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --device} option of {@code train}, {@code eval}, {@code infer} and {@code bench}, as a
 * picocli mixin ({@code @Mixin DeviceOption device;}). A misspelt device is a usage error while the
 * arguments are parsed; the device itself is picked by {@link Devices} when the command runs.
 */
public final class DeviceOption {

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", converter = RequestConverter.class,
            completionCandidates = Candidates.class, description = "auto (a CUDA GPU when one is usable, else the CPU), cpu, gpu or gpu:N "
                    + "(default: ${DEFAULT-VALUE})")
    DeviceRequest request = DeviceRequest.AUTO;

    /** @return what the user asked for */
    public DeviceRequest request() {
        return request;
    }

    /**
     * Picks the device on this machine and prints which one and why (one line on {@code err}).
     *
     * @param err where the explanation goes (stderr: it is progress, not a result)
     * @return the chosen device
     * @throws CliException when the requested GPU is not there (a usage error, exit code 2)
     */
    public DeviceChoice choose(PrintWriter err) {
        return choose(Devices.system(), err);
    }

    /**
     * As {@link #choose(PrintWriter)}, on the given devices (tests simulate machines with GPUs).
     *
     * @param devices the devices to choose from
     * @param err     where the explanation goes
     * @return the chosen device
     * @throws CliException when the requested GPU is not there
     */
    DeviceChoice choose(Devices devices, PrintWriter err) {
        DeviceChoice choice;
        try {
            choice = devices.choose(request);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        err.println(choice.explanation());
        err.flush();
        return choice;
    }

    /** What shell completion offers after {@code --device}: the spellings {@link DeviceRequest#parse} reads. */
    static final class Candidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("auto", "cpu", "gpu", "gpu:0", "gpu:1").iterator();
        }
    }

    /** Reads {@code --device} values with {@link DeviceRequest#parse}. */
    static final class RequestConverter implements ITypeConverter<DeviceRequest> {
        @Override
        public DeviceRequest convert(String value) {
            try {
                return DeviceRequest.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
