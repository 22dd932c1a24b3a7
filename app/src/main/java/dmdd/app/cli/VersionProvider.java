package dmdd.app.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the application version from the jar manifest, plus Java and DJL versions. */
public final class VersionProvider implements IVersionProvider {

    /** @return the version, or "development build" when running from classes (tests, IDE) */
    public static String applicationVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "DMDD Inspector " + applicationVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "DJL " + Engine.getDjlVersion()
        };
    }
}
