package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's warnings stay off the terminal unless asked for. Checked in a separate JVM, because libtorch writes
 * straight to the process's standard error, which this JVM's {@code System.err} does not see.
 */
class TorchLogLevelTest {

    @Test
    void aSingleImageConvolutionPrintsNothingAndTheWarningsComeBackWhenAskedFor(@TempDir Path dir)
            throws IOException, InterruptedException {
        assumeTrue(Platform.isLinux(), "the level is set on Linux only");
        Child quiet = run(dir.resolve("quiet"), List.of());
        assertThat(quiet.out()).as(quiet.err()).contains("level " + TorchLogLevel.ERROR);
        // what libtorch writes at warning level starts with "[W" (NNPACK on CPUs it cannot use, deprecations)
        assertThat(quiet.err().lines()).noneMatch(l -> l.startsWith("[W"));

        Child loud = run(dir.resolve("loud"), List.of("-D" + TorchLogLevel.KEEP_WARNINGS + "=true"));
        assertThat(loud.out()).as(loud.err()).contains("level " + TorchLogLevel.WARNING);
    }

    private record Child(String out, String err) {
    }

    private static Child run(Path dir, List<String> properties) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
        return new Child(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The child: starts the engine, prints the level, runs the small batch-1 convolutions oneDNN leaves to others. */
    public static final class Probe {
        /**
         * @param args none
         */
        public static void main(String[] args) {
            DjlRuntime.engine();
            System.out.println("level " + TorchLogLevel.current().orElse(-1));
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.randomNormal(new Shape(1, 16, 8, 8));
                NDArray w = m.randomNormal(new Shape(16, 16, 3, 3));
                for (int i = 0; i < 5; i++) {
                    Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).close();
                }
            }
        }
    }
}
