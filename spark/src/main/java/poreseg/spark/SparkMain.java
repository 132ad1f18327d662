package poreseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import poreseg.io.DataException;
import poreseg.io.UsageException;

/** {@code poreseg-spark}: poreseg's batch commands on Apache Spark. Exit codes as poreseg's. */
@Command(name = "poreseg-spark", mixinStandardHelpOptions = true, version = "poreseg-spark 0.1.0",
        description = "poreseg on Apache Spark: analyze many stacks, slices segmented in parallel across executors.",
        subcommands = {AnalyzeSparkCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 bad data (unreadable manifest, or a stack failed: see the summary), 2 usage error."})
public final class SparkMain implements Runnable {
    public static final int EXIT_DATA = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    static boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (see poreseg-spark --help)");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler(SparkMain::handle);
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("poreseg-spark: usage error: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        int code;
        if (t instanceof UsageException || t instanceof IllegalArgumentException) {
            err.println("poreseg-spark: usage error: " + t.getMessage());
            code = EXIT_USAGE;
        } else if (t instanceof DataException || t instanceof IOException) {
            err.println("poreseg-spark: error: " + SparkBatch.describe(t));
            code = EXIT_DATA;
        } else {
            err.println("poreseg-spark: internal error: " + SparkBatch.describe(t) + (debug ? "" : " (run with --debug for details)"));
            code = EXIT_DATA;
        }
        if (debug) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
