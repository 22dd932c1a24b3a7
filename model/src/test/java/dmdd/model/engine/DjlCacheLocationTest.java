package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's unpacked copy belongs in the user's cache folder, and an explicit DJL_CACHE_DIR still wins.
 * Runs {@link DjlRuntime#applyOfflineSettings()} in a child JVM (it sets JVM-wide properties).
 */
class DjlCacheLocationTest {

    /** Runs in the child JVM. */
    public static void main(String[] args) {
        DjlRuntime.applyOfflineSettings();
        System.out.println("DJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));
        System.out.println("OFFLINE=" + System.getProperty("ai.djl.offline"));
    }

    private static String child(String... properties) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(properties));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DjlCacheLocationTest.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DJL_CACHE_DIR");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void libtorchIsUnpackedIntoTheUserCacheFolder(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        String out = child("-Ddmdd.data.dir=" + data);
        assertThat(out).contains("DJL_CACHE_DIR=" + data.resolve("cache").resolve("djl")).contains("OFFLINE=true");
    }

    @Test
    void anExplicitCacheFolderWins(@TempDir Path tmp) throws Exception {
        String out = child("-Ddmdd.data.dir=" + tmp.resolve("data"), "-DDJL_CACHE_DIR=" + tmp.resolve("mine"));
        assertThat(out).contains("DJL_CACHE_DIR=" + tmp.resolve("mine"));
    }
}
