package dmdd.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dmdd.model.engine.NativeMemoryEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program starts once more with the native memory settings, exactly when that helps and is safe. */
class NativeMemoryRelaunchTest {
    private static final List<String> JVM = List.of("-Xmx2g", "-Dx=y");

    private static NativeMemoryRelaunch.Start start(String os, Map<String, String> env, String relaunch,
                                                    String jpackage, List<String> jvm) {
        return new NativeMemoryRelaunch.Start(os, env, relaunch, jpackage, "/opt/jdk", jvm, "/a/dmdd.jar",
                "dmdd.app.Main", List.of("train", "--data", "my folder"), StandardCharsets.UTF_8);
    }

    @Test
    void aJavaStartOnLinuxRunsTheSameJvmOptionsClassPathAndArgumentsAgain() {
        assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of("HOME", "/h"), null, null, JVM)))
                .contains(List.of("/opt/jdk/bin/java", "-Xmx2g", "-Dx=y", "-cp", "/a/dmdd.jar", "dmdd.app.Main",
                        "train", "--data", "my folder"));
    }

    @Test
    void anInstalledLauncherIsStartedAgainWithTheArgumentsOnly() {
        assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of(), null, "/opt/dmdd/bin/DMDD Inspector", JVM)))
                .contains(List.of("/opt/dmdd/bin/DMDD Inspector", "train", "--data", "my folder"));
    }

    @Test
    void theChildGetsTheSettingsAndNotTheMarkThatMakesAJpackageLauncherActAsJava() {
        assertThat(NativeMemoryRelaunch.childEnvironment(Map.of("HOME", "/h", "_JPACKAGE_LAUNCHER", "0"), 42))
                .isEqualTo(Map.of("HOME", "/h", "MALLOC_ARENA_MAX", "1", "THP_MEM_ALLOC_ENABLE", "1",
                        "DMDD_FIRST_PROCESS", "42"));
        // a value the user chose stays
        assertThat(NativeMemoryRelaunch.childEnvironment(Map.of("THP_MEM_ALLOC_ENABLE", "0"), 42))
                .containsEntry("THP_MEM_ALLOC_ENABLE", "0").containsEntry("MALLOC_ARENA_MAX", "1");
    }

    @Test
    void optionsFromTheEnvironmentAreLeftToTheChildsOwnReadingOfIt() {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", " -Dx=y ", "JDK_JAVA_OPTIONS", "-Xss4m");
        assertThat(NativeMemoryRelaunch.command(start("Linux", env, null, null, List.of("-Xss4m", "-Xmx2g", "-Dx=y"))))
                .contains(List.of("/opt/jdk/bin/java", "-Xmx2g", "-cp", "/a/dmdd.jar", "dmdd.app.Main",
                        "train", "--data", "my folder"));
    }

    @Test
    void anArgumentThePlatformEncodingCannotWriteKeepsOneProcess() {
        NativeMemoryRelaunch.Start cLocale = new NativeMemoryRelaunch.Start("Linux", Map.of(), null, null, "/opt/jdk",
                JVM, "/a/dmdd.jar", "dmdd.app.Main", List.of("infer", "--out", "res-\u00fc"), StandardCharsets.US_ASCII);
        assertThat(NativeMemoryRelaunch.command(cLocale)).isEmpty();
        NativeMemoryRelaunch.Start utf8 = new NativeMemoryRelaunch.Start("Linux", Map.of(), null, null, "/opt/jdk",
                JVM, "/a/dmdd.jar", "dmdd.app.Main", List.of("infer", "--out", "res-\u00fc"), StandardCharsets.UTF_8);
        assertThat(NativeMemoryRelaunch.command(utf8)).isPresent();
    }

    @Test
    void noSecondStartWhereItWouldNotHelpOrWouldNotBeSafe() {
        assertThat(NativeMemoryRelaunch.command(start("Windows 11", Map.of(), null, null, JVM))).isEmpty();
        assertThat(NativeMemoryRelaunch.command(start("Mac OS X", Map.of(), null, null, JVM))).isEmpty();
        // already started with it, or the user chose another value: no loop, no override
        assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of("MALLOC_ARENA_MAX", "4"), null, null, JVM)))
                .isEmpty();
        for (String off : List.of("false", "0", "no", "OFF")) {
            assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of(), off, null, JVM))).as(off).isEmpty();
        }
        // a debugger or agent would be attached twice
        for (String agent : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-javaagent:/p/agent.jar", "-agentpath:/p/lib.so", "-Xdebug",
                "-XX:StartFlightRecording=filename=x.jfr", "-Xlog:gc:file=gc.log")) {
            List<String> jvm = new ArrayList<>(JVM);
            jvm.add(agent);
            assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of(), null, null, jvm))).as(agent).isEmpty();
        }
        assertThat(NativeMemoryRelaunch.command(start("Linux", Map.of(), "true", null, JVM))).isPresent();
    }

    @Test
    void theChildRunsWithTheSettingsAndItsExitCodeComesBack(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the second start is for glibc");
        Child relaunched = run(dir.resolve("relaunched"), List.of(), "a b", "c");
        assertThat(relaunched.code()).as(relaunched.err()).isEqualTo(7);
        assertThat(relaunched.out()).isEqualTo("arenas=1 pages=1 args=[a b, c]\n");

        Child asked = run(dir.resolve("asked"), List.of("-D" + NativeMemoryRelaunch.PROPERTY + "=false"), "a");
        assertThat(asked.code()).as(asked.err()).isEqualTo(7);
        assertThat(asked.out()).isEqualTo("arenas=null pages=null args=[a]\n");
    }

    @Test
    void stoppingTheFirstProcessStopsTheChildAndWaitsForIt(@TempDir Path dir) throws Exception {
        Waiting w = startWaiting(dir);
        w.first().destroy(); // SIGTERM to the first process only, as a service manager or `kill` sends it
        assertThat(w.first().waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the child's shutdown hook had run before the first process ended, and no child is left
        assertThat(w.stopped()).exists();
        assertThat(w.children()).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aChildWhoseFirstProcessIsKilledOutrightStopsItself(@TempDir Path dir) throws Exception {
        Waiting w = startWaiting(dir);
        w.first().destroyForcibly(); // SIGKILL: the first process runs nothing more
        w.first().waitFor();
        for (ProcessHandle child : w.children()) {
            child.onExit().get(60, TimeUnit.SECONDS);
        }
        assertThat(w.children()).noneMatch(ProcessHandle::isAlive);
        assertThat(w.stopped()).exists(); // it stopped through its shutdown hooks, not by a kill
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("the process that started this one has ended");
    }

    /** A first process whose child waits; the child writes {@code stopped} when it stops. */
    private record Waiting(Process first, List<ProcessHandle> children, Path stopped) {
    }

    private static Waiting startWaiting(Path dir) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the second start is for glibc");
        Path out = dir.resolve("out.txt");
        Path stopped = dir.resolve("child-stopped.txt");
        Process first = builder(List.of(), "wait", stopped.toString()).redirectOutput(out.toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!(Files.exists(out) && Files.readString(out).contains("waiting")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(out)).as(Files.readString(dir.resolve("err.txt"))).contains("waiting");
        List<ProcessHandle> children = first.toHandle().descendants().toList();
        assertThat(children).isNotEmpty();
        return new Waiting(first, children, stopped);
    }

    private record Child(int code, String out, String err) {
    }

    private static Child run(Path dir, List<String> jvm, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        int code = builder(jvm, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        return new Child(code, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The probe started as a person starts the program: without the settings in the environment. */
    private static ProcessBuilder builder(List<String> jvm, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        NativeMemoryEnvironment.wanted().keySet().forEach(builder.environment()::remove);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder;
    }

    /**
     * A main like {@link Main}'s: starts again if useful, else reports what it runs with and exits with 7; with
     * {@code wait FILE} it waits instead, and writes FILE when it is stopped.
     */
    public static final class Probe {
        /**
         * @param args echoed, or {@code wait FILE}
         * @throws Exception never on purpose
         */
        public static void main(String[] args) throws Exception {
            OptionalInt child = NativeMemoryRelaunch.runInChildIfUseful(Probe.class, args);
            if (child.isPresent()) {
                System.exit(child.getAsInt());
            }
            NativeMemoryRelaunch.endWithTheFirstProcess(System.getenv());
            if (args.length == 2 && args[0].equals("wait")) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Thread.sleep(500); // a child that takes a moment to stop, as one writing a checkpoint
                        Files.writeString(Path.of(args[1]), "stopped");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                System.out.println("waiting");
                System.out.flush();
                Thread.sleep(120_000);
                return;
            }
            System.out.print("arenas=" + System.getenv(NativeMemoryEnvironment.ARENAS) + " pages="
                    + System.getenv(NativeMemoryEnvironment.HUGE_PAGES) + " args=" + List.of(args) + "\n");
            System.exit(7);
        }
    }
}
