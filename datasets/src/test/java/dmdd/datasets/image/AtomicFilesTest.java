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
