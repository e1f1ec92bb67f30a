package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.HeldBenchmark;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.Peers;
import dev.tuner.testing.TunerCli;
import dev.tuner.testing.TunerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM sent to a real tuner process applying to two lab hosts: no new change starts,
 * the measurement running is cut short and what it started is stopped, each host's state is
 * listed (on stderr, and in the run document's {@code interrupted}), the journal says interrupted,
 * and the exit code is 130 or 143. A second SIGINT quits at once and says what it leaves.
 */
class InterruptTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Far less than the held benchmark would wait, far more than stopping takes. */
    private static final Duration PROMPT = Duration.ofSeconds(30);
    static LabHosts lab;
    static Map<String, String> before;

    @TempDir
    Path dir;

    private final List<TunerProcess> started = new java.util.ArrayList<>();

    @BeforeAll
    static void up() {
        lab = LabHosts.start(2);
        before = HostState.of(lab);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @AfterEach
    void backToBefore() {
        started.forEach(TunerProcess::close);
        HeldBenchmark.release(lab);
        for (LabHosts.Host h : lab.hosts()) {
            lab.exec(h, "rm -rf /run/tuner/lock /etc/sysctl.d/* /etc/systemd/system/*; sysctl -qw net.ipv4.tcp_fin_timeout=60;"
                    + " for f in /sys/devices/system/cpu/cpufreq/policy*/scaling_governor; do echo powersave > $f; done");
        }
        assertThat(HostState.of(lab)).as("the lab is as it was before the test").isEqualTo(before);
    }

    /** sysctl and governor, one host at a time; measured by the held benchmark, which waits only after the change. */
    private Path playbook() {
        HeldBenchmark.writeInto(dir);
        return HostState.playbook(dir, "pb.yml", """
                - hosts: lab
                  serial: 1
                  verify: {benchmarks: [held], design: before-after, vars: {only_when_fin_timeout: 23}}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                    - name: cpu
                      governor: performance
                      verify: none
                """);
    }

    private TunerProcess apply(Path playbook, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", playbook.toString(), "-i", lab.inventoryFile().toString(),
                "--journal", dir.resolve("journal").toString(), "--runs", "2", "--no-color"));
        args.addAll(List.of(more));
        TunerProcess p = TunerProcess.start(dir, args.toArray(String[]::new));
        started.add(p);
        return p;
    }

    private String onlyRunId() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("journal/runs"))) {
            List<String> ids = runs.map(p -> p.getFileName().toString()).toList();
            assertThat(ids).hasSize(1);
            return ids.get(0);
        }
    }

    private String journalStatus(String runId) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("journal/runs").resolve(runId).resolve("run.json").toFile()).get("status").asText();
    }

    private static void assertApplied(String snapshot) {
        assertThat(HostState.values(snapshot)).containsEntry("net.ipv4.tcp_fin_timeout", "23")
                .containsEntry("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "performance");
    }

    private static void assertNothingLeftRunning(String after) {
        for (LabHosts.Host h : lab.hosts()) {
            assertThat(HeldBenchmark.servers(lab, h)).as("stand-in servers on %s %s", h, after).isZero();
            assertThat(HeldBenchmark.benchmarkDirectories(lab, h)).as("benchmark directories on %s %s", h, after).isEmpty();
            assertThat(lab.exec(h, "test -e /run/tuner/lock").ok()).as("lock on %s %s", h, after).isFalse();
        }
    }

    @Test
    void sigintMidRunListsEachHostExits130AndRollbackRestoresThem() throws Exception {
        HeldBenchmark.hold(lab);
        TunerProcess run = apply(playbook(), "--format", "json");
        HeldBenchmark.awaitMeasuring(lab, lab.host("lab01"), run);
        long signalled = System.nanoTime();
        run.signal("INT");
        TunerProcess.Result r = run.waitFor(LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("the held measurement was cut short").isLessThan(PROMPT);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(130);
        String runId = onlyRunId();

        // lab01 was measuring after its changes: it keeps them; lab02, in the next batch, was never started.
        assertApplied(HostState.of(lab, lab.host("lab01")));
        assertThat(HostState.of(lab, lab.host("lab02"))).as("lab02 untouched").isEqualTo(before.get("lab02"));
        assertThat(r.err()).as(r.screen()).contains("Interrupted (SIGINT): no change was started after it. Hosts as the run left them:")
                .containsPattern("\n  lab01  changed    as planned; could not measure after the change: interrupted \\(SIGINT\\)\n")
                .containsPattern("\n  lab02  unchanged  not started: the run was interrupted \\(SIGINT\\)\n")
                .contains("To undo what this run changed: tuner rollback " + runId + " -i " + lab.inventoryFile() + " --journal " + dir.resolve("journal"));
        assertThat(journalStatus(runId)).isEqualTo("interrupted");
        assertNothingLeftRunning("after the interrupted run");

        // The run document on stdout says the same: which signal, the exit code, each host as the lab shows it.
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("run_id").asText()).isEqualTo(runId);
        assertThat(doc.get("exit_code").asInt()).as("the document's exit code is the process's").isEqualTo(r.exitCode());
        JsonNode interrupted = doc.get("interrupted");
        assertThat(interrupted.get("signal").asText()).isEqualTo("SIGINT");
        assertThat(interrupted.get("exit_code").asInt()).isEqualTo(130);
        assertThat(interrupted.get("hosts")).hasSize(2);
        assertThat(interrupted.at("/hosts/0/host").asText()).isEqualTo("lab01");
        assertThat(interrupted.at("/hosts/0/state").asText()).as("lab01 holds the change").isEqualTo("changed");
        assertThat(interrupted.at("/hosts/0/detail").asText()).isEqualTo("as planned; could not measure after the change: interrupted (SIGINT)");
        assertThat(interrupted.at("/hosts/1/host").asText()).isEqualTo("lab02");
        assertThat(interrupted.at("/hosts/1/state").asText()).as("lab02 untouched").isEqualTo("unchanged");
        assertThat(interrupted.at("/hosts/1/detail").asText()).isEqualTo("not started: the run was interrupted (SIGINT)");
        assertThat(doc.at("/plays/0/not_started").toString()).isEqualTo("[\"lab02\"]");

        assertRollbackRestores(runId);
    }

    @Test
    void sigtermWhileMeasuringBeforeChangesNothingAndExits143() throws Exception {
        HeldBenchmark.hold(lab);
        HeldBenchmark.writeInto(dir);
        Path pb = HostState.playbook(dir, "before.yml", """
                - hosts: lab
                  verify: {benchmarks: [held], design: before-after}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                """);
        TunerProcess run = apply(pb);
        for (LabHosts.Host h : lab.hosts()) HeldBenchmark.awaitMeasuring(lab, h, run);
        run.signal("TERM");
        TunerProcess.Result r = run.waitFor(LIMIT);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(143);
        assertThat(HostState.of(lab)).as("no host changed").isEqualTo(before);
        assertThat(r.err()).contains("SIGTERM: stopping.").containsPattern("\n  lab01  unchanged  ").containsPattern("\n  lab02  unchanged  ")
                .doesNotContain("To undo");
        assertThat(journalStatus(onlyRunId())).isEqualTo("interrupted");
        assertNothingLeftRunning("after SIGTERM");
    }

    @Test
    void aSecondSigintQuitsAtOnceSayingWhatItLeaves() throws Exception {
        HeldBenchmark.hold(lab);
        HeldBenchmark.writeInto(dir);
        Path pb = HostState.playbook(dir, "pb.yml", """
                - hosts: lab
                  serial: 1
                  verify: {benchmarks: [held], design: before-after, vars: {only_when_fin_timeout: 23, hold_cleanup: "yes"}}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                """);
        TunerProcess run = apply(pb);
        HeldBenchmark.awaitMeasuring(lab, lab.host("lab01"), run);
        run.signal("INT");
        // The measurement is cut short, but its cleanup runs to its end: it waits while the hosts are held.
        Thread.sleep(1500);
        assertThat(run.isAlive()).as("the first SIGINT winds down: %s", run.errSoFar()).isTrue();
        long signalled = System.nanoTime();
        run.signal("INT");
        TunerProcess.Result r = run.waitFor(LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("quit at once").isLessThan(PROMPT);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(130);
        String runId = onlyRunId();
        assertThat(r.err()).as(r.screen()).contains("SIGINT again: quitting at once. What may be left:",
                "  lab01: was measuring after: held: benchmark processes may still run there",
                "  this run's locks stay on lab01: once you have looked, 'tuner unlock lab01 -i " + lab.inventoryFile() + "' clears them",
                "the journal shows run " + runId + " as running; 'tuner rollback " + runId);
        assertThat(journalStatus(runId)).isEqualTo("running");
        assertThat(lab.exec(lab.host("lab01"), "test -e /run/tuner/lock").ok()).as("the lock it names").isTrue();
        assertThat(HeldBenchmark.servers(lab, lab.host("lab01"))).as("the stand-in server it warns about").isEqualTo(1);

        TunerCli.Result unlock = TunerCli.run("unlock", "lab01", "lab02", "-i", lab.inventoryFile().toString());
        assertThat(unlock.exitCode()).as(unlock.screen()).isZero();
        assertNothingLeftRunning("after unlock");
        assertRollbackRestores(runId);
    }

    @Test
    void anInterruptedNetworkVerificationLeavesNoIperf3OrSockperfServer() throws Exception {
        for (LabHosts.Host h : lab.hosts()) {
            Peers.require("iperf3 and sockperf", lab.exec(h, "command -v iperf3 && command -v sockperf").ok() ? null : "not installed");
        }
        Path pb = HostState.playbook(dir, "net.yml", """
                - hosts: lab
                  verify: {benchmarks: [network], vars: {duration: 30}}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                """);
        TunerProcess run = apply(pb);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!lab.exec(lab.host("lab02"), "pgrep -x sockperf && pgrep -x iperf3").ok()) {
            assertThat(run.isAlive()).as("still running: %s", run.errSoFar()).isTrue();
            assertThat(System.nanoTime()).as("servers started within %s", LIMIT).isLessThan(deadline);
            Thread.sleep(200);
        }
        run.signal("INT");
        TunerProcess.Result r = run.waitFor(LIMIT);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(130);
        for (LabHosts.Host h : lab.hosts()) {
            assertThat(lab.exec(h, "pgrep -a -x 'iperf3|sockperf'").out()).as("benchmark processes on %s", h).isEmpty();
            assertThat(HeldBenchmark.benchmarkDirectories(lab, h)).as("benchmark directories on %s", h).isEmpty();
        }
        // Interleaved rounds (the sysctl can be toggled) measure after the apply: a host holds the
        // change or is back as it was, as the state the rounds had put it in, and says which.
        for (LabHosts.Host h : lab.hosts()) {
            String fin = HostState.sysctl(lab, h, "net.ipv4.tcp_fin_timeout");
            assertThat(r.err()).as(r.screen()).containsPattern("\n  " + h.name() + "  " + (fin.equals("23") ? "changed    as planned" : "(reverted|unchanged) "));
        }
        assertRollbackRestores(onlyRunId());
    }

    /** A run SIGINTed, and when the signal was sent. */
    private record Interrupted(TunerProcess.Result result, java.time.Instant signalled) {}

    /**
     * One host in interleaved rounds, SIGINTed while the held benchmark waits, which it does while
     * net.ipv4.tcp_fin_timeout is {@code heldAt}; the run must end with exit code 130.
     */
    private Interrupted sigintInARoundHeldAt(String heldAt) {
        HeldBenchmark.hold(lab);
        HeldBenchmark.writeInto(dir);
        Path pb = HostState.playbook(dir, "rounds.yml", """
                - hosts: lab01
                  verify: {benchmarks: [held], design: interleaved, max_rounds: 6, vars: {only_when_fin_timeout: %s}}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                """.formatted(heldAt));
        TunerProcess run = apply(pb, "--format", "json");
        HeldBenchmark.awaitMeasuring(lab, lab.host("lab01"), run);
        java.time.Instant signalled = java.time.Instant.now();
        run.signal("INT");
        TunerProcess.Result r = run.waitFor(LIMIT);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(130);
        return new Interrupted(r, signalled);
    }

    @Test
    void sigintInARoundAfterTheChangesKeepsThemAsPlannedAndChangesNothingMore() throws Exception {
        Interrupted stopped = sigintInARoundHeldAt("23");
        TunerProcess.Result r = stopped.result();
        assertThat(HostState.sysctl(lab, lab.host("lab01"), "net.ipv4.tcp_fin_timeout")).isEqualTo("23");
        assertThat(r.err()).as(r.screen())
                .containsPattern("\n  lab01  changed    as planned; could not finish measuring: interrupted \\(SIGINT\\)\n");
        // The same rule as a before-after host whose measuring after was cut short: no change after the signal.
        String runId = onlyRunId();
        assertThat(changesSince(runId, "lab01", stopped.signalled())).as("changes journaled after the signal").isEmpty();
        assertNothingLeftRunning("after the interrupted rounds");

        assertRollbackRestores(runId);
    }

    @Test
    void sigintInARoundBeforeTheChangesLeavesTheHostAsItWasAndSaysSo() throws Exception {
        Interrupted stopped = sigintInARoundHeldAt("60");
        TunerProcess.Result r = stopped.result();
        // The round's toggle back, journaled like every change, left the host byte for byte as before the run.
        assertThat(HostState.of(lab, lab.host("lab01"))).as("lab01 as it was").isEqualTo(before.get("lab01"));
        assertThat(r.err()).as(r.screen()).containsPattern(
                "\n  lab01  reverted   interrupted \\(SIGINT\\) while measuring: reverted: a measuring round had put the host back in its state before the changes\n");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/interrupted/hosts/0/state").asText()).isEqualTo("reverted");
        String runId = onlyRunId();
        assertThat(changesSince(runId, "lab01", java.time.Instant.EPOCH)).as("the apply, then the toggle back").containsExactly("applied", "toggle", "applied");
        assertThat(changesSince(runId, "lab01", stopped.signalled())).as("changes journaled after the signal").isEmpty();
        assertNothingLeftRunning("after the interrupted rounds");

        assertRollbackRestores(runId);
    }

    /** {@code tuner rollback RUN} puts every host back byte for byte as it was before the test. */
    private void assertRollbackRestores(String runId) {
        TunerCli.Result rollback = TunerCli.run("rollback", runId, "-i", lab.inventoryFile().toString(), "--journal", dir.resolve("journal").toString());
        assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
        assertThat(HostState.of(lab)).as("rolled back").isEqualTo(before);
    }

    /** The events of one host's journal of a run that change the host (applied, toggle), journaled at {@code since} or later, in order. */
    private List<String> changesSince(String runId, String host, java.time.Instant since) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("journal/runs").resolve(runId).resolve("hosts").resolve(host + ".jsonl"))) {
            JsonNode e = new ObjectMapper().readTree(line);
            String event = e.get("event").asText();
            if ((event.equals("applied") || event.equals("toggle")) && !java.time.Instant.parse(e.get("time").asText()).isBefore(since)) out.add(event);
        }
        return out;
    }
}
