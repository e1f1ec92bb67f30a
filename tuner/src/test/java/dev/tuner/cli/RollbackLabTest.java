package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.testing.FileModes;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.TunerCli;
import dev.tuner.testing.TunerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuner rollback} and {@code tuner history} on lab hosts through the command line, every
 * value and file read independently inside the hosts ({@link HostState}): a tuner process killed
 * between a change's {@code started} and {@code applied} records, a journal cut mid-line, a value
 * changed by hand since the run, an apply that failed part way, a rollback run twice.
 */
class RollbackLabTest {
    private static LabHosts lab;

    private static final String DROPIN = "/etc/sysctl.d/60-tuner.conf";
    private static final String UNIT = "/etc/systemd/system/tuner-cpufreq.service";
    private static final String WANTS_DIR = "/etc/systemd/system/multi-user.target.wants";
    private static final String WANTS = WANTS_DIR + "/tuner-cpufreq.service";
    private static final String GOVERNOR0 = "/sys/devices/system/cpu/cpufreq/policy0/scaling_governor";

    /** A drop-in someone wrote by hand: CRLF, odd spacing, no final newline. */
    private static final byte[] SEEDED = "# site defaults\r\nvm.swappiness =  33\r\n\r\n  net.ipv4.ip_forward=1\t# routing\n;old"
            .getBytes(StandardCharsets.UTF_8);

    private static final String SYSCTL_TASK = """
                - name: memory
                  sysctl:
                    vm.swappiness: 13
                    vm.dirty_ratio: 17
            """;
    private static final String GOVERNOR_TASK = """
                - name: cpu
                  governor: {governor: performance}
            """;
    private static final String OLDER_TASK = """
                - name: network
                  sysctl: {net.ipv4.tcp_fin_timeout: 23}
            """;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(4);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    private Path playbook(String name, String... tasks) {
        return HostState.playbook(tmp, name, "- name: tune\n  hosts: lab\n  tasks:\n" + String.join("", tasks));
    }

    private static TunerCli.Result tuner(String... args) {
        return TunerCli.run(args);
    }

    private static String inv() {
        return lab.inventoryFile().toString();
    }

    /** Applies on one host; returns the run id from the JSON run document. */
    private static String apply(Path playbook, Host h, Path journal, int exit) throws Exception {
        TunerCli.Result r = tuner("apply", playbook.toString(), "-i", inv(), "-l", h.name(), "--journal", journal.toString(),
                "--no-verify", "--format", "json");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(exit);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("run_id").asText();
    }

    // ------------------------------------------------------------------ a real SIGKILL

