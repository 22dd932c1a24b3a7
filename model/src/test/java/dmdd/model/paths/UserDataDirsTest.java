package dmdd.model.paths;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void settingsAndCacheFollowEachOperatingSystemsConvention() {
        assertThat(UserDataDirs.configDir("Linux", Map.of(), null, "/home/u"))
                .isEqualTo(Path.of("/home/u/.config/dmdd-inspector"));
        assertThat(UserDataDirs.configDir("Linux", Map.of("XDG_CONFIG_HOME", "/cfg"), null, "/home/u"))
                .isEqualTo(Path.of("/cfg/dmdd-inspector"));
        assertThat(UserDataDirs.cacheDir("Linux", Map.of(), null, "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/dmdd-inspector"));
        assertThat(UserDataDirs.cacheDir("Linux", Map.of("XDG_CACHE_HOME", "rel/ative"), null, "/home/u"))
                .as("a relative XDG_CACHE_HOME is ignored").isEqualTo(Path.of("/home/u/.cache/dmdd-inspector"));
        assertThat(UserDataDirs.configDir("Mac OS X", Map.of(), null, "/Users/u"))
                .isEqualTo(Path.of("/Users/u/Library/Application Support/DMDD Inspector/config"));
        assertThat(UserDataDirs.cacheDir("Mac OS X", Map.of(), null, "/Users/u"))
                .isEqualTo(Path.of("/Users/u/Library/Caches/DMDD Inspector"));
        Map<String, String> windows = Map.of("APPDATA", "/c/Users/u/AppData/Roaming",
                "LOCALAPPDATA", "/c/Users/u/AppData/Local");
        assertThat(UserDataDirs.configDir("Windows 10", windows, null, "/c/Users/u"))
                .isEqualTo(Path.of("/c/Users/u/AppData/Roaming/DMDD Inspector/config"));
        assertThat(UserDataDirs.cacheDir("Windows 10", windows, null, "/c/Users/u"))
                .isEqualTo(Path.of("/c/Users/u/AppData/Local/DMDD Inspector/Cache"));
        assertThat(UserDataDirs.cacheDir("Windows 10", Map.of(), null, "/c/Users/u"))
                .as("without LOCALAPPDATA").isEqualTo(Path.of("/c/Users/u/AppData/Local/DMDD Inspector/Cache"));
    }

    @Test
    void theOverrideHoldsEverything() {
        for (String os : new String[] {"Linux", "Mac OS X", "Windows 11"}) {
            assertThat(UserDataDirs.configDir(os, Map.of("XDG_CONFIG_HOME", "/cfg"), "/p/data", "/home/u"))
                    .as(os).isEqualTo(Path.of("/p/data/config"));
            assertThat(UserDataDirs.cacheDir(os, Map.of("XDG_CACHE_HOME", "/c"), "/p/data", "/home/u"))
                    .as(os).isEqualTo(Path.of("/p/data/cache"));
        }
    }

    @Test
    void findsTheInstallationFromTheLauncher() {
        assertThat(UserDataDirs.installationDir(null, "Linux")).isEmpty();
        assertThat(UserDataDirs.installationDir("/opt/dmdd-inspector/bin/dmdd-inspector", "Linux"))
                .contains(Path.of("/opt/dmdd-inspector"));
        assertThat(UserDataDirs.installationDir("/Program Files/DMDD Inspector/DMDD Inspector.exe", "Windows 11"))
                .contains(Path.of("/Program Files/DMDD Inspector"));
        assertThat(UserDataDirs.installationDir("/Applications/DMDD Inspector.app/Contents/MacOS/DMDD Inspector",
                "Mac OS X")).contains(Path.of("/Applications/DMDD Inspector.app"));
    }

    @Test
    void neverInsideTheInstallation() {
        Optional<Path> install = Optional.of(Path.of("/opt/dmdd-inspector"));
        Path home = UserDataDirs.dataDir("Linux", Map.of(), null, "/home/u");
        assertThat(UserDataDirs.outsideInstallation(home, install)).isEqualTo(home);
        assertThat(UserDataDirs.outsideInstallation(Path.of("/opt/dmdd-inspector-data"), install))
                .as("a sibling whose name starts the same is outside").isEqualTo(Path.of("/opt/dmdd-inspector-data"));
        assertThat(UserDataDirs.outsideInstallation(Path.of("/opt/dmdd-inspector/lib/data"), Optional.empty()))
                .as("run from a jar: nothing to compare with").isEqualTo(Path.of("/opt/dmdd-inspector/lib/data"));
        assertThatThrownBy(() -> UserDataDirs.outsideInstallation(
                Path.of("/opt/dmdd-inspector/lib/../data"), install))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/opt/dmdd-inspector/lib/../data")
                .hasMessageContaining("inside the installation folder /opt/dmdd-inspector")
                .hasMessageContaining("-Ddmdd.data.dir=");
    }

    @Test
    void theRunningJvmGetsFoldersUnderTheOverride() {
        String before = System.getProperty(UserDataDirs.OVERRIDE_PROPERTY);
        try {
            System.setProperty(UserDataDirs.OVERRIDE_PROPERTY, "/tmp/dmdd-data-test");
            assertThat(UserDataDirs.dataDir()).isEqualTo(Path.of("/tmp/dmdd-data-test"));
            assertThat(UserDataDirs.weightsDir()).isEqualTo(Path.of("/tmp/dmdd-data-test/weights"));
            assertThat(UserDataDirs.projectsDir()).isEqualTo(Path.of("/tmp/dmdd-data-test/projects"));
            assertThat(UserDataDirs.configDir()).isEqualTo(Path.of("/tmp/dmdd-data-test/config"));
            assertThat(UserDataDirs.cacheDir()).isEqualTo(Path.of("/tmp/dmdd-data-test/cache"));
        } finally {
            if (before == null) {
                System.clearProperty(UserDataDirs.OVERRIDE_PROPERTY);
            } else {
                System.setProperty(UserDataDirs.OVERRIDE_PROPERTY, before);
            }
        }
    }

    @Test
    void homeFollowsTheEnvironmentOnUnix() {
        org.assertj.core.api.Assertions.assertThat(UserDataDirs.userHome("Linux", java.util.Map.of("HOME", "/tmp/h"),
                "/home/account")).isEqualTo("/tmp/h");
        org.assertj.core.api.Assertions.assertThat(UserDataDirs.userHome("Linux", java.util.Map.of(), "/home/account"))
                .isEqualTo("/home/account");
        org.assertj.core.api.Assertions.assertThat(UserDataDirs.userHome("Windows 11",
                java.util.Map.of("HOME", "C:/cygwin"), "C:/Users/a")).isEqualTo("C:/Users/a");
    }
}
