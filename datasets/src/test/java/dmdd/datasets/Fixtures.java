package dmdd.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The real-world test files fetched by {@code scripts/fetch-test-fixtures} (system property {@code dmdd.fixtures}). */
public final class Fixtures {
    private Fixtures() {
    }

    /**
     * @param relative a path inside the fixtures folder
     * @return the existing file or folder
     */
    public static Path file(String relative) {
        String dir = System.getProperty("dmdd.fixtures", ".fixtures");
        Path p = Path.of(dir).resolve(relative);
        assertThat(p).as("test fixture %s (run scripts/fetch-test-fixtures)", p).exists();
        return p;
    }

    /**
     * @param name a file name
     * @return that scikit-image sample picture
     */
    public static Path skimage(String name) {
        return file("deb/usr/lib/python3/dist-packages/skimage/data/" + name);
    }

    /** @return the folder of GIMP patterns */
    public static Path gimpPatterns() {
        return file("deb/usr/share/gimp/2.0/patterns");
    }
}
