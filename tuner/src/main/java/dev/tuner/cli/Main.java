package dev.tuner.cli;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import dev.tuner.diag.TunerException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
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
        footer = {"", "Exit codes: 0 ok / in sync, 1 error, 2 changes pending or drift, 3 verified regression,",
                "130 / 143 stopped by SIGINT / SIGTERM.",
                "Run 'tuner help COMMAND' for a command's options and examples."})
public final class Main implements Runnable {
    /** The commands, in the order 'tuner --help' lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
            PlanCommand.class, ApplyCommand.class, DriftCommand.class, ValidateCommand.class, InventoryCommand.class,
            FactsCommand.class, BenchCommand.class, HistoryCommand.class, RollbackCommand.class, UnlockCommand.class, MergeCommand.class,
            SchemaCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);
    /** Commands that read the whole command tree: the completion script covers every command, help names any. */
    private static final Set<Class<?>> NEED_EVERY_COMMAND = Set.of(CompletionCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Interrupts interrupts = new Interrupts(System.err);

    public static void main(String[] args) {
        CommandLine cl = commandLine(args);
        ((Main) cl.getCommand()).interrupts.install();
        int code = cl.execute(args);
        ClassList.settle(cl.getParseResult(), code);
        System.exit(code);
    }

    /** The interrupt handling of the command line a subcommand belongs to. */
    static Interrupts interrupts(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).interrupts;
    }

    /** Runs a command line and returns its exit code. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command line with tuner's error handling; tests run it in-process with their own output streams. */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * The command line that runs {@code args} exactly as the whole one would, built with only the
     * commands they need: picocli reads each command's options by reflection when it is added,
     * which costs more start-up time than a short run's real work. A command named first runs on
     * its own; the version option alone needs no command; anything else (the root's help, an
     * unknown word, 'help', 'completion') gets them all.
     */
    public static CommandLine commandLine(String... args) {
        if (args.length > 0) {
            for (Class<?> c : COMMANDS) {
                if (!NEED_EVERY_COMMAND.contains(c) && named(c, args[0])) return commandLine(List.of(c));
            }
        }
        CommandLine alone = commandLine(List.of());
        if (args.length == 1) {
            CommandLine.Model.OptionSpec option = alone.getCommandSpec().findOption(args[0]);
            if (option != null && option.versionHelp()) return alone;
        }
        return commandLine();
    }

    private static boolean named(Class<?> command, String word) {
        Command c = command.getAnnotation(Command.class);
        return c.name().equals(word) || List.of(c.aliases()).contains(word);
    }

    private static CommandLine commandLine(List<Class<?>> commands) {
        CommandLine cl = new CommandLine(new Main());
        // Added before the settings below: picocli applies them to the commands present at the call.
        for (Class<?> c : commands) cl.addSubcommand(c);
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
