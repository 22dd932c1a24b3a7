package dmdd.model.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images marked OK join the normal set as copies; each image has its own copy. */
class ReviewedNormalsTest {

    @Test
    void imagesWhoseFolderAndNameJoinAlikeKeepCopiesOfTheirOwn(@TempDir Path tmp) throws Exception {
        Project project = ProjectStore.create(tmp.resolve("p"), "p");
        Path first = write(project.folder().resolve("inspect/a_b/c.png"), "first");
        Path second = write(project.folder().resolve("inspect/a/b_c.png"), "second");
        Path firstCopy = ReviewedNormals.add(project, first);
        Path secondCopy = ReviewedNormals.add(project, second);
        assertThat(firstCopy).isNotEqualTo(secondCopy).hasContent("first");
        assertThat(secondCopy).hasContent("second");
        assertThat(firstCopy.getFileName().toString()).startsWith("reviewed_a_b_c-").endsWith(".png");

        // The second marked defective again: only its copy goes.
        assertThat(ReviewedNormals.remove(project, second)).isTrue();
        assertThat(secondCopy).doesNotExist();
        assertThat(firstCopy).hasContent("first");

        // Replaced under its name and marked OK again: the copy holds the new picture.
        Files.writeString(first, "first, retaken");
        assertThat(ReviewedNormals.add(project, first)).isEqualTo(firstCopy).hasContent("first, retaken");
    }

    @Test
    void aCopyUnderTheEarlierNameCountsOnlyWhenItHoldsTheSameImage(@TempDir Path tmp) throws Exception {
        Project project = ProjectStore.create(tmp.resolve("p"), "p");
        Path first = write(project.folder().resolve("inspect/a_b/c.png"), "first");
        Path second = write(project.folder().resolve("inspect/a/b_c.png"), "second");
        // Saved by an earlier version: the first image's copy under the name both images map to.
        Path legacy = write(project.normalDir().resolve("reviewed_a_b_c.png"), "first");
        assertThat(ReviewedNormals.add(project, first)).as("no second copy of the same image").isEqualTo(legacy);
        assertThat(ReviewedNormals.add(project, second)).isNotEqualTo(legacy).hasContent("second");
        assertThat(ReviewedNormals.remove(project, second)).isTrue();
        assertThat(legacy).as("the other image's copy").hasContent("first");
        assertThat(ReviewedNormals.remove(project, first)).isTrue();
        assertThat(legacy).doesNotExist();
    }

    private static Path write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
