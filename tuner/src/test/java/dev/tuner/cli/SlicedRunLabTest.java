package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.Shipped;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet run in three slices gives what one run over all of it gives: on a 30-host lab (plus an
 * unreachable host for plan), {@code drift} and {@code plan} each once unsliced and once per slice
 * {@code --slice K/3}; {@code tuner merge} of the three JSON documents is the unsliced document
 * (timings and the slice list aside), with its exit code, and the merged text is the unsliced text
 * under its headline. The slices' hosts are the lab's hosts, each in one slice.
 */
class SlicedRunLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HOSTS = 30;
    private static final String PLAYBOOK = """
            - name: Memory and backlog
              hosts: lab
              tasks:
                - name: Swap
                  sysctl:
                    vm.swappiness: 10
                - name: Backlog
                  sysctl:
                    net.core.somaxconn: 4096
            - name: First half only
              hosts: "lab[0:14]"
              tasks:
                - name: Writeback
                  sysctl:
                    vm.dirty_ratio: 15
            """;
    private static final String MANAGED = "/etc/sysctl.d/60-tuner.conf";

    @TempDir
    static Path tmp;
    static LabHosts lab;
    static Path playbook;
    static String inventory;
    static String ghost;

    @BeforeAll
    static void startTheLabAndSeedDrift() {
        lab = LabHosts.start(HOSTS);
        List<LabHosts.Host> hosts = lab.hosts();
        // In sync on some hosts, drifted in different ways on others, so slices differ in what they find.
        for (int i = 0; i < hosts.size(); i++) {
            LabHosts.Host h = hosts.get(i);
            String swappiness = i % 3 == 0 ? "10" : "60";
            String backlog = i % 4 == 0 ? "1024" : "4096";
            HostState.ok(lab.exec(h, "echo " + swappiness + " > /proc/sys/vm/swappiness && echo " + backlog + " > /proc/sys/net/core/somaxconn"));
            if (i % 5 == 0) {
                // An older managed drop-in: the plan's diff of it is a change in the middle of a file.
                HostState.ok(lab.execArgs(h, "/bin/sh", "-c", "printf '%s' \"$1\" > " + MANAGED, "sh",
                        "# Managed by tuner: rewritten on every apply; change the playbook instead.\n"
                                + "kernel.a = 1\nkernel.b = 2\nkernel.c = 3\nkernel.d = 4\nvm.swappiness = 30\nkernel.e = 5\n"
                                + "kernel.f = 6\nkernel.g = 7\nkernel.h = 8\nkernel.i = 9\nnet.core.somaxconn = 128\n"));
            }
        }
        playbook = HostState.playbook(tmp, "fleet.yml", PLAYBOOK);
        inventory = lab.inventoryFile().toString();
        ghost = HostState.playbook(tmp, "ghost.yml", """
                lab:
                  hosts:
                    ghost:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                      ansible_user: root
                """.formatted(Shipped.freePort())).toString();
    }

    @AfterAll
    static void stopTheLab() {
        if (lab != null) lab.stop();
    }

    /** The unsliced run, the three slices (each written to a file), and their merge in each format asked for. */
    record Runs(TunerCli.Result whole, List<TunerCli.Result> slices, List<Path> files) {
        TunerCli.Result merge(String format) {
            List<String> args = new ArrayList<>(List.of("merge"));
            files.forEach(f -> args.add(f.toString()));
            args.addAll(List.of("--format", format, "--no-color"));
            return TunerCli.run(args);
        }
    }

    static Runs run(String command, String format, String... inventories) {
        List<String> base = new ArrayList<>(List.of(command, playbook.toString(), "-f", "15", "--no-color"));
        for (String i : inventories) base.addAll(List.of("-i", i));
        List<String> whole = new ArrayList<>(base);
        whole.addAll(List.of("--format", format));
        TunerCli.Result all = TunerCli.run(whole);
        List<TunerCli.Result> slices = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            Path file = tmp.resolve(command + "-" + k + ".json");
            List<String> args = new ArrayList<>(base);
            args.addAll(List.of("--slice", k + "/3", "--format", "json"));
            TunerCli.Result r = TunerCli.run(args);
            try {
                Files.writeString(file, r.out());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            slices.add(r);
            files.add(file);
        }
        return new Runs(all, slices, files);
    }

    @Test
    void driftInThreeSlicesMergesIntoTheUnslicedRun() throws Exception {
        Runs drift = run("drift", "json", inventory);
        assertThat(drift.whole().exitCode()).as(drift.whole().screen()).isEqualTo(2);
        JsonNode whole = JSON.readTree(drift.whole().out());

        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 3; k++) {
            TunerCli.Result r = drift.slices().get(k);
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.get("slices")).as("the document says which slice ran").hasSize(1);
            assertThat(doc.get("slices").get(0).asText()).isEqualTo((k + 1) + "/3");
            Set<String> hosts = new TreeSet<>();
            doc.get("settings").forEach(s -> hosts.add(s.get("host").asText()));
            assertThat(hosts).as("slice %d/3 has hosts", k + 1).isNotEmpty();
            for (String h : hosts) assertThat(seen.add(h)).as("%s in one slice only", h).isTrue();
        }
        assertThat(seen).as("every lab host in a slice").isEqualTo(new TreeSet<>(lab.hosts().stream().map(LabHosts.Host::name).toList()));

        TunerCli.Result merged = drift.merge("json");
        assertThat(merged.exitCode()).as(merged.screen()).isEqualTo(drift.whole().exitCode());
        JsonNode m = JSON.readTree(merged.out());
        assertThat(m.get("slices")).hasSize(3);
        assertThat(withoutTimings(m, "started", "checked_at")).isEqualTo(withoutTimings(whole, "started", "checked_at"));

        TunerCli.Result text = drift.merge("text");
        TunerCli.Result wholeText = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--no-color");
        assertThat(text.out()).isEqualTo("slices 1/3, 2/3, 3/3 merged\n" + wholeText.out());
    }

    @Test
    void planInThreeSlicesMergesIntoTheUnslicedRunWithAnUnreachableHost() throws Exception {
        // The ghost's inventory first: a merge lists hosts by name (the documents do not say the
        // inventory's order), which is this run's order then.
        Runs plan = run("plan", "json", ghost, inventory);
        assertThat(plan.whole().exitCode()).as("the unreachable host is an error\n%s", plan.whole().screen()).isEqualTo(1);
        assertThat(plan.slices().stream().filter(r -> r.exitCode() == 1).count()).as("one slice has the unreachable host").isEqualTo(1);
        JsonNode whole = JSON.readTree(plan.whole().out());

        TunerCli.Result merged = plan.merge("json");
        assertThat(merged.exitCode()).as(merged.screen()).isEqualTo(1);
        JsonNode m = JSON.readTree(merged.out());
        assertThat(withoutTimings(m, "started", "finished")).isEqualTo(withoutTimings(whole, "started", "finished"));
        assertThat(m.get("recap")).hasSize(HOSTS + 1);

        // The text shows the files' diffs, read back from the documents.
        TunerCli.Result text = plan.merge("text");
        TunerCli.Result wholeText = TunerCli.run("plan", playbook.toString(), "-i", ghost, "-i", inventory, "--no-color");
        assertThat(text.out()).isEqualTo("slices 1/3, 2/3, 3/3 merged\n\n" + wholeText.out()).contains("(modify)");
    }

    /** The document without the fields that differ between any two runs: when, and which slices. */
    static JsonNode withoutTimings(JsonNode doc, String... fields) {
        ObjectNode copy = doc.deepCopy();
        for (String f : fields) copy.remove(f);
        copy.remove("slices");
        return copy;
    }
}
