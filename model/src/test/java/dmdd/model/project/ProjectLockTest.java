package dmdd.model.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.model.faults.FaultLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project open in one workstation process is refused by another (each would undo the other's saves), held any
 * number of times inside one process, and free again when the holder ends, even by a kill.
 */
class ProjectLockTest {
    @TempDir
    Path temp;

    @Test
    void aProjectOpenInAnotherProcessIsRefusedNamingItAndFreeOnceThatProcessIsGone() throws Exception {
        Project project = ProjectStore.create(temp.resolve("line-3"), "Line 3");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FaultLoop.class.getName(), "hold-project", project.folder().toString()).redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            assertThatThrownBy(() -> ProjectLock.acquire(project.folder()))
                    .hasMessageContaining(project.folder().toString())
                    .hasMessageContaining("open in another DMDD Inspector")
                    .hasMessageContaining("process " + other.pid());
        } finally {
            other.destroyForcibly();
            other.waitFor(30, TimeUnit.SECONDS);
        }
        // inside one process: held twice, released twice
        try (ProjectLock first = ProjectLock.acquire(project.folder());
             ProjectLock second = ProjectLock.acquire(project.folder())) {
            assertThat(first).isNotSameAs(second);
        }
        ProjectLock.acquire(project.folder()).close();
    }
}
