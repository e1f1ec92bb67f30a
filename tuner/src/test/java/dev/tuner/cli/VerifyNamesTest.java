package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark a playbook names must exist: apply says so before contacting any host. */
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
}
