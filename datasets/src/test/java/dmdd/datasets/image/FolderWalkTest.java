package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWalkTest {
    @TempDir
    Path dir;

    private Path file(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return Files.createFile(path);
    }

    private FolderWalk walk(Path root) throws IOException {
        return FolderWalk.of(root, f -> f.getFileName().toString().startsWith("."));
    }

    @Test
    void aLinkToAFolderInsideAnotherLinkedOneIsReadOnce() throws IOException {
        // r/a -> shared, r/b -> shared/hole: hole's images were listed as a/hole/... and as b/...
        file(dir.resolve("shared/hole/000.png"));
        Path r = Files.createDirectories(dir.resolve("r"));
        Files.createSymbolicLink(r.resolve("a"), dir.resolve("shared"));
        Path b = Files.createSymbolicLink(r.resolve("b"), dir.resolve("shared/hole"));

        FolderWalk walk = walk(r);

        assertThat(walk.files()).containsExactly(r.resolve("a/hole/000.png"));
        assertThat(walk.notFollowed()).containsExactly(FolderWalk.NotFollowed.readAs(b, "a/hole"));
    }

    @Test
    void whichNameReadsAFolderDependsOnPathsNotOnTheListingOrder() throws IOException {
        // b -> shared/hole comes before z -> shared: hole is read as b, and z's hole is not entered again
        file(dir.resolve("shared/hole/000.png"));
        file(dir.resolve("shared/top.png"));
        Path r = Files.createDirectories(dir.resolve("r"));
        Files.createSymbolicLink(r.resolve("b"), dir.resolve("shared/hole"));
        Files.createSymbolicLink(r.resolve("z"), dir.resolve("shared"));

        FolderWalk walk = walk(r);

        assertThat(walk.files()).containsExactly(r.resolve("b/000.png"), r.resolve("z/top.png"));
        assertThat(walk.notFollowed()).containsExactly(FolderWalk.NotFollowed.readAs(r.resolve("z/hole"), "b"));
    }

    @Test
    void twoLinksIntoOneSkippedFolderAreReadOnceAndALinkMetInsideALinkedFolderIsNamedByItsPath()
            throws IOException {
        // a hidden folder is not walked, so a link into it is the way to its images, but only one link
        Path r = Files.createDirectories(dir.resolve("r"));
        file(r.resolve(".store/x/000.png"));
        Files.createSymbolicLink(r.resolve("v1"), r.resolve(".store/x"));
        Path v2 = Files.createSymbolicLink(r.resolve("v2"), r.resolve(".store/x"));
        // r/a -> s/A, s/A/b -> s/B, r/c -> s/B: B is read as a/b, the path a person sees
        file(dir.resolve("s/B/001.png"));
        Files.createDirectories(dir.resolve("s/A"));
        Files.createSymbolicLink(dir.resolve("s/A/b"), dir.resolve("s/B"));
        Files.createSymbolicLink(r.resolve("a"), dir.resolve("s/A"));
        Path c = Files.createSymbolicLink(r.resolve("c"), dir.resolve("s/B"));

        FolderWalk walk = walk(r);

        assertThat(walk.files()).containsExactly(r.resolve("a/b/001.png"), r.resolve("v1/000.png"));
        assertThat(walk.notFollowed()).containsExactly(FolderWalk.NotFollowed.readAs(c, "a/b"),
                FolderWalk.NotFollowed.readAs(v2, "v1"));
        assertThat(walk.notFollowed().get(0).reason()).isEqualTo("a link to a folder read as a/b");
    }
}
