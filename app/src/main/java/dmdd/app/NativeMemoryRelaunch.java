package dmdd.app;

import dmdd.model.engine.NativeMemoryEnvironment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the program in a child process started with {@link NativeMemoryEnvironment#wanted()} when this process was
 * started without it, and hands back the child's exit code. glibc reads its arena limit only when a process starts,
 * so the only way a {@code java -jar} command or an installed launcher gets it is to start once more; the cost is
 * a second, idle JVM (about 40 MB) and a few hundred milliseconds.
 *
 * <p>It does nothing outside Linux, when {@value NativeMemoryEnvironment#ARENAS} is already set (by the user or by
 * an earlier start), with {@code -D}{@value #PROPERTY}{@code =false}, when a debugger, Java agent, flight recording
 * or log file is named (a second JVM would open it again), and when an argument cannot be written in the
 * platform's encoding (a C locale). The child ends when the first process ends, however it ended.
 */
final class NativeMemoryRelaunch {
    /** {@code -Ddmdd.relaunch=false} (or {@code 0}, {@code no}, {@code off}) keeps everything in the first process. */
    static final String PROPERTY = "dmdd.relaunch";
    /** The property jpackage's launchers set to their own path. */
    static final String JPACKAGE_APP_PATH = "jpackage.app-path";
    /**
     * The variable a jpackage launcher sets for the Java launcher it runs; a launcher that finds it takes its
     * arguments as a {@code java} command line (so {@code --version} printed Java's version), so the child must
     * not inherit it.
     */
    static final String JPACKAGE_LAUNCHER_MARK = "_JPACKAGE_LAUNCHER";

    /** The variable that tells the child which process started it. */
    static final String FIRST_PROCESS = "DMDD_FIRST_PROCESS";
    /** Values of {@value #PROPERTY} that keep one process. */
    private static final Set<String> OFF = Set.of("false", "0", "no", "off");
    /** A child's exit code when its first process vanished: 128 + SIGTERM, as if it had been stopped. */
    static final int STOPPED_ALONE = 143;
    /** How long a stopped first process waits for its child to finish stopping. */
    private static final long STOP_GRACE_SECONDS = 30;

    private NativeMemoryRelaunch() {
    }

    /**
     * What this process was started as, the inputs of {@link #command}.
     *
     * @param os             {@code os.name}
     * @param environment    the process's environment
     * @param relaunch       the {@value #PROPERTY} property, or null
     * @param jpackageLauncher the {@value #JPACKAGE_APP_PATH} property, or null
     * @param javaHome       {@code java.home}
     * @param jvmArguments   the JVM's input arguments
     * @param classPath      {@code java.class.path}
     * @param mainClass      the class whose {@code main} runs
     * @param args           the program's arguments
     * @param argumentEncoding the encoding a child's command line is written in
     */
    record Start(String os, Map<String, String> environment, String relaunch, String jpackageLauncher, String javaHome,
                 List<String> jvmArguments, String classPath, String mainClass, List<String> args,
                 Charset argumentEncoding) {
        static Start current(Class<?> mainClass, String[] args) {
            return new Start(System.getProperty("os.name", ""), System.getenv(), System.getProperty(PROPERTY),
                    System.getProperty(JPACKAGE_APP_PATH), System.getProperty("java.home"),
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                    mainClass.getName(), List.of(args), platformEncoding());
        }

        /** The encoding a child's command line is written in (the platform's, {@code sun.jnu.encoding}). */
        private static Charset platformEncoding() {
            try {
                return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
            } catch (IllegalArgumentException e) {
                return Charset.defaultCharset();
            }
        }
    }

    /**
     * The child's command, if this start should have one.
     *
     * @param start what this process was started as
     * @return the command line, or empty when this process should run the program itself
     */
    static Optional<List<String>> command(Start start) {
        if (!start.os().toLowerCase(Locale.ROOT).startsWith("linux")
                || NativeMemoryEnvironment.arenasChosen(start.environment())
                || (start.relaunch() != null && OFF.contains(start.relaunch().trim().toLowerCase(Locale.ROOT)))
                || start.jvmArguments().stream().anyMatch(NativeMemoryRelaunch::attachesSomething)
                // an argument this process could not read (a C locale and a name with an umlaut) would reach the
                // child as '?': this process keeps it and fails as a single process does
                || !start.args().stream().allMatch(a -> start.argumentEncoding().newEncoder().canEncode(a))) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        if (start.jpackageLauncher() != null) {
            // The launcher adds its own JVM options and class path again.
            command.add(start.jpackageLauncher());
        } else {
            if (start.javaHome() == null || start.classPath() == null || start.classPath().isEmpty()) {
                return Optional.empty();
            }
            command.add(Path.of(start.javaHome(), "bin", "java").toString());
            command.addAll(withoutEnvironmentOptions(start.jvmArguments(), start.environment()));
            command.add("-cp");
            command.add(start.classPath());
            command.add(start.mainClass());
        }
        command.addAll(start.args());
        return Optional.of(command);
    }

    /**
     * The child's environment: this process's, with the native memory settings and without the mark of a jpackage
     * launcher.
     *
     * @param environment  this process's environment
     * @param firstProcess this process's id, which the child watches
     * @return the child's
     */
    static Map<String, String> childEnvironment(Map<String, String> environment, long firstProcess) {
        Map<String, String> child = new HashMap<>(environment);
        child.remove(JPACKAGE_LAUNCHER_MARK);
        NativeMemoryEnvironment.wanted().forEach(child::putIfAbsent); // a value the user chose stays
        child.put(FIRST_PROCESS, Long.toString(firstProcess));
        return child;
    }

    /**
     * The JVM options without those that came from {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}: the
     * child reads those variables again.
     */
    private static List<String> withoutEnvironmentOptions(List<String> jvmArguments, Map<String, String> env) {
        List<String> left = new ArrayList<>(jvmArguments);
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String value = env.get(variable);
            if (value != null) {
                for (String option : value.trim().split("\\s+")) {
                    left.remove(option);
                }
            }
        }
        return left;
    }

    /** Options that attach a debugger, an agent or a recording or log file, which two JVMs would both open. */
    private static boolean attachesSomething(String jvmArgument) {
        return jvmArgument.startsWith("-agentlib") || jvmArgument.startsWith("-agentpath")
                || jvmArgument.startsWith("-javaagent") || jvmArgument.startsWith("-Xrunjdwp")
                || jvmArgument.equals("-Xdebug") || jvmArgument.startsWith("-XX:StartFlightRecording")
                || (jvmArgument.startsWith("-Xlog") && jvmArgument.contains("file="));
    }

    /**
     * In the child: ends it when the first process is gone, also when that one was killed without a chance to
     * stop it ({@code kill -9}, an out-of-memory killer, a CI timeout), so no worker is left running alone.
     * Does nothing in a process that was not started by {@link #runInChildIfUseful}.
     *
     * @param environment this process's environment
     */
    static void endWithTheFirstProcess(Map<String, String> environment) {
        String first = environment.get(FIRST_PROCESS);
        if (first == null) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(first.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isPresent() && parent.get().pid() == pid) {
            parent.get().onExit().thenRun(NativeMemoryRelaunch::stopAlone);
        } else if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            stopAlone(); // the first process ended before this one got here
        }
        // else: a process further down that inherited the variable; the first process is someone else's parent
    }

    private static void stopAlone() {
        System.err.println("stopping: the process that started this one has ended");
        System.exit(STOPPED_ALONE);
    }

    /**
     * Runs the program in a child when {@link #command} gives one: the child shares this process's terminal, a
     * stop of this process stops the child, and its exit code comes back.
     *
     * @param mainClass the class whose {@code main} runs
     * @param args      the program's arguments
     * @return the child's exit code, or empty when this process should run the program itself (also when the
     *         child could not be started)
     */
    static OptionalInt runInChildIfUseful(Class<?> mainClass, String[] args) {
        Start start = Start.current(mainClass, args);
        Optional<List<String>> command = command(start);
        if (command.isEmpty() || !Files.isExecutable(Path.of(command.get().get(0)))) {
            return OptionalInt.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(command.get()).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(childEnvironment(start.environment(), ProcessHandle.current().pid()));
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            System.err.println("note: could not start with " + NativeMemoryEnvironment.wanted()
                    + " (" + e.getMessage() + "); running with the system's memory settings");
            return OptionalInt.empty();
        }
        Thread stopChild = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy(); // SIGTERM: the child's own shutdown hooks still run
                try {
                    // the terminal gets its prompt back when the child has finished (a checkpoint being written)
                    child.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "stop child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        while (true) {
            try {
                return OptionalInt.of(child.waitFor());
            } catch (InterruptedException e) {
                // main is not interrupted by anyone but a shutdown, which the hook handles; keep waiting
            }
        }
    }
}
