package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** On Linux with glibc the allocator settings take effect once the engine is up, and asking again changes nothing. */
class NativeAllocatorTest {

    @Test
    void glibcAcceptsTheSettingsWhenTheEngineStarts() {
        assumeTrue(Platform.isLinux() && !Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")), "needs glibc");
        DjlRuntime.engine();
        assertThat(NativeAllocator.keepFreedMemory()).isTrue();
        assertThat(NativeAllocator.keepFreedMemory()).isTrue();
    }
}
