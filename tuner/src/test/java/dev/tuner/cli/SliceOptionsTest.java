package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.slice.Slice;
import dev.tuner.testing.HostState;
import dev.tuner.testing.Shipped;
import dev.tuner.testing.TunerCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --slice on the commands without a playbook, and wrong slices refused before any host is
 * contacted. Hosts here point at a port nothing listens on: they fail at once, and the output
 * still names each host the command worked on.
 */
class SliceOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String inventory(List<String> hosts) {
        StringBuilder yaml = new StringBuilder("fleet:\n  vars:\n    ansible_host: 127.0.0.1\n    ansible_port: " + Shipped.freePort()
                + "\n    ansible_user: root\n  hosts:\n");
        for (String h : hosts) yaml.append("    ").append(h).append(":\n");
        return HostState.playbook(tmp, "fleet.yml", yaml.toString()).toString();
    }

    @Test
    void factsWorksOnItsSliceOnly() throws Exception {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) hosts.add("node" + i + ".example.com");
        String inv = inventory(hosts);
        List<String> seen = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            TunerCli.Result r = TunerCli.run("facts", "-i", inv, "--slice", k + "/3", "--format", "json");
            assertThat(r.exitCode()).as("every host unreachable\n%s", r.screen()).isEqualTo(hostsOf(hosts, k).isEmpty() ? 0 : 1);
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.get("slices").toString()).as("the document names its slice").isEqualTo("[\"" + k + "/3\"]");
            assertThat(doc.get("hosts")).as("no host answered").isEmpty();
            List<String> names = new ArrayList<>();
            doc.get("errors").forEach(e -> names.add(e.get("host").asText()));
            assertThat(names).as("slice %d/3", k).isEqualTo(hostsOf(hosts, k));
            seen.addAll(names);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(hosts);
    }

    private static List<String> hostsOf(List<String> hosts, int k) {
        return hosts.stream().filter(new Slice(k, 3)::contains).toList();
    }

    @Test
    void aWrongSliceIsRefusedBeforeAnythingRuns() {
        String inv = inventory(List.of("a"));
        TunerCli.Result zero = TunerCli.run("facts", "-i", inv, "--slice", "0/3");
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.err()).contains("--slice: '0/3': the slice must be from 1 to 3 (slices are numbered from 1)");
        assertThat(zero.out()).isEmpty();
        TunerCli.Result count = TunerCli.run("drift", "playbook-that-is-not-read.yml", "-i", inv, "--slices", "3");
        assertThat(count.exitCode()).isEqualTo(1);
        assertThat(count.err()).contains("--slices 3 needs JOB_COMPLETION_INDEX").doesNotContain("playbook-that-is-not-read");
    }
}
