package dmdd.app.gui.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.datasets.image.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each workstation export gets a new, marked folder whose name any file system takes. */
class ExportFolderTest {
    private static final LocalDateTime NOON = LocalDateTime.of(2026, 12, 6, 12, 0, 0);

    @Test
    void aLongProjectNameIsShortenedToAFolderNameTheSystemTakes(@TempDir Path chosen) throws IOException {
        // 80 CJK characters are 240 bytes in UTF-8: with " results <time>" over the 255 a folder name may have
        Path made = ExportFolder.create(chosen, "\u4e2d".repeat(80), NOON);
        assertThat(made).isDirectory();
        assertThat(made.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(made.getFileName().toString()).startsWith("\u4e2d").endsWith(" results 2026-12-06 120000");
        assertThat(ImageFiles.isResultsFolder(made)).isTrue();
    }

    @Test
    void exportsInOneSecondGetFoldersOfTheirOwnAndAnEmptyOneGoesAgain(@TempDir Path chosen) throws IOException {
        Path first = ExportFolder.create(chosen, "line 4: parts/a", NOON);
        Path second = ExportFolder.create(chosen, "line 4: parts/a", NOON);
        assertThat(first.getFileName().toString()).isEqualTo("line 4_ parts_a results 2026-12-06 120000");
        assertThat(second.getFileName().toString()).isEqualTo("line 4_ parts_a results 2026-12-06 120000 (2)");
        Files.writeString(second.resolve("results.csv"), "file,score\n");
        ExportFolder.removeIfEmpty(first);
        ExportFolder.removeIfEmpty(second);
        assertThat(first).doesNotExist();
        assertThat(second.resolve("results.csv")).exists();
    }
}
