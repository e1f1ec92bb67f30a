package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabFiles;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays of thousands of sysctl keys for one host: the read (and its script) grows with the keys,
 * and must neither fail nor report keys missing that are there. What a key holds comes from
 * {@code sysctl -a} inside the lab host, never from tuner.
 */
class ManySysctlsLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DROP_IN = "/etc/sysctl.d/zz-tuner.conf";
    private static LabHosts lab;
    private static Host host;
    /** Every key of the host whose value held still across two reads and an ssh login, with that value. */
    private static Map<String, String> steady;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(1);
        host = lab.hosts().get(0);
        Map<String, String> first = sysctlAll();
        lab.ssh(host, "true");
        Map<String, String> second = sysctlAll();
        steady = new LinkedHashMap<>();
        first.forEach((k, v) -> {
            if (v.equals(second.get(k))) steady.put(k, v);
        });
        // Counters of the whole machine move with any activity, and none of them is a setting.
        steady.keySet().removeIf(k -> k.matches("fs\\.(dentry-state|file-nr|inode-nr|inode-state)|kernel\\.(ns_last_pid|random\\..*)"));
        assertThat(steady).as("keys of a lab host").hasSizeGreaterThan(900);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    private static Map<String, String> sysctlAll() {
        String out = LabFiles.ok(lab.exec(host, "sysctl -a 2>/dev/null"), "sysctl -a");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf(" = ");
            // A value of several lines (kernel.core_modes) comes as one "key = line" each: one line in a drop-in.
            if (eq > 0) m.merge(line.substring(0, eq), line.substring(eq + 3), (a, b) -> a + " " + b);
        }
        return m;
    }

    private Path playbook(Map<String, String> settings) throws Exception {
        StringBuilder yml = new StringBuilder("- name: every key\n  hosts: lab\n  gather_facts: false\n  tasks:\n    - name: all\n      sysctl:\n");
        // JSON strings are YAML: tabs inside values (tcp_rmem) stay as they are.
        for (Map.Entry<String, String> e : settings.entrySet())
            yml.append("        ").append(JSON.writeValueAsString(e.getKey())).append(": ").append(JSON.writeValueAsString(e.getValue())).append('\n');
        Path p = tmp.resolve("keys.yml");
        Files.writeString(p, yml);
        return p;
    }

    /** Each setting of the plan's only task: key → its JSON object. */
    private static Map<String, JsonNode> settings(TunerCli.Result r) throws Exception {
        JsonNode result = JSON.readTree(r.out()).get("plays").get(0).get("results").get(0);
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode s : result.get("tasks").get(0).get("settings")) m.put(s.get("key").asText(), s);
        return m;
    }

    @Test
    void everyKeyOfTheHostAtItsCurrentValuePlansInSync() throws Exception {
        // As a host where tuner persisted them all: the drop-in holds every key at its running value. It
        // sorts last, after the distribution's files that set some keys otherwise (99-protect-links.conf).
        StringBuilder dropIn = new StringBuilder();
        steady.forEach((k, v) -> dropIn.append(k).append(" = ").append(v).append('\n'));
        new LabFiles(lab).put(host, DROP_IN, dropIn.toString());
        try {
            TunerCli.Result r = TunerCli.run("plan", playbook(steady).toString(), "-i", lab.inventoryFile().toString(),
                    "-e", "tuner_sysctl_file=" + DROP_IN, "--format", "json");
            Map<String, JsonNode> planned = settings(r);
            assertThat(planned.keySet()).containsExactlyInAnyOrderElementsOf(steady.keySet());
            assertThat(planned.values()).filteredOn(s -> !s.get("state").asText().equals("ok")).isEmpty();
            assertThat(r.exitCode()).as(r.err()).isZero();
        } finally {
            LabFiles.ok(lab.exec(host, "rm -f " + DROP_IN), "rm");
        }
    }

    @Test
    void fiveThousandKeysOfWhichMostDoNotExistNameExactlyThoseAsMissing() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> real = new ArrayList<>(steady.keySet()).subList(0, 1000);
        Set<String> absent = new TreeSet<>();
        for (int i = 0; i < 5000; i++) {
            if (i % 5 == 0) {
                String k = real.get(i / 5);
                settings.put(k, steady.get(k));
            } else {
                String k = "net.ipv4.conf.all.tuner_absent_" + i;
                settings.put(k, "1");
                absent.add(k);
            }
        }
        assertThat(LabFiles.ok(lab.exec(host, "ls /proc/sys/net/ipv4/conf/all"), "ls")).doesNotContain("tuner_absent");
        TunerCli.Result r = TunerCli.run("plan", playbook(settings).toString(), "-i", lab.inventoryFile().toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        Map<String, JsonNode> planned = settings(r);
        Set<String> missing = new TreeSet<>();
        planned.forEach((k, s) -> {
            if (s.get("state").asText().equals("failed") && s.get("note").asText().startsWith("no such key on this host")) missing.add(k);
        });
        assertThat(missing).isEqualTo(absent);
        for (String k : real) {
            JsonNode s = planned.get(k);
            assertThat(s.get("current").asText()).as(k).isEqualTo(steady.get(k).replace('\t', ' '));
        }
    }
}
