package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.FullDisk;
import dev.tuner.testing.HeldBenchmark;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import dev.tuner.testing.TunerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk under the journal is full when the operator rolls back (it filled up during the apply,
 * or since). Putting the hosts back comes first: the rollback restores every host byte for byte
 * (read inside the hosts, {@link HostState}) and says that it could not journal itself; once there
 * is room, rolling back again finds the hosts as before and records it.
 */
class FullJournalDiskTest {
    private static LabHosts lab;
    private static Map<String, String> before;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(2);
        before = HostState.of(lab);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @Test
    void aRollbackOnAFullDiskRestoresEveryHostAndSaysItCouldNotBeJournaled() throws Exception {
        Path playbook = HostState.playbook(tmp, "pb.yml", """
                - hosts: lab
                  tasks:
                    - name: memory and network
                      sysctl: {vm.swappiness: 13, net.ipv4.tcp_fin_timeout: 23}
                """);
        Path journal = tmp.resolve("journal");
        String inv = lab.inventoryFile().toString();
        TunerCli.Result applied = TunerCli.run("apply", playbook.toString(), "-i", inv, "--journal", journal.toString(), "--no-verify");
        assertThat(applied.exitCode()).as(applied.screen()).isZero();
        assertThat(HostState.of(lab)).as("the apply changed the hosts").isNotEqualTo(before);

        Path mount = Files.createDirectory(tmp.resolve("full"));
        TunerProcess.Result full;
        try (TunerProcess p = TunerProcess.startIn(FullDisk.wrapper(mount, journal), tmp, "rollback", "-i", inv,
                "--journal", mount.resolve(FullDisk.JOURNAL).toString(), "--no-color")) {
            full = p.waitFor(Duration.ofSeconds(120));
        }
        assertThat(HostState.of(lab)).as("every host restored byte for byte on a full disk:\n%s", full.screen()).isEqualTo(before);
        assertThat(full.exitCode()).as(full.screen()).isEqualTo(1);
        for (LabHosts.Host h : lab.hosts()) {
            assertThat(full.out()).as(full.screen()).containsPattern("HOST " + h.name() + "  FAILED: this rollback could not be journaled"
                    + " \\(cannot write journal [^)]*: No space left on device[^)]*\\): its record is incomplete");
        }

        // With room again: the same run rolled back once more finds everything as before, and history records it.
        TunerCli.Result again = TunerCli.run("rollback", "-i", inv, "--journal", journal.toString(), "--no-color");
        assertThat(again.exitCode()).as(again.screen()).isZero();
        assertThat(again.out()).as(again.screen()).contains("is already as it was before it");
        assertThat(HostState.of(lab)).isEqualTo(before);
        TunerCli.Result history = TunerCli.run("history", "-i", inv, "--journal", journal.toString());
        assertThat(history.out()).as(history.screen()).containsPattern("apply .*rolled back");
    }

    /**
     * The journal takes every host's records but not the run's end: the apply still prints its
     * report (here the run document), says on stderr what is missing and how to undo the run, and
     * exits 1. The end is made unwritable inside the tool's own mount namespace: a file bound over
     * the run's run.json, which the tool replaces by renaming a new file over it (refused: EBUSY).
     */
    @Test
    void anApplyWhoseEndCannotBeJournaledStillReportsItsRunAndExits1() throws Exception {
        HeldBenchmark.writeInto(tmp);
        HeldBenchmark.hold(lab);
        Path playbook = HostState.playbook(tmp, "held.yml", """
                - hosts: lab01
                  verify: {benchmarks: [held], design: before-after, vars: {only_when_fin_timeout: 23}}
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 23}
                """);
        Path journal = tmp.resolve("journal");
        String inv = lab.inventoryFile().toString();
        TunerProcess.Result r;
        String runId;
        try (TunerProcess p = TunerProcess.startIn(List.of("unshare", "--mount", "--propagation", "private"), tmp, "apply", playbook.toString(),
                "-i", inv, "--journal", journal.toString(), "--runs", "2", "--format", "json")) {
            runId = endUnwritableWhileHeld(p, journal);
            r = p.waitFor(Duration.ofSeconds(120));
        }

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/plays/0/results/0/status").asText()).as(r.out()).isEqualTo("changed");
        assertThat(doc.get("end_not_journaled").asText()).contains("could not be journaled", "cannot write journal");
        assertThat(doc.get("exit_code").asInt()).as("the document's exit code is the process's").isEqualTo(1);
        assertThat(r.err()).as(r.screen()).contains("tuner: the end of run " + runId + " could not be journaled (cannot write journal ",
                "every host's records were written before it, so 'tuner rollback " + runId + " -i " + inv + " --journal " + journal + "' can undo it");
        assertThat(HostState.sysctl(lab, lab.host("lab01"), "net.ipv4.tcp_fin_timeout")).isEqualTo("23");

        TunerCli.Result rollback = TunerCli.run("rollback", runId, "-i", inv, "--journal", journal.toString(), "--no-color");
        assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
        assertThat(HostState.of(lab)).as("rolled back from the hosts' records").isEqualTo(before);
    }

    /** The same for {@code tuner bench}: the figures are shown, stderr says the run's end is missing, exit 1. */
    @Test
    void aBenchWhoseEndCannotBeJournaledStillShowsItsFigures() throws Exception {
        HeldBenchmark.writeInto(tmp);
        HeldBenchmark.hold(lab);
        Path journal = tmp.resolve("bench-journal");
        TunerProcess.Result r;
        String runId;
        try (TunerProcess p = TunerProcess.startIn(List.of("unshare", "--mount", "--propagation", "private"), tmp, "bench", "lab01",
                "-i", lab.inventoryFile().toString(), "--journal", journal.toString(), "--verify-dir", tmp.resolve("verify").toString(),
                "--suite", HeldBenchmark.NAME, "--runs", "2", "--warmup", "0", "--no-color")) {
            runId = endUnwritableWhileHeld(p, journal);
            r = p.waitFor(Duration.ofSeconds(120));
        }
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).as(r.screen()).containsPattern("lab01 +held +v +1\\.00 +0\\.00 +2  count");
        assertThat(r.err()).as(r.screen()).contains("tuner: the end of run " + runId + " could not be journaled (cannot write journal ",
                "its figures were journaled before it");
    }

    /**
     * Once the held benchmark measures on lab01, binds a file over the run's run.json inside the
     * tool's mount namespace (the tool's rename over it is then refused), and lets it go on;
     * returns the run's id.
     */
    private static String endUnwritableWhileHeld(TunerProcess p, Path journal) throws Exception {
        try {
            HeldBenchmark.awaitMeasuring(lab, lab.host("lab01"), p);
            String runId;
            try (Stream<Path> runs = Files.list(journal.resolve("runs"))) {
                runId = runs.findFirst().orElseThrow().getFileName().toString();
            }
            Process bind = new ProcessBuilder("nsenter", "--target", String.valueOf(p.pid()), "--mount", "mount", "--bind", "/dev/null",
                    journal.resolve("runs").resolve(runId).resolve("run.json").toString()).redirectErrorStream(true).start();
            assertThat(bind.waitFor()).as(new String(bind.getInputStream().readAllBytes())).isZero();
            return runId;
        } finally {
            HeldBenchmark.release(lab);
        }
    }
}
