package poreseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.util.Messages;
import poreseg.util.ParameterException;

/** Entry point: picocli commands, one per capability. Commands are thin; the work lives in the packages. */
@Command(name = "poreseg", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Porosity of battery cathode particles from FIB-SEM serial sections, with deep-learning pore segmentation.",
        subcommands = {
                AnalyzeCommand.class,
                InfoCommand.class,
                SynthCommand.class,
                PreprocessCommand.class,
                ThresholdCommand.class,
                RoiCommand.class,
                TrainCommand.class,
                CalibrateCommand.class,
                SegmentCommand.class,
                MeasureCommand.class,
                EvaluateCommand.class,
                StudyCommand.class,
                DemoCommand.class,
                ViewCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 bad data (missing, corrupt or mismatched input), 2 usage error, 130 interrupted."})
public final class Main implements Runnable {
    public static final int EXIT_DATA = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    static boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (see poreseg --help)");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        installInterruptHandler();
        System.exit(execute(args));
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM: delete the temporary files of outputs being written (and what a
     * failed study, demo or analyze added to its folder), say "interrupted" and exit with 130.
     */
    static void installInterruptHandler() {
        Runtime.getRuntime().addShutdownHook(new Thread(OutputFiles::deletePartial, "poreseg-cleanup"));
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    OutputFiles.deletePartial();
                    System.err.println("poreseg: interrupted");
                    ImmediateExit.now(EXIT_INTERRUPTED); // flushes stdout and stderr first
                });
            }
        } catch (Throwable e) {
            // no signal API on this JVM: the shutdown hook still deletes the temporary files
        }
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::handleUsage);
        PreprocessCommand.describeSteps(cl.getSubcommands().get("preprocess").getCommandSpec());
        return cl;
    }

    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("poreseg: usage error: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        int code;
        if (t instanceof UsageException || t instanceof ParameterException) {
            err.println("poreseg: usage error: " + text(t));
            code = EXIT_USAGE;
        } else if (t instanceof DataException || t instanceof IOException) {
            String msg = describe(t);
            if (t instanceof java.nio.file.NoSuchFileException) {
                msg = msg + ": no such file or directory";
            } else if (t instanceof java.nio.file.AccessDeniedException) {
                msg = msg + ": permission denied";
            }
            err.println("poreseg: error: " + msg);
            code = EXIT_DATA;
        } else {
            err.println("poreseg: internal error: " + t + (debug ? "" : " (run with --debug for details)"));
            code = EXIT_DATA;
        }
        if (debug) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The message of an error, or of its first cause that has one; never "null". */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c == t ? text(c) : text(c) + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        if (t instanceof java.io.EOFException) {
            return "a file ends early (EOFException)";
        }
        return t.getClass().getSimpleName();
    }

    /**
     * The message of an error; the library's parameter references ({@code {poreValue}}, see
     * {@link Messages}) become this command line's flags ({@code --pore-value}).
     */
    static String text(Throwable t) {
        String template = t instanceof ParameterException p ? p.template() : t instanceof DataException d ? d.template() : null;
        return template == null ? t.getMessage() : Messages.render(template, name -> "--" + Messages.kebab(name));
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"poreseg " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
