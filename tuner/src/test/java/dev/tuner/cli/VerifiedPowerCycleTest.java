package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verified vmx change that power-cycles the VM. The guest is a lab host reached over SSH (vcsim's
 * VM stands for its hardware): the power cycle drops the SSH connection and the vmx kind reconnects
 * once the guest answers again. The "after" figures must come from that new connection.
 */
class VerifiedPowerCycleTest {
    static final String VM = "DC0_H0_VM0";

    @TempDir
    Path dir;

    @Test
    void afterAPowerCycleTheAfterFiguresAreMeasuredOnTheNewConnection() throws Exception {
        try (LabHosts lab = LabHosts.start(1); Vcsim sim = Vcsim.start()) {
            Path pass = dir.resolve("vsphere.pass");
            Files.writeString(pass, Vcsim.PASSWORD + "\n");
            // A second inventory adds the VM behind lab01; -i merges it with the lab's own.
            Path vms = dir.resolve("vms.yml");
            Files.writeString(vms, """
                    all:
                      hosts:
                        lab01:
                          vsphere_vm: %s
                          vsphere:
                            url: "%s"
                            user: %s
                            password_file: "%s"
                            thumbprint: "%s"
                    """.formatted(VM, sim.url, Vcsim.USER, pass, sim.thumbprint));
            Path verify = Files.createDirectories(dir.resolve("verify"));
            Files.writeString(verify.resolve("tick.yml"), """
                    description: a cheap figure read in the guest (test benchmark)
                    timeout: 30s
                    warmup: 0
                    command: |
                      n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
                      awk -v n="$n" 'BEGIN { printf "score: %.3f\\n", 1000 * (1 + n / 6553500) }'
                    metrics:
                      score:
                        regex: 'score:\\s*([0-9.]+)'
                        unit: points
                        better: higher
                    """);
            Path playbook = dir.resolve("cpus.yml");
            Files.writeString(playbook, """
                    - name: guest hardware
                      hosts: lab
                      gather_facts: false
                      tasks:
                        - name: two vCPUs
                          power_cycle: allowed
                          verify: tick
                          vmx: {numvcpus: 2}
                    """);

            TunerCli.Result r = TunerCli.run("apply", playbook.toString(), "-i", lab.inventoryFile().toString(), "-i", vms.toString(),
                    "--journal", dir.resolve("journal").toString(), "--verify-dir", verify.toString(), "--runs", "2", "--warmup", "0",
                    "--format", "json");

            assertThat(r.exitCode()).as(r.screen()).isZero();
            assertThat(r.screen()).doesNotContain("could not measure after");
            JsonNode host = new ObjectMapper().readTree(r.out()).at("/plays/0/results/0");
            assertThat(host.get("notes").toString()).as(r.screen())
                    .contains("reconfigured and powered on").contains("lab01 answers again after the power-on");
            JsonNode result = host.at("/verification/results/0");
            assertThat(result.get("benchmark").asText()).isEqualTo("tick");
            assertThat(result.get("before")).as(r.screen()).hasSize(2);
            assertThat(result.get("after")).as("measured after the power cycle: %s", r.screen()).hasSize(2);
            assertThat(host.at("/verification/notes")).as(r.screen()).isEmpty();

            JsonNode vm = PyVmomi.read(sim, VM);
            assertThat(vm.get("numCPU").asInt()).isEqualTo(2);
            assertThat(vm.get("powerState").asText()).isEqualTo("poweredOn");
        }
    }
}
