package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LocalShell;
import dev.tuner.testing.Shipped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped benchmarks run for real on this machine with tiny durations (the tools come from
 * Debian: fio, sysbench, iperf3, sockperf). They assert what a user checks: every run produced
 * a plausible positive figure, and nothing was left behind (scratch file, listening servers).
 */
class RealBenchmarksTest {
    private final BenchmarkCatalog catalog = Shipped.catalog();
    private final BenchmarkRunner runner = new BenchmarkRunner(catalog);
    private final LocalShell host = new LocalShell("localhost");
    private final List<ProgressEvent> events = new ArrayList<>();
    private Path scratch;

    @BeforeEach
    void scratchDir() throws IOException {
        // /var/tmp, not /tmp: fio uses O_DIRECT, which tmpfs (a common /tmp) refuses.
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "tuner-verify-test");
    }

    @AfterEach
    void removeScratch() throws IOException {
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void assertAllPositive(Samples s, int runs, String... metrics) {
        assertThat(s.status()).as(s.summary()).isEqualTo(Samples.Status.MEASURED);
        for (String m : metrics) {
            assertThat(s.values(m)).as(m).hasSize(runs).allSatisfy(v -> assertThat(v).isPositive());
        }
    }

    @Test
    void sysbenchCpu() {
        Samples s = runner.run(host, catalog.get("cpu"), Map.of("duration", "1"), 0, 2, events::add);
        assertThat(s.benchmark()).isEqualTo("cpu");
        assertAllPositive(s, 2, "events_per_sec");
        assertThat(events).extracting(ProgressEvent::toString).anyMatch(e -> e.startsWith("localhost cpu: run 2/2"));
    }

    @Test
    void cpuFallbackWithoutPackages() {
        Samples s = runner.run(host, catalog.get("cpu-sh"), Map.of("iterations", "200000"), 0, 3, null);
        assertAllPositive(s, 3, "loops_per_sec");
    }

    @Test
    void sysbenchMemory() {
        Samples s = runner.run(host, catalog.get("memory"), Map.of("duration", "1"), 0, 2, null);
        assertAllPositive(s, 2, "bandwidth");
    }

    @Test
    void fioDiskLeavesNoScratchFile() throws IOException {
        Samples s = runner.run(host, catalog.get("disk"),
                Map.of("scratch_dir", scratch.toString(), "size", "8M", "runtime", "300ms"), 0, 1, events::add);
        assertAllPositive(s, 1, "seq_read", "seq_write", "rand_read_iops", "rand_write_iops");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
        assertThat(events).extracting(ProgressEvent::phase).contains(ProgressEvent.Phase.CLEANUP);
    }

    @Test
    void networkStartsItsServersAndStopsThemAfterwards() {
        int iperf = Shipped.freePort();
        int sockperf = Shipped.freePort();
        Samples s = runner.run(host, catalog.get("network"), Map.of("peer", "127.0.0.1", "duration", "1",
                "iperf_port", String.valueOf(iperf), "sockperf_port", String.valueOf(sockperf)), 0, 1, null);
        assertAllPositive(s, 1, "throughput", "latency_p50");
        assertThat(listening(iperf)).as("iperf3 server stopped").isFalse();
    }

    @Test
    void networkTakesLatencyAgainAloneWhenThroughputRanIntoItsMeasurement() {
        // iperf3 for 3 s outlasts sockperf's fixed 2-second pause, so the latency figure of that
        // sockperf run is not used: it is taken again on its own, a second sockperf of 2 + 3 s.
        int iperf = Shipped.freePort();
        int sockperf = Shipped.freePort();
        long start = System.nanoTime();
        Samples s = runner.run(host, catalog.get("network"), Map.of("peer", "127.0.0.1", "duration", "3",
                "iperf_port", String.valueOf(iperf), "sockperf_port", String.valueOf(sockperf)), 0, 1, null);
        assertAllPositive(s, 1, "throughput", "latency_p50");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("two sockperf runs of 5 s each")
                .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(10));
    }

    @Test
    void containerColdStartRunsOrSaysWhatIsMissing() {
        Samples s = runner.run(host, catalog.get("container"), Map.of(), 0, 1, null);
        if (s.status() == Samples.Status.MEASURED) {
            assertThat(s.values("cold_start")).allSatisfy(v -> assertThat(v).isPositive());
        } else {
            // Without a container runtime the user must be told which prerequisite is missing.
            assertThat(s.status()).isEqualTo(Samples.Status.SKIPPED);
            assertThat(s.message()).containsAnyOf("needs docker", "needs 'docker info' to succeed")
                    .contains("fallback container-podman needs podman");
        }
    }

    /** True when something accepts TCP connections on 127.0.0.1:port; binding fails then. */
    private static boolean listening(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
