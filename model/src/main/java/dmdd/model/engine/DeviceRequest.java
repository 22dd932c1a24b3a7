package dmdd.model.engine;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * What the user asked for in settings or with {@code --device}: {@code auto}, {@code cpu},
 * {@code gpu} (the first GPU) or {@code gpu:N}. Parsing is separate from choosing so that a typo
 * is reported before any engine is loaded.
 *
 * @param kind     which kind of device was asked for
 * @param gpuIndex the GPU number for {@code gpu:N}; empty for {@code gpu} (meaning GPU 0) and
 *                 for the other kinds
 */
public record DeviceRequest(Kind kind, OptionalInt gpuIndex) {

    /** The accepted spellings, for help texts and error messages. */
    public static final String SYNTAX = "auto, cpu, gpu or gpu:N";

    /** The default request: a GPU when one can be used, else the CPU. */
    public static final DeviceRequest AUTO = new DeviceRequest(Kind.AUTO, OptionalInt.empty());

    /** Kinds of device request. */
    public enum Kind {
        /** The first usable GPU, else the CPU. */
        AUTO,
        /** Always the CPU. */
        CPU,
        /** A CUDA GPU; an error when it is not there. */
        GPU
    }

    /**
     * Checks the combination of kind and index.
     *
     * @param kind     the kind
     * @param gpuIndex the GPU number, only for {@link Kind#GPU}
     */
    public DeviceRequest {
        if (kind == null || gpuIndex == null) {
            throw new IllegalArgumentException("kind and gpuIndex must not be null");
        }
        if (gpuIndex.isPresent() && (kind != Kind.GPU || gpuIndex.getAsInt() < 0)) {
            throw new IllegalArgumentException("a GPU number belongs only to a gpu request and is >= 0");
        }
    }

    /**
     * Parses a user's device choice. Case and surrounding blanks do not matter; {@code null} or a
     * blank string means {@code auto} (a settings file without the field).
     *
     * @param text e.g. {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:1}
     * @return the request
     * @throws IllegalArgumentException naming the bad text and the accepted spellings
     */
    public static DeviceRequest parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
                return AUTO;
            case "cpu":
                return new DeviceRequest(Kind.CPU, OptionalInt.empty());
            case "gpu":
            case "cuda":
                return new DeviceRequest(Kind.GPU, OptionalInt.empty());
            default:
                break;
        }
        for (String prefix : new String[] {"gpu:", "cuda:"}) {
            if (value.startsWith(prefix)) {
                String number = value.substring(prefix.length());
                if (number.matches("\\d{1,4}")) {
                    return new DeviceRequest(Kind.GPU, OptionalInt.of(Integer.parseInt(number)));
                }
            }
        }
        throw new IllegalArgumentException(
                "Unknown device '" + text.strip() + "': use " + SYNTAX + " (N is the GPU number, from 0)");
    }

    /** @return the canonical spelling, which {@link #parse(String)} reads back */
    @Override
    public String toString() {
        switch (kind) {
            case AUTO:
                return "auto";
            case CPU:
                return "cpu";
            default:
                return gpuIndex.isPresent() ? "gpu:" + gpuIndex.getAsInt() : "gpu";
        }
    }
}