    /**
     * The kill comes while the governor kind is inside its apply: its values are set, its unit
     * written and enabled, and its {@code systemctl daemon-reload} waits on a systemd socket that
     * never answers (a listener inside the host), so the kill point does not depend on timing.
     * The sysctl kind before it was applied and journaled in full.
     */
    @Test
    void aRunKilledBetweenStartedAndAppliedIsRestoredByteForByteByTheDefaultRollback() throws Exception {
        Host h = lab.host("lab01");
        Path journal = tmp.resolve("journal");
        String older = apply(playbook("older.yml", OLDER_TASK), h, journal, 0);
        HostState.ok(lab.execArgs(h, "/bin/sh", "-c", "printf '%s' \"$1\" > " + DROPIN, "sh", new String(SEEDED, StandardCharsets.UTF_8)));
        String before = HostState.of(lab, h);
        assertThat(HostState.files(before).get(DROPIN)).isEqualTo(SEEDED);
        String swappiness = HostState.values(before).get("vm.swappiness");
        assertThat(HostState.values(before)).doesNotContainEntry("vm.swappiness", "13").doesNotContainEntry("vm.dirty_ratio", "17")
                .containsEntry(GOVERNOR0, "powersave");

        hangSystemctl(h);
        String killed;
        try (TunerProcess p = TunerProcess.start(tmp, "apply", playbook("tune.yml", SYSCTL_TASK, GOVERNOR_TASK).toString(),
                "-i", inv(), "-l", h.name(), "--journal", journal.toString(), "--no-verify", "--no-color")) {
            p.awaitWhileRunning(() -> startedGovernor(journal, older) != null && lab.exec(h, "test -L " + WANTS).exitCode() == 0,
                    Duration.ofSeconds(120), "the governor's started record and its unit enabled on " + h);
            killed = startedGovernor(journal, older);
            p.kill();
            assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        } finally {
            releaseSystemctl(h);
        }

        List<JournalEvent> events = new Journal(journal).events(killed).get(h.name());
        assertThat(events).extracting(JournalEvent::event, JournalEvent::kind).as("the journal as the kill left it").endsWith(
                org.assertj.core.groups.Tuple.tuple("started", "sysctl"), org.assertj.core.groups.Tuple.tuple("applied", "sysctl"),
                org.assertj.core.groups.Tuple.tuple("started", "governor"));
        Map<String, String> changed = HostState.values(HostState.of(lab, h));
        assertThat(changed).as("the host as the kill left it").containsEntry("vm.swappiness", "13").containsEntry(GOVERNOR0, "performance");
        assertThat(HostState.file(lab, h, UNIT)).isNotNull();

        Map<String, Row> history = history(journal);
        assertThat(history.get(killed).status()).isEqualTo("interrupted");
        assertThat(history.get(older).status()).isEqualTo("ok");

        TunerCli.Result rb = tuner("rollback", "-i", inv(), "--journal", journal.toString(), "--no-color");
        assertThat(rb.exitCode()).as(rb.screen()).isZero();
        assertThat(rb.out()).as("the latest apply that changed anything, not the older complete one")
                .contains("PLAY [rollback of " + killed + "]").doesNotContain(older);
        assertThat(rb.host(h.name())).as("the value the host holds, next to the one restored")
                .containsPattern("governor\\s+performance → powersave").containsPattern("vm.swappiness\\s+13 → " + swappiness);
        String after = HostState.of(lab, h);
        assertThat(after).as("%s exactly as before the killed run, every file byte for byte\n%s", h, rb.screen()).isEqualTo(before);
        assertThat(HostState.files(after).get(DROPIN)).isEqualTo(SEEDED);
        assertThat(HostState.files(after)).doesNotContainKeys(UNIT, WANTS, WANTS_DIR);

        Map<String, Row> afterRollback = history(journal);
        List<String> order = new ArrayList<>(afterRollback.keySet());
        assertThat(order).as("by start time").hasSize(3).startsWith(older, killed);
        Row rollback = afterRollback.get(order.get(2));
        assertThat(rollback.command()).isEqualTo("rollback");
        assertThat(rollback.status()).isEqualTo("ok");
        assertThat(afterRollback.get(killed).status()).isEqualTo("rolled back");
        assertThat(afterRollback.get(killed).about()).contains("rolled back by " + order.get(2));

        // Twice: the run is not replayed; nothing is journaled, nothing changes.
        TunerCli.Result again = tuner("rollback", killed, "-i", inv(), "--journal", journal.toString(), "--no-color");
        assertThat(again.exitCode()).as(again.screen()).isZero();
        assertThat(again.err()).contains("run " + killed + " was already rolled back by " + order.get(2), "nothing changed");
        assertThat(again.out()).contains("already rolled back by " + order.get(2)).contains("changed=0");
        assertThat(HostState.of(lab, h)).isEqualTo(before);
        assertThat(history(journal)).hasSize(3);
    }

    /** The id of the run (other than {@code not}) whose journal of lab01 has a whole started record of the governor. */
    private static String startedGovernor(Path journal, String not) {
        Journal j = new Journal(journal);
        for (var r : j.list()) {
            if (r.id().equals(not)) continue;
            List<JournalEvent> events = j.events(r.id()).get("lab01");
            if (events != null && events.stream().anyMatch(e -> e.event().equals("started") && "governor".equals(e.kind()))) return r.id();
        }
        return null;
    }

    // ------------------------------------------------------------------ a journal cut mid-line

