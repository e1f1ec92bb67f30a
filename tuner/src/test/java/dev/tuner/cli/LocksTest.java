package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.HeldBenchmark;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import dev.tuner.testing.TunerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per host at a time, with real processes on two lab hosts: a second apply is refused,
 * naming the holder, and changes nothing; it waits with --lock-timeout; the journal has a lock of
 * its own; a run killed with SIGKILL leaves a lock that is recognised as stale and that
 * {@code tuner unlock} clears, stopping what its benchmark left running.
 */
class LocksTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    static LabHosts lab;

    @TempDir
    Path dir;

    private final List<TunerProcess> started = new java.util.ArrayList<>();

    @BeforeAll
    static void up() {
        lab = LabHosts.start(2);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @AfterEach
    void letGo() {
        started.forEach(TunerProcess::close);
        HeldBenchmark.release(lab);
        for (LabHosts.Host h : lab.hosts()) lab.exec(h, "rm -rf /run/tuner/lock; sysctl -qw net.ipv4.tcp_fin_timeout=60");
    }

    /** Sets net.ipv4.tcp_fin_timeout; measured with the held benchmark, which waits before the change while the hosts are held. */
    private Path playbook(String name, int finTimeout) {
        HeldBenchmark.writeInto(dir);
        return HostState.playbook(dir, name, """
                - hosts: lab
                  verify: {benchmarks: [held], design: before-after}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: %d}
                """.formatted(finTimeout));
    }

    private TunerProcess tuner(Path dir, String... args) {
        TunerProcess p = TunerProcess.start(dir, args);
        started.add(p);
        return p;
    }

    private String inventory() {
        return lab.inventoryFile().toString();
    }

    private static String runIdIn(Path journal) throws IOException {
        try (Stream<Path> runs = Files.list(journal.resolve("runs"))) {
            List<String> ids = runs.map(p -> p.getFileName().toString()).toList();
            assertThat(ids).as("runs in %s", journal).hasSize(1);
            return ids.get(0);
        }
    }

    private String finTimeout(String host) {
        return HostState.sysctl(lab, lab.host(host), "net.ipv4.tcp_fin_timeout");
    }

    /** "user@machine, pid N", as the machine itself names them (not as the tool does). */
    private static String holder(TunerProcess p) throws IOException {
        String machine = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        return System.getProperty("user.name") + "@" + machine + ", pid " + p.pid();
    }

    @Test
    void aSecondApplyIsRefusedNamingTheHolderThenWaitsForItWithLockTimeout() throws Exception {
        HeldBenchmark.hold(lab);
        Path j1 = dir.resolve("j1");
        TunerProcess first = tuner(dir, "apply", playbook("first.yml", 23).toString(), "-i", inventory(), "--journal", j1.toString(),
                "--runs", "2", "--no-color");
        for (LabHosts.Host h : lab.hosts()) HeldBenchmark.awaitMeasuring(lab, h, first);
        String runId = runIdIn(j1);
        String owner = HostState.ok(lab.exec(lab.host("lab01"), "cat /run/tuner/lock/owner"));
        assertThat(owner).as("the lock on the host names its holder").contains("run=" + runId + "\n", "pid=" + first.pid() + "\n", "command=apply\n");

        TunerProcess second = tuner(dir, "apply", playbook("second.yml", 33).toString(), "-i", inventory(),
                "--journal", dir.resolve("j2").toString(), "--no-verify", "--no-color");
        TunerProcess.Result refused = second.waitFor(LIMIT);
        assertThat(refused.exitCode()).as(refused.screen()).isEqualTo(1);
        for (String h : List.of("lab01", "lab02")) {
            assertThat(refused.out()).as(refused.screen()).contains("HOST " + h + "  FAILED: host " + h + " is locked by run " + runId
                    + " (apply) of " + holder(first) + ", since ");
            assertThat(finTimeout(h)).as("%s untouched by the refused run (and not yet by the held one)", h).isEqualTo("60");
        }
        assertThat(refused.out()).contains("that process is running; --lock-timeout to wait for it");

        // The same journal: refused before anything, by the journal's own lock.
        TunerCli.Result sameJournal = TunerCli.run("apply", playbook("second.yml", 33).toString(), "-i", inventory(), "--journal", j1.toString(),
                "--no-verify");
        assertThat(sameJournal.exitCode()).as(sameJournal.screen()).isEqualTo(1);
        assertThat(sameJournal.err()).contains("journal " + j1 + " is locked by run " + runId + " (apply) of " + holder(first));
        assertThat(runIdIn(j1)).as("the refused run journaled nothing").isEqualTo(runId);

        // unlock refuses a lock whose holder still runs here.
        TunerCli.Result unlock = TunerCli.run("unlock", "lab01", "-i", inventory());
        assertThat(unlock.exitCode()).as(unlock.screen()).isEqualTo(1);
        assertThat(unlock.out()).contains("lab01: held by run " + runId, "which is still running on this machine; not cleared");

        // Waiting for the journal's lock, nothing has started: a SIGINT quits at once.
        TunerProcess interrupted = tuner(dir, "apply", playbook("second.yml", 33).toString(), "-i", inventory(), "--journal", j1.toString(),
                "--no-verify", "--lock-timeout", "2m");
        Thread.sleep(2000);
        interrupted.signal("INT");
        TunerProcess.Result gaveUp = interrupted.waitFor(LIMIT);
        assertThat(gaveUp.exitCode()).as(gaveUp.screen()).isEqualTo(130);
        assertThat(gaveUp.err()).contains("SIGINT: quitting; no host was being changed.");
        assertThat(runIdIn(j1)).isEqualTo(runId);

        TunerProcess waiting = tuner(dir, "apply", playbook("second.yml", 33).toString(), "-i", inventory(),
                "--journal", dir.resolve("j2").toString(), "--no-verify", "--no-color", "--lock-timeout", "2m");
        Thread.sleep(2000);
        assertThat(waiting.isAlive()).as("waits for the lock").isTrue();
        HeldBenchmark.release(lab);
        TunerProcess.Result done = first.waitFor(LIMIT);
        assertThat(done.exitCode()).as(done.screen()).isZero();
        TunerProcess.Result after = waiting.waitFor(LIMIT);
        assertThat(after.exitCode()).as(after.screen()).isZero();
        for (String h : List.of("lab01", "lab02")) assertThat(finTimeout(h)).as("%s: the waiting run came second", h).isEqualTo("33");
        for (LabHosts.Host h : lab.hosts()) {
            assertThat(lab.exec(h, "test -e /run/tuner/lock").ok()).as("lock on %s released", h).isFalse();
        }
    }

    @Test
    void aKilledRunLeavesAStaleLockThatUnlockClearsWithWhatItsBenchmarkLeftRunning() throws Exception {
        HeldBenchmark.hold(lab);
        Path j1 = dir.resolve("j1");
        TunerProcess killed = tuner(dir, "apply", playbook("first.yml", 23).toString(), "-i", inventory(), "--journal", j1.toString(),
                "--runs", "2");
        for (LabHosts.Host h : lab.hosts()) HeldBenchmark.awaitMeasuring(lab, h, killed);
        String runId = runIdIn(j1);
        killed.signal("KILL");
        assertThat(killed.waitFor(LIMIT).exitCode()).isEqualTo(128 + 9);
        for (LabHosts.Host h : lab.hosts()) assertThat(HeldBenchmark.servers(lab, h)).as("the killed run's stand-in server on %s", h).isEqualTo(1);

        TunerCli.Result refused = TunerCli.run("apply", playbook("second.yml", 33).toString(), "-i", inventory(), "--journal", dir.resolve("j2").toString(),
                "--no-verify", "--no-color");
        assertThat(refused.exitCode()).as(refused.screen()).isEqualTo(1);
        assertThat(refused.out()).contains("host lab01 is locked by run " + runId + " (apply) of " + holder(killed),
                "(that process is gone: the lock is stale; check the host, then clear it with 'tuner unlock lab01 -i " + inventory() + "')");

        TunerCli.Result unlock = TunerCli.run("unlock", "lab01", "lab02", "-i", inventory());
        assertThat(unlock.exitCode()).as(unlock.screen()).isZero();
        for (LabHosts.Host h : lab.hosts()) {
            assertThat(unlock.out()).contains(h.name() + ": cleared the stale lock of run " + runId);
            assertThat(lab.exec(h, "test -e /run/tuner/lock").ok()).as("lock on %s", h).isFalse();
            assertThat(HeldBenchmark.servers(lab, h)).as("stand-in server on %s stopped by unlock", h).isZero();
            assertThat(HeldBenchmark.benchmarkDirectories(lab, h)).as("benchmark directories on %s", h).isEmpty();
        }
        assertThat(unlock.out()).contains("stopped a leftover benchmark process: stand-in.pid ", "'tuner rollback " + runId + " -i " + inventory() + "'");

        TunerCli.Result now = TunerCli.run("apply", playbook("second.yml", 33).toString(), "-i", inventory(), "--journal", dir.resolve("j2").toString(),
                "--no-verify");
        assertThat(now.exitCode()).as(now.screen()).isZero();
        assertThat(finTimeout("lab01")).isEqualTo("33");
    }

    /**
     * A run caught between creating the lock directory and writing its owner record (two applies
     * started together meet there) is named once it has written it, not reported as a lock whose
     * holder died taking it, which would send the operator to {@code unlock --force} a live run.
     */
    @Test
    void aRunCaughtTakingTheLockIsNamedOnceItHasWrittenItsRecord() {
        LabHosts.Host h = lab.host("lab01");
        // The record is written a moment after the apply's SSH session appears, while it looks at the lock (the
        // bracket keeps pgrep from finding the shell that runs it).
        HostState.ok(lab.exec(h, "mkdir -p /run/tuner && mkdir /run/tuner/lock && { (i=0; while ! pgrep -f 'sshd: roo[t]@' >/dev/null"
                + " && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done; sleep 0.3; printf 'run=20260101-000000-abcd\\ncommand=apply\\n"
                + "user=ops\\nmachine=elsewhere\\nmachine_id=00000000000000000000000000000000\\npid=4242\\npid_started=\\n"
                + "since=2026-01-01T00:00:00Z\\n' > /run/tuner/lock/owner.new && mv /run/tuner/lock/owner.new /run/tuner/lock/owner)"
                + " </dev/null >/dev/null 2>&1 & }"));
        TunerCli.Result r = TunerCli.run("apply", playbook("pb.yml", 23).toString(), "-i", inventory(), "-l", "lab01",
                "--journal", dir.resolve("journal").toString(), "--no-verify", "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).as(r.screen()).contains("host lab01 is locked by run 20260101-000000-abcd (apply) of ops@elsewhere, pid 4242")
                .doesNotContain("no owner record");
        assertThat(HostState.sysctl(lab, h, "net.ipv4.tcp_fin_timeout")).isEqualTo("60");
    }

    @Test
    void aLockHeldFromAnotherMachineIsClearedOnlyWithForce() {
        LabHosts.Host h = lab.host("lab01");
        HostState.ok(lab.exec(h, "mkdir -p /run/tuner/lock && printf 'run=20260101-000000-abcd\\ncommand=apply\\nuser=ops\\nmachine=elsewhere\\n"
                + "machine_id=00000000000000000000000000000000\\npid=4242\\npid_started=\\nsince=2026-01-01T00:00:00Z\\n' > /run/tuner/lock/owner"));
        TunerCli.Result plain = TunerCli.run("unlock", "lab01", "-i", inventory());
        assertThat(plain.exitCode()).as(plain.screen()).isEqualTo(1);
        assertThat(plain.out()).contains("lab01: held by run 20260101-000000-abcd (apply) of ops@elsewhere, pid 4242",
                "on another machine: whether pid 4242 still runs can be checked only on elsewhere; not cleared (check there, then repeat with --force)");
        assertThat(lab.exec(h, "test -e /run/tuner/lock/owner").ok()).isTrue();

        TunerCli.Result forced = TunerCli.run("unlock", "lab01", "-i", inventory(), "--force");
        assertThat(forced.exitCode()).as(forced.screen()).isZero();
        assertThat(forced.out()).contains("lab01: cleared the lock of run 20260101-000000-abcd");
        assertThat(lab.exec(h, "test -e /run/tuner/lock").ok()).isFalse();
    }
}
