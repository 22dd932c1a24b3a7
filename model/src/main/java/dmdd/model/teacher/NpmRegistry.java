package dmdd.model.teacher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Finds the npm registry to download the nsfwjs tarball from. No registry address is built in:
 * it comes from the system property {@value #PROPERTY}, the environment variable {@value #ENV},
 * or the registry the local {@code npm} program is configured with, in that order.
 */
final class NpmRegistry {
    /** System property naming the registry URL. */
    static final String PROPERTY = "dmdd.npm.registry";
    /** Environment variable naming the registry URL. */
    static final String ENV = "DMDD_NPM_REGISTRY";

    private NpmRegistry() {
    }

    /**
     * @param packageName npm package
     * @param version     its version
     * @return the tarball's URL on the configured registry
     * @throws TeacherWeightsException when no registry is known, saying how to supply the tarball
     */
    static URI tarballUri(String packageName, String version) throws TeacherWeightsException {
        String registry = System.getProperty(PROPERTY);
        if (registry == null || registry.isBlank()) {
            registry = System.getenv(ENV);
        }
        if (registry == null || registry.isBlank()) {
            registry = askNpm();
        }
        if (registry == null || registry.isBlank()) {
            throw new TeacherWeightsException("cannot download " + packageName + "-" + version + ".tgz: no npm"
                    + " registry is known (npm is not installed and neither -D" + PROPERTY + " nor " + ENV
                    + " is set). Either set one of them to the registry URL, or download the tarball on another"
                    + " machine (npm pack " + packageName + "@" + version + ") and start with -D"
                    + TeacherWeights.TARBALL_PROPERTY + "=<path to " + packageName + "-" + version + ".tgz>.");
        }
        String base = registry.trim();
        if (!base.endsWith("/")) {
            base += "/";
        }
        try {
            return URI.create(base + packageName + "/-/" + packageName + "-" + version + ".tgz");
        } catch (IllegalArgumentException e) {
            throw new TeacherWeightsException("the npm registry URL '" + registry + "' is not a valid URL", e);
        }
    }

    /** @return the registry {@code npm config get registry} prints, or {@code null} */
    private static String askNpm() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        ProcessBuilder builder = new ProcessBuilder(windows ? "npm.cmd" : "npm", "config", "get", "registry")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 && out.startsWith("http") ? out : null;
        } catch (IOException e) {
            return null; // npm is not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
