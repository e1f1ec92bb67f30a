package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every command answers --help with its usage and, for the ones that act on hosts, examples. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"plan", "apply", "drift", "validate", "inventory", "facts", "bench", "history", "rollback", "unlock", "merge", "schema",
            "completion"})
    void everyCommandHasHelpWithExamples(String command) {
        TunerCli.Result r = TunerCli.run(command, "--help");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.out()).startsWith("Usage: tuner " + command).contains("Examples:");
    }

    /** picocli reports help texts it cannot format (a bare '%') on the process's stderr, not the command's. */
    @Test
    void helpOfEveryCommandPrintsNoPicocliWarning() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> screens = new ArrayList<>();
        try {
            for (String command : Main.commandLine().getSubcommands().keySet()) {
                screens.add(TunerCli.run(command, "--help").screen());
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(String.join("\n", screens)).doesNotContain("picocli", "%n");
    }

    /** The command list of 'tuner --help' shows each command's first description line: it must be a whole sentence. */
    @Test
    void summariesInTheCommandListAreWholeSentences() {
        String help = TunerCli.run("--help").out();
        String commands = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length(), help.indexOf("\n\n", help.indexOf("Commands:")));
        List<String> entries = new ArrayList<>();
        for (String line : commands.split("\n")) {
            if (line.matches("  \\S.*")) entries.add(line.strip());
            else entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(11).allSatisfy(e -> assertThat(e).as(e).endsWith("."));
    }

    /** An example is copied from the terminal as one line: picocli must not wrap it at the usage width. */
    @Test
    void everyExampleIsPrintedOnItsOwnUnbrokenLine() {
        CommandLine root = Main.commandLine();
        for (var e : root.getSubcommands().entrySet()) {
            String[] footer = e.getValue().getCommandSpec().usageMessage().footer();
            List<String> rendered = Arrays.asList(TunerCli.run(e.getKey(), "--help").out().split("\n"));
            for (String line : footer) {
                if (line.startsWith("  tuner ") || line.startsWith("      ")) {
                    assertThat(rendered).as("tuner %s --help", e.getKey()).contains(line);
                    assertThat(line.length()).as(line).isLessThanOrEqualTo(root.getUsageHelpWidth());
                }
            }
        }
    }

    /** A run builds only the command it names; that command must be the same as in the whole command line. */
    @Test
    void aCommandBuiltAloneIsTheCommandOfTheWholeCommandLine() {
        CommandLine whole = Main.commandLine();
        for (var e : whole.getSubcommands().entrySet()) {
            CommandLine alone = Main.commandLine(e.getKey(), "--help");
            assertThat(alone.getSubcommands().get(e.getKey()).getUsageMessage()).as(e.getKey()).isEqualTo(e.getValue().getUsageMessage());
            if (!List.of("help", "completion").contains(e.getKey())) assertThat(alone.getSubcommands()).as(e.getKey()).hasSize(1);
        }
        // What reads the whole tree gets it: the command list, the completion script, help on any command.
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help", "drift"}, new String[] {"completion"}, new String[] {"nonsense"})) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args)).isEqualTo(whole.getSubcommands().keySet());
        }
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(TunerCli.run("--version").out()).isEqualTo(run(whole, "--version"));
        assertThat(TunerCli.run("completion").out()).isEqualTo(run(Main.commandLine(), "completion"));
    }

    private static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.execute(args);
        return out.toString();
    }

    @Test
    void versionNamesTheProjectVersionAndTheGitCommit() throws Exception {
        Matcher v = Pattern.compile("<artifactId>tuner-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Repo.path("tuner/pom.xml")));
        assertThat(v.find()).isTrue();
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").directory(Repo.root().toFile()).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).isZero();

        TunerCli.Result r = TunerCli.run("--version");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.out()).startsWith("tuner " + v.group(1) + " (commit " + head);
    }
}
