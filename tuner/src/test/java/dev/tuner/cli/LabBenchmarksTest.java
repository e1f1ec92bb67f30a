package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped benchmarks run for real inside a lab host over SSH (sysbench, fio, iperf3 and
 * sockperf as installed on the machine), through `tuner bench`, and their figures are parsed.
 */
class LabBenchmarksTest {
    @TempDir
    Path journal;

    @Test
    void everyShippedSuiteMeasuresInsideALabHost() throws Exception {
        LabHosts lab = LabHosts.shared();
        TunerCli.Result r = TunerCli.run("bench", "lab01", "-i", lab.inventoryFile().toString(), "--journal", journal.toString(),
                "--suite", "cpu,memory,disk,network", "--runs", "2", "--warmup", "0",
                "-e", "duration=1", "-e", "runtime=300ms", "-e", "size=16M", "--format", "json");

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode host = new ObjectMapper().readTree(r.out()).at("/hosts/lab01");
        assertThat(host.size()).isEqualTo(4);
        for (JsonNode suite : host) {
            assertThat(suite.get("status").asText()).as(suite.toString()).isEqualTo("measured");
            assertThat(suite.get("benchmark").asText()).isEqualTo(suite.get("ran").asText());
            suite.get("metrics").forEach(m -> {
                assertThat(m.get("values").size()).as(suite.toString()).isEqualTo(2);
                m.get("values").forEach(v -> assertThat(v.asDouble()).as(suite.toString()).isPositive());
            });
        }
        assertThat(host.get(2).get("metrics").fieldNames()).toIterable()
                .as("fio's four figures").hasSize(4);
        assertThat(host.get(3).get("metrics").has("throughput")).as("iperf3 throughput").isTrue();
        // The scratch file of fio is gone afterwards.
        assertThat(lab.exec("lab01", "ls /var/tmp | grep -c tuner || true").out().trim()).isEqualTo("0");
    }

    /**
     * fio's scratch file fits the room there is: on a small file system it takes half the free
     * space, and where even that is too little the benchmark refuses before writing anything,
     * saying how much it needs. The file systems are tmpfs mounted inside the lab host's own mount
     * namespace, sized here, so the free space is known independently of the tool.
     */
    @Test
    void fioSizesItsScratchFileToTheFreeSpace() throws Exception {
        LabHosts lab = LabHosts.shared();
        lab.exec("lab01", "mkdir -p /var/tmp/roomy /var/tmp/cramped && mount -t tmpfs -o size=80m tmpfs /var/tmp/roomy"
                + " && mount -t tmpfs -o size=24m tmpfs /var/tmp/cramped");
        try {
            TunerCli.Result roomy = TunerCli.run("bench", "lab01", "-i", lab.inventoryFile().toString(), "--journal", journal.toString(),
                    "--suite", "disk", "--runs", "1", "--warmup", "0", "--bench-var", "scratch_dir=/var/tmp/roomy", "--format", "json");
            assertThat(roomy.exitCode()).as(roomy.screen()).isZero();
            JsonNode suite = new ObjectMapper().readTree(roomy.out()).at("/hosts/lab01/0");
            assertThat(suite.get("status").asText()).as(suite.toString()).isEqualTo("measured");

            TunerCli.Result cramped = TunerCli.run("bench", "lab01", "-i", lab.inventoryFile().toString(), "--journal", journal.toString(),
                    "--suite", "disk", "--runs", "1", "--warmup", "0", "--bench-var", "scratch_dir=/var/tmp/cramped", "--format", "json");
            JsonNode refused = new ObjectMapper().readTree(cramped.out()).at("/hosts/lab01/0");
            assertThat(refused.get("status").asText()).as(refused.toString()).isNotEqualTo("measured");
            assertThat(refused.toString()).contains("/var/tmp/cramped has 24M free").contains("needs 32M at least");
            assertThat(lab.exec("lab01", "ls -A /var/tmp/roomy /var/tmp/cramped | grep -c tuner-fio || true").out().trim())
                    .as("no scratch file is left").isEqualTo("0");
        } finally {
            lab.exec("lab01", "umount /var/tmp/roomy /var/tmp/cramped; rmdir /var/tmp/roomy /var/tmp/cramped");
        }
    }
}
