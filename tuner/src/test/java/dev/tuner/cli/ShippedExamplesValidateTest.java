package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every playbook in playbooks/ and every inventory in inventories/ passes {@code tuner validate}.
 * The directories are listed, not named here, so an example added later is checked too.
 */
class ShippedExamplesValidateTest {
    static Stream<Path> playbooks() throws IOException {
        return list("playbooks", p -> Files.isRegularFile(p) && p.toString().matches(".*\\.ya?ml"));
    }

    /** inventories/NAME.yml|yaml|ini files and inventories/NAME/ directories, as -i resolves them. */
    static Stream<Path> inventories() throws IOException {
        return list("inventories", p -> Files.isDirectory(p) || p.toString().matches(".*\\.(ya?ml|ini)"));
    }

    private static Stream<Path> list(String dir, java.util.function.Predicate<Path> keep) throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve(dir))) {
            return files.filter(keep).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("playbooks")
    void shippedPlaybookIsValid(Path playbook) {
        TunerCli.Result r = TunerCli.run("validate", playbook.toString());
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.err()).as(r.screen()).isEmpty();
        assertThat(r.out()).startsWith("ok: ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void shippedInventoryIsValid(Path inventory) {
        TunerCli.Result r = TunerCli.run("validate", "-i", inventory.toString());
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.err()).as(r.screen()).isEmpty();
        assertThat(r.out()).startsWith("ok: inventory ");
    }

    /** The README promises these two by name; an empty listing must not make the tests above pass vacuously. */
    @Test
    void theExamplesTheReadmeNamesAreAmongThoseChecked() throws IOException {
        List<String> pbs = playbooks().map(p -> p.getFileName().toString()).toList();
        List<String> invs = inventories().map(p -> p.getFileName().toString()).toList();
        assertThat(pbs).contains("db-host.yml");
        assertThat(invs).contains("local.yml", "prod.yml");
    }
}
