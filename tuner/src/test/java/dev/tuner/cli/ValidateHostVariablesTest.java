package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate -i renders each task with the variables each host of its play gets, as plan will; facts wait for the host. */
class ValidateHostVariablesTest {
    @TempDir
    Path dir;

    Path playbook;
    Path inventory;

    @BeforeEach
    void files() throws Exception {
        playbook = dir.resolve("site.yml");
        Files.writeString(playbook, """
                - hosts: all
                  vars:
                    half_memory: "{{ facts.memory.total_mb / 2 }}"
                  tasks:
                    - name: swap
                      sysctl: {vm.swappiness: "{{ swappiness }}"}
                    - name: from facts
                      when: facts.memory.total_mb > 1024
                      sysctl: {vm.min_free_kbytes: "{{ facts.memory.total_mb * 10 }}"}
                    - name: big hosts only
                      when: big_host
                      sysctl: {vm.dirty_ratio: "{{ dirty }}"}
                    - name: a number for a boolean key
                      governor: {governor: performance, no_turbo: "{{ turbo_off }}"}
                """);
        inventory = dir.resolve("hosts.yml");
        Files.writeString(inventory, """
                all:
                  vars: {turbo_off: true}
                  children:
                    db:
                      hosts:
                        db01: {swappiness: 5, big_host: true}
                        db02: {swappiness: 5, big_host: false, turbo_off: sometimes}
                    web:
                      hosts:
                        web01: {big_host: false}
                """);
    }

    @Test
    void anUndefinedVariableOnSomeHostIsReportedWhereTheTaskIs() {
        TunerCli.Result r = TunerCli.run("validate", playbook.toString(), "-i", inventory.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        String file = TunerCli.displayed(playbook);
        assertThat(r.err().lines()).contains(
                file + ":5:7: task 'swap': sysctl.vm.swappiness: undefined variable in 'swappiness': 'swappiness' is not defined (on host web01)",
                file + ":10:7: task 'big hosts only': sysctl.vm.dirty_ratio: undefined variable in 'dirty': 'dirty' is not defined (on host db01)",
                "3 error(s)");
        assertThat(r.err()).contains(file + ":13:7: task 'a number for a boolean key': ").contains("(on host db02)")
                .doesNotContain("facts");
    }

    @Test
    void extraVarsCountAsTheyWillInTheRun() {
        TunerCli.Result r = TunerCli.run("validate", playbook.toString(), "-i", inventory.toString(), "-e", "swappiness=1 dirty=3",
                "-e", "{turbo_off: false}");
        assertThat(r.exitCode()).as(r.screen()).isZero();
    }

    @Test
    void withoutAnInventoryNothingIsRenderedPerHost() {
        TunerCli.Result r = TunerCli.run("validate", playbook.toString());
        assertThat(r.exitCode()).as(r.screen()).isZero();
    }
}
