package dmdd.model.paths;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-user folders where DMDD Inspector keeps projects, cached weights, settings and caches.
 * They are never inside the installation folder (which may be read-only, and which an upgrade
 * replaces). The locations follow each operating system's convention:
 * <table>
 *   <caption>Folders per operating system</caption>
 *   <tr><th></th><th>data ({@link #dataDir()})</th><th>settings ({@link #configDir()})</th>
 *       <th>cache ({@link #cacheDir()})</th></tr>
 *   <tr><td>Linux and other Unix</td><td>{@code $XDG_DATA_HOME/dmdd-inspector}, by default
 *       {@code ~/.local/share/dmdd-inspector}</td><td>{@code $XDG_CONFIG_HOME/dmdd-inspector}, by default
 *       {@code ~/.config/dmdd-inspector}</td><td>{@code $XDG_CACHE_HOME/dmdd-inspector}, by default
 *       {@code ~/.cache/dmdd-inspector}</td></tr>
 *   <tr><td>macOS</td><td>{@code ~/Library/Application Support/DMDD Inspector}</td>
 *       <td>{@code <data>/config}</td><td>{@code ~/Library/Caches/DMDD Inspector}</td></tr>
 *   <tr><td>Windows</td><td>{@code %APPDATA%\DMDD Inspector}</td><td>{@code <data>\config}</td>
 *       <td>{@code %LOCALAPPDATA%\DMDD Inspector\Cache}</td></tr>
 * </table>
 * The system property {@value #OVERRIDE_PROPERTY} replaces the data folder, and the settings and
 * cache folders become its {@code config} and {@code cache} sub-folders (tests, portable installs).
 * No folder is created here.
 */
public final class UserDataDirs {
    /** System property that, when set, is used as the data folder as it is. */
    public static final String OVERRIDE_PROPERTY = "dmdd.data.dir";
    /** System property the jpackage launcher sets to its own path; tells where the installation is. */
    public static final String LAUNCHER_PROPERTY = "jpackage.app-path";

    private static final String UNIX_NAME = "dmdd-inspector";
    private static final String DISPLAY_NAME = "DMDD Inspector";

    private UserDataDirs() {
    }

    /**
     * The user data folder for this user and operating system. The folder is not created here.
     *
     * @return the data folder
     * @throws IllegalStateException when {@value #OVERRIDE_PROPERTY} points into the installation
     */
    public static Path dataDir() {
        return outsideInstallation(dataDir(osName(), System.getenv(), override(), userHome()), installationDir());
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
     * The default folder for new projects ({@code <data>/projects}).
     *
     * @return the projects folder (not created here)
     */
    public static Path projectsDir() {
        return dataDir().resolve("projects");
    }

    /**
     * The folder for the application's settings (not the settings of a model, which live in its
     * project).
     *
     * @return the settings folder (not created here)
     * @throws IllegalStateException when it would be inside the installation folder
     */
    public static Path configDir() {
        return outsideInstallation(configDir(osName(), System.getenv(), override(), userHome()), installationDir());
    }

    /**
     * The folder for files that can be made again (thumbnails, unpacked native libraries).
     *
     * @return the cache folder (not created here)
     * @throws IllegalStateException when it would be inside the installation folder
     */
    public static Path cacheDir() {
        return outsideInstallation(cacheDir(osName(), System.getenv(), override(), userHome()), installationDir());
    }

    /**
     * The installation folder of the running program, when it was started by its jpackage launcher.
     *
     * @return the installation folder, empty when run from a jar or an IDE
     */
    public static Optional<Path> installationDir() {
        return installationDir(System.getProperty(LAUNCHER_PROPERTY), osName());
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
        Path home = Path.of(userHome);
        switch (os(osName)) {
            case WINDOWS:
                return envFolder(env, "APPDATA", home.resolve("AppData").resolve("Roaming")).resolve(DISPLAY_NAME);
            case MAC:
                return home.resolve("Library").resolve("Application Support").resolve(DISPLAY_NAME);
            default:
                return envFolder(env, "XDG_DATA_HOME", home.resolve(".local").resolve("share")).resolve(UNIX_NAME);
        }
    }

    /**
     * The rule behind {@link #configDir()}; parameters as for {@link #dataDir(String, Map, String, String)}.
     *
     * @param osName   the {@code os.name} system property
     * @param env      the environment variables
     * @param override the value of {@value #OVERRIDE_PROPERTY}, or {@code null}
     * @param userHome the user's home folder
     * @return the settings folder
     */
    static Path configDir(String osName, Map<String, String> env, String override, String userHome) {
        if ((override == null || override.isBlank()) && os(osName) == Os.UNIX) {
            return envFolder(env, "XDG_CONFIG_HOME", Path.of(userHome).resolve(".config")).resolve(UNIX_NAME);
        }
        return dataDir(osName, env, override, userHome).resolve("config");
    }

    /**
     * The rule behind {@link #cacheDir()}; parameters as for {@link #dataDir(String, Map, String, String)}.
     *
     * @param osName   the {@code os.name} system property
     * @param env      the environment variables
     * @param override the value of {@value #OVERRIDE_PROPERTY}, or {@code null}
     * @param userHome the user's home folder
     * @return the cache folder
     */
    static Path cacheDir(String osName, Map<String, String> env, String override, String userHome) {
        if (override != null && !override.isBlank()) {
            return Path.of(override).resolve("cache");
        }
        Path home = Path.of(userHome);
        switch (os(osName)) {
            case WINDOWS:
                return envFolder(env, "LOCALAPPDATA", home.resolve("AppData").resolve("Local"))
                        .resolve(DISPLAY_NAME).resolve("Cache");
            case MAC:
                return home.resolve("Library").resolve("Caches").resolve(DISPLAY_NAME);
            default:
                return envFolder(env, "XDG_CACHE_HOME", home.resolve(".cache")).resolve(UNIX_NAME);
        }
    }

    /**
     * The installation folder from the launcher's path: {@code <install>/bin/<launcher>} on Linux,
     * {@code <install>\<launcher>.exe} on Windows, {@code <name>.app/Contents/MacOS/<launcher>} on macOS.
     *
     * @param launcherPath the value of {@value #LAUNCHER_PROPERTY}, or {@code null}
     * @param osName       the {@code os.name} system property
     * @return the installation folder, empty without a launcher path
     */
    static Optional<Path> installationDir(String launcherPath, String osName) {
        if (launcherPath == null || launcherPath.isBlank()) {
            return Optional.empty();
        }
        Path launcher = Path.of(launcherPath).toAbsolutePath().normalize();
        int levels = switch (os(osName)) {
            case WINDOWS -> 1;
            case MAC -> 3;
            default -> 2;
        };
        Path dir = launcher;
        for (int i = 0; i < levels && dir != null; i++) {
            dir = dir.getParent();
        }
        return Optional.ofNullable(dir);
    }

    /**
     * Refuses a user folder inside the installation: it would be lost on upgrade and is often not
     * writable.
     *
     * @param folder       a user folder
     * @param installation the installation folder, if known
     * @return {@code folder}
     * @throws IllegalStateException naming both folders and the way out
     */
    static Path outsideInstallation(Path folder, Optional<Path> installation) {
        if (installation.isPresent()) {
            Path install = installation.get().toAbsolutePath().normalize();
            if (folder.toAbsolutePath().normalize().startsWith(install)) {
                throw new IllegalStateException("The user data folder " + folder + " is inside the installation folder "
                        + install + ", which an upgrade replaces: set -D" + OVERRIDE_PROPERTY
                        + "=<a folder outside it>");
            }
        }
        return folder;
    }

    private enum Os { WINDOWS, MAC, UNIX }

    private static Os os(String osName) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return Os.WINDOWS;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return Os.MAC;
        }
        return Os.UNIX;
    }

    /**
     * A base folder from an environment variable, or the fallback when it is unset, blank or (as the
     * XDG spec demands for its variables) relative.
     */
    private static Path envFolder(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }

    private static String osName() {
        return System.getProperty("os.name", "");
    }

    private static String override() {
        return System.getProperty(OVERRIDE_PROPERTY);
    }

    private static String userHome() {
        return userHome(osName(), System.getenv(), System.getProperty("user.home", "."));
    }

    /**
     * The home folder: on Unix {@code $HOME} when it is set (as every other program there does; Java's
     * {@code user.home} follows the account's entry and ignores it), elsewhere Java's {@code user.home}.
     *
     * @param osName       the system's name
     * @param env          the environment
     * @param userHomeProp Java's {@code user.home}
     * @return the home folder
     */
    static String userHome(String osName, java.util.Map<String, String> env, String userHomeProp) {
        String home = env.get("HOME");
        boolean windows = osName.toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return !windows && home != null && !home.isBlank() ? home : userHomeProp;
    }
}
