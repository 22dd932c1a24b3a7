package dmdd.model.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps libtorch's own warning lines off the terminal.
 *
 * <p>libtorch tries NNPACK for every small convolution that oneDNN does not take (at batch 1: the deeper levels'
 * 3x3 and 1x1 convolutions), and where NNPACK cannot start (this project's AMD EPYC: "Unsupported hardware") it
 * logs {@code Could not initialize NNPACK!} on each try: 27 lines for one inspected image, thousands in a
 * {@code bench} run, none of them actionable. libtorch reads no environment variable for its log level in this
 * build, so after the engine loads this class raises libc10's {@code FLAGS_caffe2_log_level} from warning to
 * error; errors still print. {@code -Ddmdd.torchWarnings=true} keeps the warnings. Linux only (the library is found
 * among the process's mapped files); elsewhere nothing changes.
 */
public final class TorchLogLevel {
    /** The system property that keeps libtorch's warnings. */
    public static final String KEEP_WARNINGS = "dmdd.torchWarnings";
    /** c10's level for warnings (its {@code GLOG_WARNING}). */
    public static final int WARNING = 1;
    /** c10's level for errors (its {@code GLOG_ERROR}). */
    public static final int ERROR = 2;
    private static final Logger LOG = LoggerFactory.getLogger(TorchLogLevel.class);
    private static final String FLAG = "FLAGS_caffe2_log_level";

    private TorchLogLevel() {
    }

    /**
     * Raises libtorch's log level to errors, unless {@value #KEEP_WARNINGS} is {@code true}. Called once libtorch is
     * loaded.
     */
    static void quietUnlessAsked() {
        if (Boolean.getBoolean(KEEP_WARNINGS)) {
            return;
        }
        flag().ifPresent(f -> f.setInt(0, Math.max(ERROR, f.getInt(0))));
    }

    /**
     * @return libtorch's current log level (messages below it are not printed), or empty where it cannot be read
     *         (libtorch not loaded yet, not Linux)
     */
    public static OptionalInt current() {
        return flag().map(f -> OptionalInt.of(f.getInt(0))).orElse(OptionalInt.empty());
    }

    private static Optional<Pointer> flag() {
        Path maps = Path.of("/proc/self/maps");
        if (!Platform.isLinux() || !Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            Optional<String> c10 = lines.filter(l -> l.indexOf('/') >= 0)
                    .map(l -> l.substring(l.indexOf('/')))
                    .filter(p -> Path.of(p).getFileName().toString().startsWith("libc10.so"))
                    .findFirst();
            return c10.map(p -> NativeLibrary.getInstance(p).getGlobalVariableAddress(FLAG));
        } catch (IOException | LinkageError | RuntimeException e) {
            LOG.debug("libtorch's log level cannot be set here: {}", e.toString());
            return Optional.empty();
        }
    }
}
