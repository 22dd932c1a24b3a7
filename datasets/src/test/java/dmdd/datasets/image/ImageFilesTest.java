package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    @Test
    void recognisesImageExtensionsInAnyCase() {
        assertThat(ImageFiles.isImageFile(Path.of("a/b.PNG"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.jpeg"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.JPG"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.tif"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.bmp"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.gif"))).isTrue();
        assertThat(ImageFiles.isImageFile(Path.of("x.txt"))).isFalse();
        assertThat(ImageFiles.isImageFile(Path.of("png"))).isFalse();
        assertThat(ImageFiles.isImageFile(Path.of("._x.png"))).as("macOS resource fork").isFalse();
        assertThat(ImageFiles.isImageFile(Path.of(".tmp-x.png.123.part"))).isFalse();
    }

    @Test
    void listsSortedAndOptionallyRecursively() throws IOException {
        Files.createFile(dir.resolve("b.png"));
        Files.createFile(dir.resolve("a.jpg"));
        Files.createFile(dir.resolve("notes.txt"));
        Files.createDirectories(dir.resolve("sub"));
        Files.createFile(dir.resolve("sub/c.png"));
        Files.createDirectories(dir.resolve(".thumbs"));
        Files.createFile(dir.resolve(".thumbs/d.png"));

        assertThat(ImageFiles.list(dir)).containsExactly(dir.resolve("a.jpg"), dir.resolve("b.png"));
        assertThat(ImageFiles.listRecursively(dir))
                .containsExactly(dir.resolve("a.jpg"), dir.resolve("b.png"), dir.resolve("sub/c.png"));
    }

    @Test
    void resultsThisProgramWroteAreNeverInputsAndBrokenLinksAreListedToBeReported() throws IOException {
        Files.createFile(dir.resolve("a.png"));
        Path inspected = Files.createDirectories(dir.resolve("inspected"));
        Files.createFile(inspected.resolve(ImageFiles.RESULTS_MARKER));
        Files.createFile(inspected.resolve("a.fused.png"));
        Files.createDirectories(inspected.resolve("maps"));
        Files.createFile(inspected.resolve("maps/a.overlay.png"));
        Path broken = Files.createSymbolicLink(dir.resolve("gone.png"), dir.resolve("missing.png"));
        Files.createSymbolicLink(dir.resolve("loop"), dir); // a link back up: not followed

        assertThat(ImageFiles.listRecursively(dir)).as("the heatmaps an infer wrote into a sub-folder")
                .containsExactly(dir.resolve("a.png"), broken);
        assertThat(ImageFiles.list(dir)).containsExactly(dir.resolve("a.png"), broken);
        assertThatThrownBy(() -> new ImageReader(64).read(broken)).hasMessageContaining("gone.png");
        // a folder named through a link is listed, under the link's name
        Path named = Files.createSymbolicLink(dir.resolveSibling(dir.getFileName() + "-link"), dir);
        try {
            assertThat(ImageFiles.listRecursively(named)).containsExactly(named.resolve("a.png"), named.resolve("gone.png"));
        } finally {
            Files.delete(named);
        }
    }

    @Test
    void aLinkedFolderIsReadUnderTheLinksNameAndALinkBackUpIsNamedNotFollowed() throws IOException {
        // MVTec sets are often assembled from links: test/hole -> a folder elsewhere was left out without a word
        Path elsewhere = Files.createDirectories(dir.resolve("shared/hole"));
        Files.createFile(elsewhere.resolve("000.png"));
        Files.createFile(elsewhere.resolve("notes.webp"));
        Path test = Files.createDirectories(dir.resolve("data/test"));
        Files.createDirectories(test.resolve("good"));
        Files.createFile(test.resolve("good/000.png"));
        Files.createSymbolicLink(test.resolve("hole"), elsewhere);
        Path up = Files.createSymbolicLink(test.resolve("good/up"), test);
        // a link to a folder above the one listed: it listed the whole category (or, linked to /, the disk)
        Files.createFile(dir.resolve("data/above.png"));
        Path above = Files.createSymbolicLink(test.resolve("all"), test.getParent());
        // a link to a folder the walk lists anyway: its images were counted twice, under both names
        Path twice = Files.createSymbolicLink(test.resolve("good2"), test.resolve("good"));
        // a link into a hidden folder is the only way to its images: followed
        Path hidden = Files.createDirectories(test.resolve(".store/crack"));
        Files.createFile(hidden.resolve("000.png"));
        Files.createSymbolicLink(test.resolve("crack"), hidden);

        assertThat(ImageFiles.listRecursively(test)).containsExactly(test.resolve("crack/000.png"),
                test.resolve("good/000.png"), test.resolve("hole/000.png"));
        assertThat(ImageFiles.otherFiles(test, true)).containsExactly(test.resolve("hole/notes.webp"));
        assertThat(ImageFiles.otherFiles(test, false)).isEmpty();
        assertThat(ImageFiles.listing(test).linksNotFollowed()).containsExactly(
                new FolderWalk.NotFollowed(above, "a link back into a folder above it"),
                new FolderWalk.NotFollowed(up, "a link back into a folder above it"),
                new FolderWalk.NotFollowed(twice, "a link to a folder read as good"));
    }

    @Test
    void namesThatLostBytesToTheCharacterSetAreToldApart() throws Exception {
        // two Latin-1 names, invalid in UTF-8 and outside ASCII: both were "caf\uFFFD.png" in results.csv
        Process copy = new ProcessBuilder("sh", "-c", "mkdir 'sub folder' && : > \"sub folder/$(printf 'caf\\351.png')\" && "
                + ": > \"sub folder/$(printf 'caf\\350.png')\" && : > 'sub folder/plain name.png'")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        // a file system that refuses names invalid in UTF-8 (macOS) cannot hold such a file at all
        org.junit.jupiter.api.Assumptions.assumeTrue(copy.waitFor() == 0, "names invalid in UTF-8 are refused here");
        List<String> names = new java.util.ArrayList<>();
        for (Path f : ImageFiles.listRecursively(dir)) {
            names.add(ImageFiles.nameIn(dir, f));
        }
        // only the part that lost bytes is escaped: the folder keeps its name for every file in it
        assertThat(names).containsExactlyInAnyOrder("sub folder/caf%E8.png", "sub folder/caf%E9.png",
                "sub folder/plain name.png");
    }
}
