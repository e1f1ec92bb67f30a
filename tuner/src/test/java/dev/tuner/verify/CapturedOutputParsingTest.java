package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuner.testing.Shipped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The shipped metric definitions against output captured from the real tools (Debian 12: fio 3.33,
 * sysbench 1.0.20, iperf 3.12, sockperf 3.7), so a parser change is checked against real text
 * even where the tools are not installed.
 */
class CapturedOutputParsingTest {
    private final BenchmarkCatalog catalog = Shipped.catalog();

    private static String resource(String name) throws IOException {
        try (InputStream in = CapturedOutputParsingTest.class.getResourceAsStream("/verify-outputs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void fioJsonGivesMegabytesPerSecondAndIops() throws IOException {
        String out = resource("fio-3.33.json");
        BenchmarkDef disk = catalog.get("disk");
        assertThat(disk.metric("seq_read").extract(out)).isCloseTo(1512.631112, within(1e-6));
        assertThat(disk.metric("seq_write").extract(out)).isCloseTo(2188.286977, within(1e-6));
        assertThat(disk.metric("rand_read_iops").extract(out)).isCloseTo(7350.649351, within(1e-6));
        assertThat(disk.metric("rand_write_iops").extract(out)).isCloseTo(4042.957043, within(1e-6));
    }

    @Test
    void fioWarningsBeforeTheJsonAreSkipped() throws IOException {
        String out = "fio: this platform does not support process shared mutexes, forcing use of threads\n"
                + resource("fio-3.33.json");
        assertThat(catalog.get("disk").metric("seq_read").extract(out)).isCloseTo(1512.631112, within(1e-6));
    }

    @Test
    void sysbenchCpuAndMemory() throws IOException {
        assertThat(catalog.get("cpu").metric("events_per_sec").extract(resource("sysbench-1.0.20-cpu.txt"))).isEqualTo(1986.88);
        assertThat(catalog.get("memory").metric("bandwidth").extract(resource("sysbench-1.0.20-memory.txt"))).isEqualTo(14418.88);
    }

    @Test
    void networkReadsIperfJsonFollowedBySockperfText() throws IOException {
        // The network command prints iperf3's JSON, then sockperf's report, in one output.
        String out = resource("iperf3-3.12.json") + resource("sockperf-3.7.txt");
        BenchmarkDef net = catalog.get("network");
        assertThat(net.metric("throughput").extract(out)).isCloseTo(11886.610090098368, within(1e-9));
        assertThat(net.metric("latency_p50").extract(out)).isEqualTo(9.077);
    }

    @Test
    void pingSummaryFromIputilsAndBusybox() {
        MetricDef rtt = catalog.get("network-ping").metric("rtt_avg");
        assertThat(rtt.extract("rtt min/avg/max/mdev = 0.031/0.046/0.071/0.011 ms\n")).isEqualTo(0.046);
        assertThat(rtt.extract("round-trip min/avg/max = 0.060/0.082/0.110 ms\n")).isEqualTo(0.082);
    }

    @Test
    void aMissingFigureSaysWhatWasLookedFor() {
        MetricDef m = catalog.get("cpu").metric("events_per_sec");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.extract("FATAL: unknown test 'cpux'"))
                .isInstanceOf(Extractor.ParseFailure.class)
                .hasMessageContaining("events per second");
        MetricDef j = catalog.get("disk").metric("seq_read");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.extract("{\"jobs\": []}"))
                .hasMessage("$.jobs[jobname=seqread].read.bw_bytes is not in the JSON output");
    }
}
