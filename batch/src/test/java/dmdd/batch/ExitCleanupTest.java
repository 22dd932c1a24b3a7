package dmdd.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch driver stopped by SIGTERM removes its scratch files before Hadoop closes its file systems; a run that
 * cleaned up itself leaves the rest.
 */
class ExitCleanupTest {

    /** The child JVM: a folder that a registered cleanup owns (args: folder, "keep" to withdraw it first). */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path folder = Files.createDirectories(Path.of(args[0]).resolve("scratch"));
            Files.writeString(folder.resolve("part-00000"), "half written");
            Path closed = Path.of(args[0]).resolve("file-systems-closed");
            // Stands for Hadoop's hook that closes the cached file systems (an HDFS output's among them).
            org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> {
                try {
                    Files.writeString(closed, "closed");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, org.apache.hadoop.fs.FileSystem.SHUTDOWN_HOOK_PRIORITY);
            ExitCleanup cleanup = ExitCleanup.register(() -> {
                try {
                    Thread.sleep(300); // JVM hooks run at once: Hadoop's would close the file systems meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (Files.exists(closed)) {
                    return; // an HDFS cleanup could not remove anything any more
                }
                dmdd.datasets.image.Folders.deleteTree(folder);
            });
            if (args.length > 1) {
                cleanup.close();
            }
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void aSignalRemovesWhatTheRunRegisteredAndNothingOnceItWithdrew(@TempDir Path tmp) throws Exception {
        Path removed = Files.createDirectories(tmp.resolve("stopped"));
        assertThat(stopBySignal(removed)).as("scratch folder after SIGTERM").doesNotExist();
        Path kept = Files.createDirectories(tmp.resolve("withdrawn"));
        assertThat(stopBySignal(kept, "keep")).as("a withdrawn cleanup leaves the folder")
                .isDirectory();
    }

    private static Path stopBySignal(Path folder, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), folder.toString()));
        command.addAll(List.of(more));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            assertThat(folder.resolve("scratch")).isDirectory();
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return folder.resolve("scratch");
    }
}
