package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        CliInputs.RunStart started = CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
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
    void aRunThatFailsPartWayLeavesTheEarlierResultsAsTheyWereAndNoneOfItsOwn() throws IOException {
        run("results.csv", "a.fused.png", "maps/good/a.fused.png");
        Files.writeString(out.resolve("results.csv"), "the earlier run's table");
        String record = Files.readString(out.resolve(CliInputs.RUN_MARKER));
        Path mine = Files.writeString(out.resolve("holiday.overlay.png"), "mine");
        Files.setLastModifiedTime(mine, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        // a full disk stops the next run after its first map
        CliInputs.claimOutputFolder(out);
        StringWriter note = new StringWriter();
        CliInputs.RunStart started = CliInputs.clearEarlierRun(out, new PrintWriter(note, true));
        assertThat(note.toString()).contains("they come back if this run fails");
        assertThat(out.resolve("a.fused.png")).doesNotExist();
        Files.writeString(out.resolve("b.fused.png"), "new");
        StringWriter err = new StringWriter();
        java.io.IOException full = new java.io.IOException("No space left on device");
        assertThatThrownBy(() -> CliInputs.undoAfterFailure(out, started, new PrintWriter(err, true), 1, 2, full))
                .isSameAs(full);
        assertThat(err.toString()).contains("failed after 1 of 2 images")
                .contains("the earlier run's results there are back as they were");
        assertThat(out.resolve("results.csv")).hasContent("the earlier run's table");
        assertThat(out.resolve("a.fused.png")).hasContent("result");
        assertThat(out.resolve("maps/good/a.fused.png")).hasContent("result");
        assertThat(out.resolve("b.fused.png")).doesNotExist();
        assertThat(out.resolve("holiday.overlay.png")).hasContent("mine");
        assertThat(out.resolve(CliInputs.RUN_MARKER)).hasContent(record.strip());
        assertThat(out.resolve(CliInputs.ASIDE)).doesNotExist();

        // killed while they were aside: the next run puts them back before it replaces them (and after a success
        // they are gone for good)
        CliInputs.claimOutputFolder(out);
        CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
        Path half = Files.writeString(out.resolve("c.fused.png"), "killed run's"); // no record follows
        long killed = System.currentTimeMillis() + 60_000; // its last heartbeat, a minute into the run
        Files.setLastModifiedTime(half, FileTime.fromMillis(killed - 10));
        Files.setLastModifiedTime(out.resolve(CliInputs.RUN_MARKER), FileTime.fromMillis(killed));
        assertThat(out.resolve(CliInputs.ASIDE)).isDirectory();
        run("results.csv", "d.fused.png");
        assertThat(out.resolve("c.fused.png")).doesNotExist();
        assertThat(out.resolve("a.fused.png")).doesNotExist();
        assertThat(out.resolve("d.fused.png")).exists();
        assertThat(out.resolve("holiday.overlay.png")).hasContent("mine");
        assertThat(out.resolve(CliInputs.ASIDE)).doesNotExist();
    }

    @Test
    void aRunKilledWhileSettingTheEarlierResultsAsideLosesNoneOfThem() throws IOException {
        run("results.csv", "a.fused.png");
        // killed after moving one of the two files aside, before its record (the last move)
        Path aside = Files.createDirectories(out.resolve(CliInputs.ASIDE));
        Files.move(out.resolve("a.fused.png"), aside.resolve("a.fused.png"));

        CliInputs.claimOutputFolder(out);
        StringWriter note = new StringWriter();
        CliInputs.clearEarlierRun(out, new PrintWriter(note, true));
        assertThat(note.toString()).as("both of the earlier run's files, none taken for the killed run's")
                .contains("(2 files;");
        assertThat(aside.resolve("results.csv")).hasContent("result");
        assertThat(aside.resolve("a.fused.png")).hasContent("result");
    }

    @Test
    void aKilledRunsResultsGoAndFilesFromBeforeOrAfterItStay() throws IOException {
        run("results.csv");
        Path older = Files.writeString(out.resolve("kept.overlay.png"), "mine");
        Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        CliInputs.claimOutputFolder(out);
        CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
        Path half = Files.writeString(out.resolve("half.fused.png"), "written before the kill"); // no record follows
        long killed = System.currentTimeMillis() + 60_000; // its last heartbeat, a minute into the run
        Path leftover = Files.writeString(out.resolve(".tmp-half.overlay.png.1.part"), "a write cut short");
        // after the kill, a person adds files named like results
        Path later = Files.writeString(out.resolve("holiday.overlay.png"), "mine");
        Files.setLastModifiedTime(later, FileTime.fromMillis(killed + 30_000));
        Files.setLastModifiedTime(half, FileTime.fromMillis(killed + CliInputs.HEARTBEAT_MILLIS - 10));
        Files.setLastModifiedTime(leftover, FileTime.fromMillis(killed));
        Files.setLastModifiedTime(out.resolve(CliInputs.RUN_MARKER), FileTime.fromMillis(killed));

        run("results.csv");

        assertThat(half).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(older).hasContent("mine");
        assertThat(later).hasContent("mine");
    }

    @Test
    void theRecordIsReadAsWrittenAndNeverReachesOutsideTheFolder(@TempDir Path elsewhere) throws IOException {
        // a name with a line break holds no second line of the record
        run("maps/a\nwrote keep.txt\n.fused.png");
        Path keep = Files.writeString(out.resolve("keep.txt"), "mine");
        run();
        assertThat(keep).hasContent("mine");
        assertThat(out.resolve("maps/a\nwrote keep.txt\n.fused.png")).doesNotExist();

        // a hand-edited record naming a file through a link to another folder
        Path precious = Files.writeString(elsewhere.resolve("precious.png"), "mine");
        Files.createSymbolicLink(out.resolve("maps"), elsewhere);
        Files.writeString(out.resolve(CliInputs.RUN_MARKER), "written by DMDD Inspector\nstarted 1\nended\n"
                + "wrote maps/precious.png\nwrote ../x.png\n");
        run();
        assertThat(precious).hasContent("mine");

        Files.writeString(out.resolve(CliInputs.RUN_MARKER), "written by DMDD Inspector\nstarted 17965x\n");
        Files.setLastModifiedTime(out.resolve(CliInputs.RUN_MARKER), FileTime.fromMillis(1_000));
        assertThatThrownBy(this::run).isInstanceOf(CliException.class).hasMessageContaining("damaged");
    }

    @Test
    void aFolderOfResultsIsNoFolderOfImages() throws IOException {
        run("results.csv", "maps/good/a.fused.png");
        assertThatThrownBy(() -> CliInputs.notResults(out, "--normal")).isInstanceOf(CliException.class)
                .hasMessageContaining("heatmaps");
        assertThatThrownBy(() -> CliInputs.notResults(out.resolve("maps/good"), "--images"))
                .as("a folder inside results").hasMessageContaining("is in results");
    }

    @Test
    void aFolderAnotherRunWritesIntoIsRefusedAndADamagedRecordIsNamed() throws IOException {
        CliInputs.claimOutputFolder(out);
        CliInputs.clearEarlierRun(out, new PrintWriter(new StringWriter()));
        try (CliInputs.Heartbeat alive = new CliInputs.Heartbeat(out)) {
            assertThatThrownBy(() -> CliInputs.claimOutputFolder(out)).isInstanceOf(CliException.class)
                    .hasMessageContaining("another run is writing");
        }
        Files.write(out.resolve(CliInputs.RUN_MARKER), new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'});
        assertThatThrownBy(this::run).isInstanceOf(CliException.class).hasMessageContaining("damaged");
    }

    @Test
    void outputChecksFollowTheFileSystemThroughLinksAndDotDot(@TempDir Path data) throws IOException {
        Path test = Files.createDirectories(data.resolve("brick/test"));
        Path link = Files.createSymbolicLink(out.resolve("tlink"), test);
        for (Path tricky : new Path[] {link.resolve("zz"), out.resolve("missing/../tlink/zz"),
            out.resolve("tlink/../tlink/./zz")}) {
            assertThatThrownBy(() -> CliInputs.outsideOf(tricky, data.resolve("brick"), "--out", "the category",
                    "why")).as("%s", tricky).isInstanceOf(CliException.class);
        }
        CliInputs.outsideOf(out.resolve("missing/../elsewhere"), data.resolve("brick"), "--out", "the category", "why");

        // a run that fails before writing removes every folder it created
        Path nested = out.resolve("na/nb/nc");
        Path firstCreated = CliInputs.firstMissing(nested);
        Path made = CliInputs.outputFolder(nested, "--out");
        CliInputs.claimOutputFolder(made);
        CliInputs.removeIfUnused(made, firstCreated);
        assertThat(out.resolve("na")).doesNotExist();
    }
}
