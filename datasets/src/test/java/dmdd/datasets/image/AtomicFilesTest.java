package dmdd.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplacesAFileCreatingItsFolders() throws IOException {
        Path file = dir.resolve("a/b/settings.json");

        AtomicFiles.writeString(file, "first");
        AtomicFiles.writeString(file, "second");

        assertThat(file).hasContent("second");
        assertThat(filesIn(file.getParent())).containsExactly("settings.json");
    }

    @Test
    void aWriteTakesAwayWhatKilledWritesOfTheSameFileLeftButNotARunningOnesFile() throws IOException {
        // a killed export left a hidden .part of its zip each time, in a folder nothing cleans
        Path stale = Files.writeString(dir.resolve(".tmp-m.zip.es51wc4z3lda.part"), "half a zip");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - AtomicFiles.STALE.toMillis() - 60_000));
        Path running = Files.writeString(dir.resolve(".tmp-m.zip.abc123.part"), "being written");
        Path otherTarget = Files.writeString(dir.resolve(".tmp-n.zip.es51wc4z3lda.part"), "another file's");
        Files.setLastModifiedTime(otherTarget, Files.getLastModifiedTime(stale));

        AtomicFiles.writeString(dir.resolve("m.zip"), "a whole zip");

        assertThat(stale).doesNotExist();
        assertThat(running).exists();
        assertThat(otherTarget).exists();
        assertThat(dir.resolve("m.zip")).hasContent("a whole zip");
    }

    @Test
    void aNameAsLongAsTheFileSystemAllowsIsWrittenToo() throws IOException {
        // 255 bytes, the most ext4 and most others allow: the temporary file's name must not be longer
        Path file = dir.resolve("x".repeat(251) + ".png");

        AtomicFiles.writeString(file, "content");

        assertThat(file).hasContent("content");
        assertThat(filesIn(dir)).containsExactly(file.getFileName().toString());
    }

    @Test
    void namesAreCutToAByteBudgetWithoutSplittingACharacter() {
        assertThat(FileNames.withinBytes("part-9", 200)).isEqualTo("part-9");
        assertThat(FileNames.withinBytes("abcdef", 4)).isEqualTo("abcd");
        // three bytes each in UTF-8
        assertThat(FileNames.withinBytes("\u90e8\u54c1\u753b\u50cf", 8)).isEqualTo("\u90e8\u54c1");
        // a character outside the basic plane: four bytes, two Java chars, kept whole or not at all
        assertThat(FileNames.withinBytes("a\ud83d\udd27b", 4)).isEqualTo("a");
        assertThat(FileNames.withinBytes("a\ud83d\udd27b", 5)).isEqualTo("a\ud83d\udd27");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("checkpoint.bin");
        AtomicFiles.writeString(file, "good old content");

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half of the new cont".getBytes(StandardCharsets.UTF_8));
            throw new IOException("I/O error writing PNG file!", new IOException("No space left on device"));
        })).hasMessage("cannot write " + file + ": I/O error writing PNG file!: No space left on device (the "
                + "previous file, if any, is unchanged)");

        assertThat(file).hasContent("good old content");
        assertThat(filesIn(dir)).containsExactly("checkpoint.bin");
    }

    @Test
    void savedFilesGetTheUsualPermissionsNotOwnerOnly() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path atomic = dir.resolve("atomic.txt");

        AtomicFiles.writeString(atomic, "x");

        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aWriterThatClosesTheStreamStillSavesEverything() throws IOException {
        Path file = dir.resolve("closed.txt");
        byte[] big = new byte[200_000];
        java.util.Arrays.fill(big, (byte) 'x');

        AtomicFiles.write(file, out -> {
            out.write(big);
            out.close(); // as Jackson's ObjectMapper.writeValue(OutputStream, ...) does
        });

        assertThat(Files.size(file)).isEqualTo(big.length);
    }

    @Test
    void pngWriterGoesThroughTheSameAtomicPath() throws IOException {
        Path file = dir.resolve("img.png");
        ImageWriter.writePng(RgbImage.of(2, 2, new float[12]), file);

        assertThat(new ImageReader(16).read(file).width()).isEqualTo(2);
        assertThat(filesIn(dir)).containsExactly("img.png");
    }

    private static java.util.List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
