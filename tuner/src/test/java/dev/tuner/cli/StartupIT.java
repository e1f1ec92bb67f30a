package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerExecutable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run does before its real work, read from the JVM's own class loading log: a short run
 * pays for every class it loads and every library it sets up, whether it needs them or not.
 */
class StartupIT {
    private static final Pattern LOADED = Pattern.compile("(?m)^\\S+ (\\S+) source: ");

    @TempDir
    Path tmp;

    /** picocli reads a command's options, and loads their mixins and types, when the command is added. */
    @Test
    void theVersionBuildsNoCommandAndACommandOnlyItself() throws IOException {
        assertThat(loaded("--version")).contains("dev.tuner.cli.Main")
                .doesNotContain("dev.tuner.cli.InventoryOptions", "dev.tuner.cli.RunCommandOptions", "dev.tuner.cli.LockOptions",
                        "dev.tuner.cli.OutputOptions", "dev.tuner.cli.Verbosity");
        // validate's options have InventoryOptions; apply, drift, plan... have RunCommandOptions, drift a Format of its own.
        assertThat(loaded("validate", sysctlPlaybook().toString())).contains("dev.tuner.cli.InventoryOptions")
                .doesNotContain("dev.tuner.cli.RunCommandOptions", "dev.tuner.cli.LockOptions", "dev.tuner.cli.DriftCommand$Format");
    }

    /** FreeMarker's configuration costs a short run tens of milliseconds: only expressions and templates need it. */
    @Test
    void aPlaybookWithoutExpressionsOrTemplatesSetsUpNoFreeMarker() throws IOException {
        // plan reads this machine through the local connection; it changes nothing.
        assertThat(loaded("plan", sysctlPlaybook().toString(), "-i", "local")).doesNotContain("freemarker.template.Configuration");

        Path templated = Files.writeString(tmp.resolve("templated.yml"), """
                - hosts: all
                  tasks:
                    - sysctl:
                        vm.swappiness: "{{ 5 + 5 }}"
                """);
        assertThat(loaded("plan", templated.toString(), "-i", "local")).contains("freemarker.template.Configuration");
    }

    private Path sysctlPlaybook() throws IOException {
        return Files.writeString(tmp.resolve("plain.yml"), """
                - hosts: all
                  tasks:
                    - sysctl:
                        vm.swappiness: "10"
                """);
    }

    /** The classes a run loads, in order; without the class archive, which would not change them. */
    private List<String> loaded(String... args) throws IOException {
        Path log = Files.createTempFile(tmp, "classes-", ".log");
        TunerExecutable.Result r = TunerExecutable.run(
                Map.of("HOME", tmp.toString(), "TUNER_CDS", "off", "TUNER_JAVA_OPTS", "-Xlog:class+load:file=" + log), args);
        assertThat(r.exitCode()).as(r.screen()).isIn(ExitCodes.OK, ExitCodes.CHANGES_PENDING);
        Matcher m = LOADED.matcher(Files.readString(log));
        List<String> classes = new ArrayList<>();
        while (m.find()) classes.add(m.group(1));
        assertThat(classes).as("class loading log of tuner %s", String.join(" ", args)).isNotEmpty();
        return classes;
    }
}
