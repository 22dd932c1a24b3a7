package dmdd.app;

import dmdd.model.engine.NativeMemoryEnvironment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the program in a child process started with {@link NativeMemoryEnvironment#wanted()} when this process was
 * started without it, and hands back the child's exit code. glibc reads its arena limit only when a process starts,
 * so the only way a {@code java -jar} command or an installed launcher gets it is to start once more; the cost is
 * a second, idle JVM (about 40 MB) and a few hundred milliseconds.
 *
 * <p>It does nothing outside Linux, when {@value NativeMemoryEnvironment#ARENAS} is already set (by the user or by
 * an earlier start), with {@code -D}{@value #PROPERTY}{@code =false}, and when a debugger or Java agent is
 * attached (a second JVM would try to attach it again).
 */
final class NativeMemoryRelaunch {
    /** {@code -Ddmdd.relaunch=false} keeps everything in the first process. */
    static final String PROPERTY = "dmdd.relaunch";
    /** The property jpackage's launchers set to their own path. */
    static final String JPACKAGE_APP_PATH = "jpackage.app-path";
    /**
     * The variable a jpackage launcher sets for the Java launcher it runs; a launcher that finds it takes its
     * arguments as a {@code java} command line (so {@code --version} printed Java's version), so the child must
     * not inherit it.
     */
    static final String JPACKAGE_LAUNCHER_MARK = "_JPACKAGE_LAUNCHER";

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
     */
    record Start(String os, Map<String, String> environment, String relaunch, String jpackageLauncher, String javaHome,
                 List<String> jvmArguments, String classPath, String mainClass, List<String> args) {
        static Start current(Class<?> mainClass, String[] args) {
            return new Start(System.getProperty("os.name", ""), System.getenv(), System.getProperty(PROPERTY),
                    System.getProperty(JPACKAGE_APP_PATH), System.getProperty("java.home"),
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                    mainClass.getName(), List.of(args));
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
                || "false".equalsIgnoreCase(start.relaunch())
                || start.jvmArguments().stream().anyMatch(NativeMemoryRelaunch::attachesSomething)) {
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
            command.addAll(start.jvmArguments());
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
     * @param environment this process's environment
     * @return the child's
     */
    static Map<String, String> childEnvironment(Map<String, String> environment) {
        Map<String, String> child = new HashMap<>(environment);
        child.remove(JPACKAGE_LAUNCHER_MARK);
        child.putAll(NativeMemoryEnvironment.wanted());
        return child;
    }

    private static boolean attachesSomething(String jvmArgument) {
        return jvmArgument.startsWith("-agentlib") || jvmArgument.startsWith("-agentpath")
                || jvmArgument.startsWith("-javaagent") || jvmArgument.startsWith("-Xrunjdwp")
                || jvmArgument.equals("-Xdebug");
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
        builder.environment().putAll(childEnvironment(start.environment()));
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
