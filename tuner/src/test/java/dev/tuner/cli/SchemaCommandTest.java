package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code tuner schema} prints the schema editors use: the one committed beside the playbooks. */
class SchemaCommandTest {
    @Test
    void printsTheCommittedPlaybookSchema() throws IOException {
        TunerCli.Result r = TunerCli.run("schema");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(Files.readString(Repo.root().resolve("schema/playbook.schema.json")));
    }
}
