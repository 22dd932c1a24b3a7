package dmdd.app.cli;

import dmdd.app.ApplicationVersion;
import ai.djl.engine.Engine;
import dmdd.model.engine.NativeMemoryEnvironment;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the application version from the jar manifest, plus Java and DJL versions and the native memory
 * settings the process started with. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "DMDD Inspector " + ApplicationVersion.get(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "DJL " + Engine.getDjlVersion(),
            NativeMemoryEnvironment.describe(System.getenv())
        };
    }
}
