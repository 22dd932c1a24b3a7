package dmdd.model.paths;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user folder where DMDD Inspector keeps projects, cached weights and settings. It is
 * never the installation folder (which may be read-only). The location follows each operating
 * system's convention:
 * <ul>
 *   <li>Linux and other Unix: {@code $XDG_DATA_HOME/dmdd-inspector}, by default
 *       {@code ~/.local/share/dmdd-inspector}</li>
 *   <li>macOS: {@code ~/Library/Application Support/DMDD Inspector}</li>
 *   <li>Windows: {@code %APPDATA%\DMDD Inspector}</li>
 * </ul>
 * The system property {@value #OVERRIDE_PROPERTY} replaces the whole location (tests, portable
 * installs).
 */
public final class UserDataDirs {
    /** System property that, when set, is used as the data folder as it is. */
    public static final String OVERRIDE_PROPERTY = "dmdd.data.dir";

    private UserDataDirs() {
    }

    /**
     * The user data folder for this user and operating system. The folder is not created here.
     *
     * @return the data folder
     */
    public static Path dataDir() {
        return dataDir(System.getProperty("os.name", ""), System.getenv(), System.getProperties()
                .getProperty(OVERRIDE_PROPERTY), System.getProperty("user.home", "."));
    }

    /**
     * The folder for downloaded and converted network weights ({@code <data>/weights}).
     *
     * @return the weights cache folder (not created here)
     */
    public static Path weightsDir() {
        return dataDir().resolve("weights");
    }

    /**
     * The rule behind {@link #dataDir()}, with every input explicit so it can be checked for each
     * operating system on any machine.
     *
     * @param osName   the {@code os.name} system property
     * @param env      the environment variables
     * @param override the value of {@value #OVERRIDE_PROPERTY}, or {@code null}
     * @param userHome the user's home folder
     * @return the data folder
     */
    static Path dataDir(String osName, Map<String, String> env, String override, String userHome) {
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        Path home = Path.of(userHome);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank()
                    ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
            return base.resolve("DMDD Inspector");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Application Support").resolve("DMDD Inspector");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return base.resolve("dmdd-inspector");
    }
}
