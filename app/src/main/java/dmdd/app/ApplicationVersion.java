package dmdd.app;

/** The application's version, for the command line's {@code --version} and the model archives of both front ends. */
public final class ApplicationVersion {
    private ApplicationVersion() {
    }

    /** @return the version from the jar manifest, or "development build" when running from classes (tests, IDE) */
    public static String get() {
        String v = ApplicationVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
