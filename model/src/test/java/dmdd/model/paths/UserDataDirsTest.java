package dmdd.model.paths;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserDataDirsTest {
    @Test
    void followsEachOperatingSystemsConvention() {
        assertThat(UserDataDirs.dataDir("Linux", Map.of(), null, "/home/u"))
                .isEqualTo(Path.of("/home/u/.local/share/dmdd-inspector"));
        assertThat(UserDataDirs.dataDir("Linux", Map.of("XDG_DATA_HOME", "/data/x"), null, "/home/u"))
                .isEqualTo(Path.of("/data/x/dmdd-inspector"));
        assertThat(UserDataDirs.dataDir("Linux", Map.of("XDG_DATA_HOME", "relative"), null, "/home/u"))
                .as("a relative XDG_DATA_HOME is ignored").isEqualTo(Path.of("/home/u/.local/share/dmdd-inspector"));
        assertThat(UserDataDirs.dataDir("Mac OS X", Map.of(), null, "/Users/u"))
                .isEqualTo(Path.of("/Users/u/Library/Application Support/DMDD Inspector"));
        assertThat(UserDataDirs.dataDir("Windows 11", Map.of("APPDATA", "/c/Users/u/AppData/Roaming"), null, "/c/Users/u"))
                .isEqualTo(Path.of("/c/Users/u/AppData/Roaming/DMDD Inspector"));
        assertThat(UserDataDirs.dataDir("Linux", Map.of(), "/opt/portable/data", "/home/u"))
                .as("the dmdd.data.dir override wins").isEqualTo(Path.of("/opt/portable/data"));
    }
}