    @Test
    void aJournalCutMidLineStillRollsBackAndItsFilesArePrivate() throws Exception {
        Host h = lab.host("lab02");
        Path site = tmp.resolve("site");
        Path journal = site.resolve(".tuner");
        Files.createDirectories(journal, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String before = HostState.of(lab, h);
        String run = apply(playbook("tune.yml", SYSCTL_TASK), h, journal, 0);
        assertThat(HostState.sysctl(lab, h, "vm.swappiness")).isEqualTo("13");

        Path runDir = journal.resolve("runs").resolve(run);
        Path hostJournal = runDir.resolve("hosts").resolve("lab02.jsonl");
        assertThat(FileModes.of(journal.resolve("runs"))).isEqualTo("700");
        assertThat(FileModes.of(runDir)).isEqualTo("700");
        assertThat(FileModes.of(runDir.resolve("hosts"))).isEqualTo("700");
        assertThat(FileModes.of(runDir.resolve("run.json"))).isEqualTo("600");
        assertThat(FileModes.of(hostJournal)).isEqualTo("600");

        // What a full disk leaves: the applied record cut in the middle, nothing after it.
        List<String> lines = Files.readAllLines(hostJournal, StandardCharsets.UTF_8);
        int applied = 0;
        while (!lines.get(applied).contains("\"event\":\"applied\"")) applied++;
        String cut = String.join("\n", lines.subList(0, applied)) + "\n" + lines.get(applied).substring(0, lines.get(applied).length() / 2);
        Files.writeString(hostJournal, cut, StandardCharsets.UTF_8);

        TunerCli.Result rb = tuner("rollback", run, "-i", inv(), "--journal", journal.toString(), "--no-color");
        assertThat(rb.exitCode()).as(rb.screen()).isZero();
        assertThat(rb.err()).contains("warning: " + hostJournal + ":" + (applied + 1) + ": a journal record cut short");
        assertThat(rb.host(h.name())).containsPattern("vm.swappiness\\s+13 → ");
        assertThat(HostState.of(lab, h)).as("%s as before the run\n%s", h, rb.screen()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ changed by hand since the run

    @Test
    void aValueChangedByHandSinceTheRunIsRefusedAndNamedAndForceRestoresIt() throws Exception {
        Host h = lab.host("lab03");
        Path journal = tmp.resolve("journal");
        String before = HostState.of(lab, h);
        String swappiness = HostState.values(before).get("vm.swappiness");
        String dirtyRatio = HostState.values(before).get("vm.dirty_ratio");
        String run = apply(playbook("tune.yml", SYSCTL_TASK), h, journal, 0);
        HostState.ok(lab.exec(h, "echo 7 > /proc/sys/vm/swappiness"));

        TunerCli.Result check = tuner("rollback", run, "-i", inv(), "--journal", journal.toString(), "--no-color", "--check");
        assertThat(check.exitCode()).as(check.screen()).isEqualTo(1);
        assertThat(HostState.sysctl(lab, h, "vm.dirty_ratio")).as("--check changes nothing").isEqualTo("17");

        TunerCli.Result rb = tuner("rollback", run, "-i", inv(), "--journal", journal.toString(), "--no-color");
        assertThat(rb.exitCode()).as(rb.screen()).isEqualTo(1);
        assertThat(rb.host(h.name()))
                .containsPattern("! vm.swappiness\\s+7 → " + swappiness + "\\s+failed: changed on the host since run " + run + " \\(the run left 13\\)")
                .contains("--force restores " + swappiness)
                .containsPattern("vm.dirty_ratio\\s+17 → " + dirtyRatio)
                .contains("left as they are (changed on the host since run " + run + ", or unreadable): sysctl vm.swappiness")
                .contains("TASK [restore sysctl: refused]");
        assertThat(rb.out()).as("what was restored and what was refused, counted apart")
                .containsPattern("lab03\\s+: ok=0\\s+changed=1\\s+unreachable=0\\s+failed=1\\s+skipped=0");
        assertThat(HostState.sysctl(lab, h, "vm.swappiness")).as("refused: the hand-set value stays").isEqualTo("7");
        assertThat(HostState.sysctl(lab, h, "vm.dirty_ratio")).isEqualTo(dirtyRatio);
        assertThat(HostState.file(lab, h, DROPIN)).as("the drop-in the run created, untouched since, is gone again").isNull();
        assertThat(history(journal).get(run).status()).as("not rolled back while an item is left").isEqualTo("ok");

        TunerCli.Result forced = tuner("rollback", run, "-i", inv(), "--journal", journal.toString(), "--no-color", "--force");
        assertThat(forced.exitCode()).as(forced.screen()).isZero();
        assertThat(forced.host(h.name())).containsPattern("vm.swappiness\\s+7 → " + swappiness).contains("restored because of --force");
        assertThat(HostState.of(lab, h)).as("%s as before the run\n%s", h, forced.screen()).isEqualTo(before);
        assertThat(history(journal).get(run).status()).isEqualTo("rolled back");
    }

    // ------------------------------------------------------------------ failed part way

    /**
     * The governor kind fails after the sysctl kind went in: its {@code systemctl daemon-reload}
     * waits on the systemd socket of a listener inside the host, which the test then kills, so
     * systemctl fails and with it enabling the unit. The host is reverted; the recap and history
     * count one task changed and one failed, and a rollback without RUN takes this apply, not the
     * older complete one (and finds nothing left to restore).
     */
    @Test
    void anApplyThatFailedPartWayIsCountedAsItHappenedAndIsTheDefaultRollback() throws Exception {
        Host h = lab.host("lab04");
        Path journal = tmp.resolve("journal");
        String older = apply(playbook("older.yml", OLDER_TASK), h, journal, 0);
        String before = HostState.of(lab, h);

        hangSystemctl(h);
        java.util.concurrent.CompletableFuture<TunerCli.Result> running = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                tuner("apply", playbook("tune.yml", SYSCTL_TASK, GOVERNOR_TASK).toString(), "-i", inv(), "-l", h.name(),
                        "--journal", journal.toString(), "--no-verify", "--no-color"));
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lab.exec(h, "test -L " + WANTS).exitCode() != 0) {
                assertThat(running).as("apply still running before its unit is enabled").isNotDone();
                assertThat(System.nanoTime()).as("unit enabled within 120 s").isLessThan(end);
                Thread.sleep(50);
            }
        } finally {
            releaseSystemctl(h);
        }
        TunerCli.Result r = running.get(120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("cannot enable tuner-cpufreq.service")
                .containsPattern(Pattern.quote(h.name()) + "\\s+: ok=0\\s+changed=1\\s+unreachable=0\\s+failed=1\\s+skipped=0");
        Map<String, Row> history = history(journal);
        String failed = new ArrayList<>(history.keySet()).get(1);
        assertThat(history.get(failed)).satisfies(row -> {
            assertThat(row.status()).isEqualTo("failed");
            assertThat(row.changed()).isEqualTo("1");
            assertThat(row.failed()).isEqualTo("1");
        });

        // The failed apply put its changes back itself: the default rollback takes it and finds nothing
        // to do, rather than undoing the older run in its place.
        TunerCli.Result rb = tuner("rollback", "-i", inv(), "--journal", journal.toString(), "--no-color");
        assertThat(rb.exitCode()).as(rb.screen()).isZero();
        assertThat(rb.out()).contains("PLAY [rollback of " + failed + "]").doesNotContain(older)
                .contains("left nothing changed on this host: it put back what it changed itself");
        assertThat(rb.err()).contains("run " + failed + " put back what it changed itself: nothing to roll back");
        assertThat(HostState.of(lab, h)).as("%s as before the failed run, the older run's value kept\n%s", h, rb.screen()).isEqualTo(before);
        assertThat(HostState.values(before)).containsEntry("net.ipv4.tcp_fin_timeout", "23");
        assertThat(history(journal)).as("nothing journaled").hasSize(2);
    }

    /** Makes {@code systemctl daemon-reload} in the host wait: a systemd private socket that accepts and never answers. */
    private static void hangSystemctl(Host h) {
        HostState.ok(lab.exec(h, "mkdir -p /run/systemd/system && setsid python3 -c '"
                + "import socket,time\ns=socket.socket(socket.AF_UNIX)\ns.bind(\"/run/systemd/private\")\ns.listen(16)\ntime.sleep(600)'"
                + " </dev/null >/dev/null 2>&1 & echo $! > /run/hang.pid"));
    }

    /** Ends the wait: the listener goes (a waiting systemctl fails) and so does the sign of a running systemd. */
    private static void releaseSystemctl(Host h) {
        HostState.ok(lab.exec(h, "kill $(cat /run/hang.pid); rm -rf /run/systemd /run/hang.pid"));
    }

    // ------------------------------------------------------------------ helpers

    record Row(String id, String started, String command, String status, String hosts, String changed, String failed, String about) {}

    private static final Pattern ROW = Pattern.compile(
            "^(\\d{8}-\\d{6}-\\S+)\\s+(\\S+ \\S+)\\s+(\\S+)\\s+(running|ok|failed|regressed|interrupted|rolled back)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(.*)$");

    /** `tuner history` rows by run id, in the order printed. */
    private static Map<String, Row> history(Path journal) {
        TunerCli.Result r = tuner("history", "-i", inv(), "--journal", journal.toString());
        assertThat(r.exitCode()).as(r.screen()).isZero();
        Map<String, Row> out = new LinkedHashMap<>();
        for (String line : r.out().lines().skip(1).toList()) {
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("history row '%s' in\n%s", line, r.out()).isTrue();
            out.put(m.group(1), new Row(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)));
        }
        return out;
    }

}
