package dmdd.model.teacher;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real test files fetched by {@code scripts/fetch-test-fixtures}, found through {@code dmdd.fixtures}. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        String root = System.getProperty("dmdd.fixtures");
        assertThat(root).as("system property dmdd.fixtures (set by surefire)").isNotBlank();
        return Path.of(root);
    }

    static Path nsfwjsTarball() {
        Path tarball = root().resolve("npm").resolve(NsfwjsConverter.tarballFileName());
        assertThat(Files.isRegularFile(tarball)).as("%s exists (run scripts/fetch-test-fixtures)", tarball).isTrue();
        return tarball;
    }

    static Path skimagePhoto(String name) {
        Path photo = root().resolve("deb/usr/lib/python3/dist-packages/skimage/data").resolve(name);
        assertThat(Files.isRegularFile(photo)).as("%s exists (run scripts/fetch-test-fixtures)", photo).isTrue();
        return photo;
    }
}
