package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliInputsTest {
    @TempDir
    Path out;

    @Test
    void theNoResultMessageAgreesInNumber() {
        assertThat(CliInputs.noResult(1, 1)).isEqualTo("1 of 1 image has no result");
        assertThat(CliInputs.noResult(1, 2)).isEqualTo("1 of 2 images has no result");
        assertThat(CliInputs.noResult(2, 3)).isEqualTo("2 of 3 images have no result");
    }

    /** What a run of infer or export writes. */
    private void run(String... names) throws IOException {
        CliInputs.claimOutputFolder(out);
        long started = CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
        for (String name : names) {
            Files.createDirectories(out.resolve(name).getParent());
            Files.writeString(out.resolve(name), "result");
        }
        CliInputs.recordRun(out, started);
    }

    @Test
    void aLaterRunRemovesWhatTheEarlierOneWroteAndNothingAPersonPutThere() throws IOException {
        run("results.csv", "a.fused.png", "a.overlay.png", "maps/good/a.fused.png");
        // a person's own files, named like results, put there after the run
        Files.writeString(out.resolve("holiday.overlay.png"), "mine");
        Files.writeString(out.resolve("maps/good/my-annotated-photo.png"), "mine");
        Files.writeString(out.resolve("report.html"), "mine");

        run("results.csv", "b.fused.png");

        assertThat(out.resolve("a.fused.png")).as("the earlier run's map of an image no longer inspected").doesNotExist();
        assertThat(out.resolve("maps/good/a.fused.png")).doesNotExist();
        assertThat(out.resolve("holiday.overlay.png")).hasContent("mine");
        assertThat(out.resolve("maps/good/my-annotated-photo.png")).hasContent("mine");
        assertThat(out.resolve("report.html")).hasContent("mine");
        assertThat(out.resolve("b.fused.png")).exists();
    }

    @Test
    void aKilledRunsResultsGoAndOlderFilesStay() throws IOException {
        run("results.csv");
        Path older = Files.writeString(out.resolve("kept.overlay.png"), "mine");
        Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        CliInputs.claimOutputFolder(out);
        CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
        Files.writeString(out.resolve("half.fused.png"), "written before the kill"); // no record follows

        run("results.csv");

        assertThat(out.resolve("half.fused.png")).doesNotExist();
        assertThat(older).hasContent("mine");
    }
}
