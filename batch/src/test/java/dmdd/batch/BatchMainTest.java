package dmdd.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: help, exit codes and one-line errors that name the option and the file. */
class BatchMainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = BatchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpNamesTheInputsTheOutputAndTheMaster() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--model=ZIP", "--images=PATH", "--image-list=FILE", "--out=DIR",
                "--master=URL", "Exit codes");
    }

    @Test
    void withoutInputsOrMasterItSaysWhatIsMissing() {
        assertThat(run("--model", "m.zip", "--out", "o")).isEqualTo(2);
        assertThat(err.toString()).contains("--images", "--image-list");

        err.getBuffer().setLength(0);
        assertThat(System.getProperty("spark.master")).isNull();
        assertThat(run("--model", "m.zip", "--images", "x", "--out", "o")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: no Spark master: pass --master 'local[*]'");
    }

    @Test
    void aMissingModelZipIsOneLineNamingItWithExitCode2() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path zip = dir.resolve("missing.zip");
        assertThat(run("--master", "local[1]", "--model", zip.toString(), "--images", images.toString(), "--out",
                dir.resolve("out").toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("error: --model " + zip + ": no such file");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
