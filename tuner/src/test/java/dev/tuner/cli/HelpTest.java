package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help with its usage and, for the ones that act on hosts, examples. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"plan", "apply", "drift", "validate", "inventory", "facts", "bench", "history", "rollback", "unlock", "schema", "completion"})
    void everyCommandHasHelpWithExamples(String command) {
        TunerCli.Result r = TunerCli.run(command, "--help");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.out()).startsWith("Usage: tuner " + command).contains("Examples:");
    }
}
