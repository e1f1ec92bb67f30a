package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.slice.Slice;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applies of two slices journal into one directory, each as a run of its own; {@code rollback
 * --slice K/N} finds the latest apply that changed a host of its slice, even when another slice's
 * apply came later, and restores only its slice's hosts. Values are read on the hosts.
 */
class SlicedApplyRollbackLabTest {
    @TempDir
    Path tmp;

    @Test
    void eachSliceRollsBackItsOwnApply() {
        try (LabHosts lab = LabHosts.start(4)) {
            Map<String, String> original = new LinkedHashMap<>();
            for (LabHosts.Host h : lab.hosts()) original.put(h.name(), HostState.sysctl(lab, h, "vm.swappiness"));
            assertThat(original.values()).as("the playbook must change every host").doesNotContain("17");
            List<String> first = lab.hosts().stream().map(LabHosts.Host::name).filter(new Slice(1, 2)::contains).toList();
            List<String> second = lab.hosts().stream().map(LabHosts.Host::name).filter(new Slice(2, 2)::contains).toList();
            assertThat(first).as("both slices have hosts").isNotEmpty();
            assertThat(second).isNotEmpty();

            Path playbook = HostState.playbook(tmp, "swap.yml", """
                    - name: Swap
                      hosts: lab
                      tasks:
                        - name: Swappiness
                          sysctl:
                            vm.swappiness: 17
                    """);
            String inventory = lab.inventoryFile().toString();
            String journal = tmp.resolve("journal").toString();
            for (String slice : List.of("1/2", "2/2")) {
                TunerCli.Result apply = TunerCli.run("apply", playbook.toString(), "-i", inventory, "--journal", journal, "--slice", slice,
                        "--no-verify", "--no-color");
                assertThat(apply.exitCode()).as(apply.screen()).isZero();
                assertThat(apply.out()).startsWith("slice " + slice + " of the hosts (--slice): ");
            }
            for (LabHosts.Host h : lab.hosts()) assertThat(HostState.sysctl(lab, h, "vm.swappiness")).as(h.name()).isEqualTo("17");

            // Slice 1 first: the latest apply is slice 2's, which changed none of slice 1's hosts.
            TunerCli.Result one = TunerCli.run("rollback", "-i", inventory, "--journal", journal, "--slice", "1/2", "--no-color");
            assertThat(one.exitCode()).as(one.screen()).isZero();
            for (LabHosts.Host h : lab.hosts()) {
                assertThat(HostState.sysctl(lab, h, "vm.swappiness")).as("%s after rolling back slice 1/2", h.name())
                        .isEqualTo(first.contains(h.name()) ? original.get(h.name()) : "17");
            }

            TunerCli.Result two = TunerCli.run("rollback", "-i", inventory, "--journal", journal, "--slice", "2/2", "--no-color");
            assertThat(two.exitCode()).as(two.screen()).isZero();
            for (LabHosts.Host h : lab.hosts()) {
                assertThat(HostState.sysctl(lab, h, "vm.swappiness")).as("%s after rolling back both", h.name()).isEqualTo(original.get(h.name()));
            }
            TunerCli.Result history = TunerCli.run("history", "-i", inventory, "--journal", journal);
            assertThat(history.out().lines().filter(l -> l.contains("apply")).count()).as(history.out()).isGreaterThanOrEqualTo(2);
        }
    }
}
