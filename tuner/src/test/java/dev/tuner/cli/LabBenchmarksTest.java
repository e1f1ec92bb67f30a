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
}
