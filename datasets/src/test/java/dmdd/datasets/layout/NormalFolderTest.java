package dmdd.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dmdd.datasets.image.ImageReader;
import dmdd.datasets.image.ImageWriter;
import dmdd.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalFolderTest {
    @TempDir
    Path dir;

    @Test
    void anImportGoesOnPastBadFilesAndReportsEachWithItsReason() throws IOException {
        ImageWriter.writePng(RgbImage.of(4, 4, new float[48]), dir.resolve("a.png"));
        Files.write(dir.resolve("b.png"), new byte[0]);
        ImageWriter.writePng(RgbImage.of(4, 4, new float[48]), dir.resolve("c.png"));
        byte[] whole = Files.readAllBytes(dir.resolve("c.png"));
        Files.write(dir.resolve("d.png"), Arrays.copyOf(whole, whole.length - 20));
        Files.writeString(dir.resolve("e.jpg"), "hello");
        Files.createDirectories(dir.resolve("day2"));
        ImageWriter.writePng(RgbImage.of(4, 4, new float[48]), dir.resolve("day2/f.png"));
        Files.writeString(dir.resolve("readme.txt"), "normal images");
        Files.writeString(dir.resolve(".DS_Store"), "x");

        ImportReport<LoadedImage> report = NormalFolder.open(dir).load(new ImageReader(64));
        ImportReport<LoadedImage> flat = NormalFolder.open(dir, false).load(new ImageReader(64));

        assertThat(report.loaded()).extracting(LoadedImage::file)
                .containsExactly(dir.resolve("a.png"), dir.resolve("c.png"), dir.resolve("day2/f.png"));
        assertThat(report.skipped()).extracting(ImportReport.Skipped::file).containsExactly(
                dir.resolve("b.png"), dir.resolve("d.png"), dir.resolve("e.jpg"), dir.resolve("readme.txt"));
        assertThat(report.skipped()).extracting(ImportReport.Skipped::reason).satisfiesExactly(
                r -> assertThat(r).contains("empty"),
                r -> assertThat(r).contains("truncated"),
                r -> assertThat(r).contains("text file"),
                r -> assertThat(r).contains("not an image file"));
        assertThat(flat.loaded()).extracting(LoadedImage::file).containsExactly(dir.resolve("a.png"), dir.resolve("c.png"));
    }

    @Test
    void anMvtecCategoryIsNotTakenForAFolderOfNormalImages() throws IOException {
        Files.createDirectories(dir.resolve("bottle/train/good"));
        Files.createDirectories(dir.resolve("bottle/test/broken"));

        assertThatThrownBy(() -> NormalFolder.open(dir.resolve("bottle")))
                .isInstanceOf(InvalidLayoutException.class)
                .hasMessageContaining("MVTec AD category")
                .hasMessageContaining(dir.resolve("bottle/train/good").toString());
        assertThat(NormalFolder.open(dir.resolve("bottle/train/good")).files()).isEmpty();
    }

    @Test
    void aMissingFolderIsALayoutError() {
        assertThatThrownBy(() -> NormalFolder.open(dir.resolve("gone")))
                .isInstanceOf(InvalidLayoutException.class).hasMessageContaining("gone").hasMessageContaining("does not exist");
    }
}
