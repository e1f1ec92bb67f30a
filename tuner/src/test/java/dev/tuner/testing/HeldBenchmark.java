package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.transport.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A benchmark that keeps a run measuring for as long as a test wants: its command waits while
 * {@value #HOLD} exists on the host, after touching {@value #MEASURING}, so a test knows when a
 * run is in the middle of a measurement and decides when it may go on. Its setup starts a
 * stand-in server ({@code sleep} {@value #SERVER_SECONDS}) with a pid file in {@code {{ run_dir }}}, as the
 * network benchmark starts iperf3. With {@code only_when_fin_timeout} set, it waits only while
 * {@code net.ipv4.tcp_fin_timeout} has that value: in the measurement after a change, not before.
 * With {@code hold_cleanup} set, the cleanup after a measurement that waited (which nothing
 * interrupts) waits too.
 */
public final class HeldBenchmark {
    public static final String NAME = "held";
    public static final String HOLD = "/tmp/tuner-test-hold";
    public static final String MEASURING = "/tmp/tuner-test-measuring";
    public static final int SERVER_SECONDS = 271;

    private static final String YAML = """
            description: waits while a file exists on the host (tests)
            requires: [sleep]
            vars:
              only_when_fin_timeout: ""
              hold_cleanup: ""
            timeout: 5m
            warmup: 0
            setup: |
              sleep %d </dev/null >/dev/null 2>&1 &
              echo $! > {{ run_dir }}/stand-in.pid
            command: |
              if [ -z {{ only_when_fin_timeout }} ] || [ "$(cat /proc/sys/net/ipv4/tcp_fin_timeout)" = {{ only_when_fin_timeout }} ]; then
                touch %s
                while [ -e %s ]; do sleep 0.2; done
              fi
              echo value=1
            cleanup: |
              if [ -n {{ hold_cleanup }} ] && [ -e %s ]; then while [ -e %s ]; do sleep 0.2; done; fi
            metrics:
              v: {regex: 'value=([0-9]+)', unit: count, better: higher}
            """.formatted(SERVER_SECONDS, MEASURING, HOLD, MEASURING, HOLD);

    private HeldBenchmark() {}

    /** Writes {@code verify/held.yml} into {@code dir}, where playbooks in {@code dir} find it. */
    public static void writeInto(Path dir) {
        try {
            Files.createDirectories(dir.resolve("verify"));
            Files.writeString(dir.resolve("verify").resolve(NAME + ".yml"), YAML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, a measurement on these hosts waits. */
    public static void hold(LabHosts lab) {
        for (LabHosts.Host h : lab.hosts()) HostState.ok(lab.exec(h, "rm -f " + MEASURING + " && touch " + HOLD));
    }

    /** Lets waiting measurements go on. */
    public static void release(LabHosts lab) {
        for (LabHosts.Host h : lab.hosts()) HostState.ok(lab.exec(h, "rm -f " + HOLD));
    }

    /** Waits until a measurement waits on {@code h}. */
    public static void awaitMeasuring(LabHosts lab, LabHosts.Host h, TunerProcess run) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!lab.exec(h, "test -e " + MEASURING).ok()) {
            if (run != null && !run.isAlive()) throw new AssertionError("tuner ended before measuring on " + h + ":\n" + run.waitFor(Duration.ZERO).screen());
            if (System.nanoTime() > deadline) throw new AssertionError("no measurement started on " + h + " within 90 s");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many stand-in servers run on {@code h}. */
    public static int servers(LabHosts lab, LabHosts.Host h) {
        ExecResult r = lab.exec(h, "ps -eo args | grep -c '^sleep " + SERVER_SECONDS + "$' || true");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Integer.parseInt(r.out().strip());
    }

    /** Benchmark directories on {@code h} ({@code /tmp/tuner-bench-*}), as {@code ls -d} lists them; empty when none. */
    public static String benchmarkDirectories(LabHosts lab, LabHosts.Host h) {
        return lab.exec(h, "ls -d /tmp/tuner-bench-* 2>/dev/null || true").out().strip();
    }
}
