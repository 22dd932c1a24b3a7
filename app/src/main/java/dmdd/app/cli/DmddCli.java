package dmdd.app.cli;

import dmdd.app.LibraryLogging;
import dmdd.model.infer.ModelFolderException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code dmdd} command line: {@code train}, {@code eval}, {@code infer}, {@code bench},
 * {@code make-benchmark} and {@code generate-completion} (a bash/zsh completion script from picocli's
 * {@code AutoComplete}). Every failure ends as ONE line on stderr and a non-zero exit code, never a
 * stack trace (set the environment variable {@code DMDD_STACKTRACE=1} to see one).
 */
@Command(name = "dmdd", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"DMDD Inspector: unsupervised visual defect detection (Dual-Modeling Decouple Distillation).",
            "Without arguments, java -jar dmdd.jar opens the workstation."},
        subcommands = {TrainCommand.class, EvalCommand.class, InferCommand.class, BenchCommand.class,
            MakeBenchmarkCommand.class, BenchmarkTableCommand.class, ExportCommand.class, ImportModelCommand.class,
            ImportWeightsCommand.class,
            ReviewQueueCommand.class, ImproveCommand.class, AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class DmddCli implements Runnable {
    /** Exit code of a failure while running (an unreadable file, a crash in a library). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a bad invocation or bad input (options, folders, layouts). */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line on the process's stdout and stderr.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String[] args) {
        Charset cs = Charset.defaultCharset();
        return run(args, new PrintWriter(System.out, true, cs), new PrintWriter(System.err, true, cs));
    }

    /**
     * Runs the command line in-process (tests and scripts use this).
     *
     * @param args the arguments
     * @param out  where results go
     * @param err  where errors and progress go
     * @return the exit code: 0 success, {@link #EXIT_FAILURE}, {@link #EXIT_USAGE}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        quietLibraries();
        CommandLine cl = create(out, err);
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands on errors: said in the user's words like any other failure (exit 1), not as a trace
            err.println("error: " + describe(e));
            code = EXIT_FAILURE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Libraries' INFO logs (DJL announcing its thread counts) are noise on a command line; warnings
     * stay. A level set by the user with -Dorg.slf4j.simpleLogger.defaultLogLevel wins.
     */
    private static void quietLibraries() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        LibraryLogging.quietGpuProbe();
    }


    /**
     * The configured command line: one-line error handlers, output writers, completion subcommand hidden.
     *
     * @param out where results go
     * @param err where errors and progress go
     * @return the command line
     */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DmddCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            where.getErr().println("error: " + oneLine(ex.getMessage()) + fileReadAsOption(where, args) + " (see '"
                    + where.getCommandSpec().qualifiedName() + " --help')");
            where.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, where, parseResult) -> {
            where.getErr().println("error: " + describe(ex));
            if (System.getenv("DMDD_STACKTRACE") != null) {
                ex.printStackTrace(where.getErr());
            }
            where.getErr().flush();
            // A bad option or a folder that is not a model is the caller's to fix (2, as README says).
            return ex instanceof CliException || ex instanceof ModelFolderException ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * A file whose name starts with '-' is read as an option (picocli then misses the parameter it is): named, with
     * the two ways to give it.
     */
    private static String fileReadAsOption(CommandLine where, String[] args) {
        for (String arg : args) {
            if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--") && !arg.contains("=")
                    && where.getCommandSpec().findOption(arg) == null) {
                try {
                    if (java.nio.file.Files.exists(java.nio.file.Path.of(arg))) {
                        return "; the file '" + arg + "' was read as an option: write ./" + arg + " or put -- before it";
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // not a file name
                }
            }
        }
        return "";
    }

    /**
     * One line describing a failure: the message of a user-facing exception as it is; otherwise the
     * innermost cause's type and message, which usually names the file and the problem.
     *
     * @param t the failure
     * @return one line
     */
    public static String describe(Throwable t) {
        if (t instanceof CliException || t instanceof java.io.IOException
                || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return oneLine(t.getMessage());
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String type = root.getClass().getSimpleName();
        String msg = root.getMessage();
        if (root instanceof OutOfMemoryError) {
            return "out of memory: try a smaller --image-size or batch, or give Java more memory (-Xmx)";
        }
        return msg == null || msg.isBlank() ? type : type.replaceAll("(Exception|Error)$", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + ": " + oneLine(msg);
    }

    private static String oneLine(String s) {
        // picocli starts some messages with its own "Error: ", which would follow ours
        return s == null ? "" : s.strip().replaceFirst("^Error: ", "").replaceAll("\\s*\\R\\s*", "; ");
    }
}
