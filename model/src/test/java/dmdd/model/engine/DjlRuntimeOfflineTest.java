package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that DJL starts with no network and no cache: a fresh JVM whose DJL cache directory has
 * been deleted must still load libtorch (from the bundled native jar) and compute.
 */
class DjlRuntimeOfflineTest {

    /** Runs in the child JVM: computes something small and prints it. */
    public static void main(String[] args) {
        DjlRuntime.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
            System.out.println("SUM=" + sum.getFloat());
            System.out.println("ENGINE=" + manager.getEngine().getEngineName());
        }
    }

    @Test
    void startsWithEmptyCacheAndNoNetwork(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("djl-cache");
        Files.createDirectories(cache);
        deleteRecursively(cache); // the cache directory does not exist when the child starts

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-DDJL_CACHE_DIR=" + cache);
        cmd.add("-DENGINE_CACHE_DIR=" + cache);
        // Any attempt to reach the network fails at once: there is no proxy at this address.
        cmd.add("-Dhttps.proxyHost=127.0.0.1");
        cmd.add("-Dhttps.proxyPort=9");
        cmd.add("-Dhttp.proxyHost=127.0.0.1");
        cmd.add("-Dhttp.proxyPort=9");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DjlRuntimeOfflineTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUM=6.0").contains("ENGINE=PyTorch");
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")))
                    .as("libtorch extracted from the bundled jar into the fresh cache").isTrue();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(f);
            }
        }
    }
}
