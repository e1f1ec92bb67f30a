package dev.tuner.cli;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import dev.tuner.diag.TunerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code tuner <command>}. Exit codes: 0 ok/in sync, 1 error, 2 changes pending or
 * drift, 3 verified regression, 130/143 stopped by SIGINT/SIGTERM (see {@link Interrupts}).
 */
@Command(name = "tuner",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Tunes hosts from Ansible-style playbooks and proves every change with measurements.", ""},
        subcommands = {
                PlanCommand.class, ApplyCommand.class, DriftCommand.class, ValidateCommand.class, InventoryCommand.class,
                FactsCommand.class, BenchCommand.class, HistoryCommand.class, RollbackCommand.class, UnlockCommand.class, MergeCommand.class,
                SchemaCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok / in sync, 1 error, 2 changes pending or drift, 3 verified regression,",
                "130 / 143 stopped by SIGINT / SIGTERM.",
                "Run 'tuner help COMMAND' for a command's options and examples."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Interrupts interrupts = new Interrupts(System.err);

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        ((Main) cl.getCommand()).interrupts.install();
        System.exit(cl.execute(args));
    }

    /** The interrupt handling of the command line a subcommand belongs to. */
    static Interrupts interrupts(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).interrupts;
    }

    /** Runs a command line and returns its exit code. */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    /** The whole command line with tuner's error handling; tests run it in-process with their own output streams. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handleError);
        cl.setParameterExceptionHandler(Main::handleParameterError);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // -e @vars.yml and -l @hosts.txt are Ansible's file forms, not picocli argument files.
        cl.setExpandAtFiles(false);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Bad input and operational errors are messages, not stack traces. */
    private static int handleError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof InputException ie) {
            if (asksForJson(parsed)) {
                cl.getOut().print(ProblemsJson.render(ie.problems()));
                cl.getOut().flush();
            }
            for (Problem p : ie.problems()) err.println(p);
            err.println(ie.problems().stream().filter(Problem::isError).count() + " error(s)");
        } else if (e instanceof TunerException te) {
            err.println("error: " + te.getMessage());
        } else {
            err.println("internal error: " + e);
            if (verbosity(parsed) >= 3) e.printStackTrace(err);
            else err.println("(run with -vvv for the stack trace)");
        }
        err.flush();
        return ExitCodes.ERROR;
    }

    /** A program asked for JSON reads stdout: bad input reaches it as the validation document too. */
    private static boolean asksForJson(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed;
        while (sub.hasSubcommand()) sub = sub.subcommand();
        return sub.hasMatchedOption("--format") && "json".equalsIgnoreCase(String.valueOf((Object) sub.matchedOptionValue("--format", null)));
    }

    private static int verbosity(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed;
        while (sub.hasSubcommand()) sub = sub.subcommand();
        return sub.hasMatchedOption("-v") ? ((boolean[]) sub.matchedOptionValue("-v", new boolean[0])).length : 0;
    }

    /** A wrong option exits 1, not picocli's 2, because 2 means "changes pending" here. */
    private static int handleParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.ERROR;
    }
}
