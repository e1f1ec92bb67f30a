package dev.tuner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;

/**
 * The launcher's record of the classes a command loads, from which it builds its class archive
 * (src/main/launcher/tuner.sh): it has the JVM write them to {@code LIST.PID} and names LIST in the
 * system property {@value #PROPERTY}. The record becomes the command's list only when the run did
 * the command's work; a run that printed help or stopped at bad input loaded too few of the
 * command's classes, and the next run of the command records again.
 */
final class ClassList {
    static final String PROPERTY = "tuner.classlist";

    private ClassList() {}

    static void settle(CommandLine.ParseResult parsed, int exitCode) {
        String list = System.getProperty(PROPERTY);
        if (list == null) return;
        try {
            Path record = Path.of(list + "." + ProcessHandle.current().pid());
            if (didTheWork(parsed, exitCode)) Files.move(record, Path.of(list), StandardCopyOption.ATOMIC_MOVE);
            else Files.deleteIfExists(record);
        } catch (IOException | RuntimeException e) {
            // Only a start-up cache: the next run records again.
        }
    }

    private static boolean didTheWork(CommandLine.ParseResult parsed, int exitCode) {
        if (exitCode != ExitCodes.OK && exitCode != ExitCodes.CHANGES_PENDING && exitCode != ExitCodes.REGRESSION) return false;
        if (parsed == null || !parsed.hasSubcommand()) return false;
        CommandLine.ParseResult command = parsed.subcommand();
        return !command.isUsageHelpRequested() && !command.isVersionHelpRequested()
                && !(command.commandSpec().userObject() instanceof CommandLine.HelpCommand);
    }
}
