package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dmdd.app.testing.TinyModel;
import dmdd.model.train.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C or SIGTERM during {@code train} or {@code infer} (in a process of its own, as a person runs it): the run
 * stops, saves a checkpoint or the results so far and says how to go on, instead of ending without a word.
 */
class StopOnShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermDuringTrainingSavesACheckpointAndSaysHowToGoOn() throws Exception {
        TinyModel tiny = TinyModel.get();
        Path model = tmp.resolve("model");
        Path err = tmp.resolve("err.txt");
        // no periodic checkpoint: the only one can come from the stop
        List<String> command = dmdd("train", "--data",
                tiny.category().getParent().toString(), "--category", tiny.category().getFileName().toString(),
                "--out", model.toString(), "--steps", "4000", "--batch", "2", "--image-size", "32",
                "--set", "threads=1", "--set", "checkpointInterval=100000");
        Process train = new ProcessBuilder(command).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(err, StandardCharsets.UTF_8).contains("/4000") && train.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(train.isAlive()).as(Files.readString(err, StandardCharsets.UTF_8)).isTrue();
        train.destroy(); // SIGTERM
        assertThat(train.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String said = Files.readString(err, StandardCharsets.UTF_8);
        Matcher stopped = Pattern.compile("stopped at step (\\d+) of 4000; the checkpoint in .* is saved: run the "
                + "same command with --resume to go on").matcher(said);
        assertThat(stopped.find()).as(said).isTrue();
        assertThat(model.resolve("model.json")).doesNotExist();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertThat(Checkpoint.read(model.resolve(Checkpoint.FILE_NAME), m).completedSteps())
                    .isEqualTo(Integer.parseInt(stopped.group(1))).isPositive();
        }

        // The same command again, without --resume, would start over and overwrite the checkpoint: refused.
        byte[] checkpoint = Files.readAllBytes(model.resolve(Checkpoint.FILE_NAME));
        String[] again = command.subList(command.indexOf("train"), command.size()).toArray(String[]::new);
        CliRun refused = CliRun.of(again);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("holds the checkpoint of a run that has not finished")
                .contains("--resume continues it, --restart starts over");
        assertThat(Files.readAllBytes(model.resolve(Checkpoint.FILE_NAME))).isEqualTo(checkpoint);
        List<String> both = new java.util.ArrayList<>(List.of(again));
        both.addAll(List.of("--resume", "--restart"));
        assertThat(CliRun.of(both.toArray(String[]::new)).err()).contains("contradict");
        // Starting over is one option away.
        List<String> restart = new java.util.ArrayList<>(List.of(again));
        restart.set(restart.indexOf("4000"), "2");
        restart.add("--restart");
        CliRun restarted = CliRun.of(restart.toArray(String[]::new));
        assertThat(restarted.code()).as(restarted.err()).isZero();
        assertThat(model.resolve("model.json")).isRegularFile();
    }

    @Test
    void sigtermDuringInferKeepsTheResultsOfTheImagesDone() throws Exception {
        TinyModel tiny = TinyModel.get();
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path good = tiny.category().resolve("test/good/000.png");
        int count = 3000; // far more than the child inspects before the signal
        for (int i = 0; i < count; i++) {
            Files.copy(good, images.resolve(String.format("%04d.png", i)));
        }
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("infer-err.txt");
        Process infer = new ProcessBuilder(dmdd("infer", "--model", tiny.model().toString(), "--images",
                images.toString(), "--out", out.toString())).redirectOutput(tmp.resolve("infer-out.txt").toFile())
                .redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (fusedMaps(out) < 5 && infer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(infer.isAlive()).as(Files.readString(err, StandardCharsets.UTF_8)).isTrue();
        infer.destroy(); // SIGTERM
        assertThat(infer.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String said = Files.readString(err, StandardCharsets.UTF_8);
        Matcher stopped = Pattern.compile("stopped after (\\d+) of " + count + " images; their results are in .*"
                + "results.csv").matcher(said);
        assertThat(stopped.find()).as(said).isTrue();
        List<String> rows = Files.readAllLines(out.resolve("results.csv")).stream().skip(1).toList();
        assertThat(rows).hasSize(Integer.parseInt(stopped.group(1))).hasSizeLessThan(count).isNotEmpty()
                .allSatisfy(row -> assertThat(out.resolve(row.split(",", -1)[7])).exists());
    }

    private static long fusedMaps(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (var files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".fused.png")).count();
        }
    }

    /** A command line of the program in a JVM of its own, as a person starts it. */
    private static List<String> dmdd(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Ddmdd.relaunch=false", "-Dai.djl.offline=true", "-DPYTORCH_FLAVOR=cpu", "-Djava.awt.headless=true"));
        if (System.getProperty("dmdd.fixtures") != null) {
            command.add("-Ddmdd.fixtures=" + System.getProperty("dmdd.fixtures"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dmdd.app.Main"));
        command.addAll(List.of(args));
        return command;
    }
}
