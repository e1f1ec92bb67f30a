package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark a playbook names must exist, and its rounds must be able to reach a verdict: apply says so before contacting any host. */
class VerifyNamesTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownBenchmarkIsRefusedBeforeAnyHostIsContacted() throws Exception {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - name: swappiness
                      verify: [cpu, dsik]
                      sysctl: {vm.swappiness: 10}
                """);
        TunerCli.Result r = TunerCli.run("apply", pb.toString(), "-i", Repo.resource("playbook/unreachable-inventory.yml").toString(),
                "--journal", dir.resolve("j").toString());

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("p.yml:3:7: verify: no benchmark named 'dsik' (did you mean 'disk'?)");
    }

    @Test
    void tooFewRoundsForAnyVerdictAreRefusedBeforeAnyHostIsContacted() throws Exception {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, """
                - hosts: all
                  verify: {max_rounds: 5}
                  tasks:
                    - name: swappiness
                      sysctl: {vm.swappiness: 10}
                """);
        TunerCli.Result r = TunerCli.run("apply", pb.toString(), "-i", Repo.resource("playbook/unreachable-inventory.yml").toString(),
                "--journal", dir.resolve("j").toString());

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        // 5 pairs: even [min, max] covers with only 1 - 2/32 = 93.75% < 95%.
        assertThat(r.err()).contains("p.yml:1:3: verify: max_rounds 5 can never reach a verdict at confidence 0.950: paired rounds need at least 6");
        assertThat(Files.exists(dir.resolve("j"))).as("no run was journaled").isFalse();
    }
}
