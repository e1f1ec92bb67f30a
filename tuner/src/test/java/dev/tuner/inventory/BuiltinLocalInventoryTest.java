package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.RealAnsible;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -i local} works from any directory, as Ansible's implicit localhost does: the tests run in
 * tuner/, where no inventories/local.yml is, as an installed executable runs anywhere.
 */
class BuiltinLocalInventoryTest {
    @TempDir
    Path home;

    @Test
    void theWorkingDirectoryHasNoLocalInventory() {
        assertThat(Path.of("inventories").toAbsolutePath()).doesNotExist();
        assertThat(Path.of("local").toAbsolutePath()).doesNotExist();
    }

    @Test
    void builtInLocalListsAsTheShippedLocalInventoryDoesInAnsible() throws Exception {
        RealAnsible.requireInstalled();
        String theirs = RealAnsible.run(home, List.of(RealAnsible.ANSIBLE_INVENTORY.toString(), "-i",
                Repo.path("inventories/local.yml").toString(), "--list"));
        TunerCli.Result ours = TunerCli.run("inventory", "-i", "local", "--list");
        assertThat(ours.exitCode()).as(ours.screen()).isZero();
        assertThat(ours.out().strip()).isEqualTo(theirs.strip());
    }

    @Test
    void theReadmesFirstCommandWorksOutsideTheRepository() {
        TunerCli.Result r = TunerCli.run("plan", Repo.path("playbooks/db-host.yml").toString(), "-i", "local", "--format", "json");
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(r.out()).contains("\"host\" : \"localhost\"");
    }

    @Test
    void aLocalInventoryFileOfTheUserWinsOverTheBuiltIn() throws Exception {
        Files.createDirectories(home.resolve("inventories"));
        Files.writeString(home.resolve("inventories/local.yml"), "all:\n  hosts:\n    mybox: {ansible_connection: local}\n");
        Inventory inv = Inventory.load(List.of("local"), home);
        assertThat(inv.hosts()).extracting(Host::name).containsExactly("mybox");
    }
}
