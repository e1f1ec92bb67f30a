package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunListener;
import dev.tuner.run.RunOptions;
import dev.tuner.run.RunResult;
import dev.tuner.run.Runner;
import dev.tuner.run.TagFilter;
import dev.tuner.run.Target;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, "Done when": an sshd killed in the middle of an apply leaves that host reverted or
 * clearly reported while the other hosts finish. The kill happens at a fixed point of the apply —
 * when the runner announces "applying governor" for the victim, after its sysctl values and drop-in
 * were already changed — so the test does not depend on timing.
 */
class MidApplyFailureTest {
    private static final String PLAYBOOK = """
            - name: mid-apply
              hosts: lab
              tasks:
                - name: memory and network
                  sysctl:
                    vm.swappiness: 13
                    net.ipv4.tcp_fin_timeout: 23
                - name: cpu
                  governor: {governor: performance, no_turbo: true}
            """;

    /** Kills, inside the victim host, the sshd processes serving existing connections (the listener stays). */
    private static final String KILL_CONNECTIONS = "l=$(cat /run/sshd.pid); n=0; for s in /proc/[0-9]*/status; do"
            + " pp=$(awk '/^PPid:/{print $2}' \"$s\" 2>/dev/null); d=${s%/status};"
            + " if [ \"$pp\" = \"$l\" ]; then kill -9 \"${d#/proc/}\" && n=$((n+1)); fi; done; echo $n";

    /** Kills every sshd process inside the victim host (run after `lab/lab sshd HOST stop` took the listener). */
    private static final String KILL_ALL_SSHD = "n=0; for c in /proc/[0-9]*/comm; do d=${c%/comm};"
            + " if [ \"$(cat \"$c\" 2>/dev/null)\" = sshd ]; then kill -9 \"${d#/proc/}\" && n=$((n+1)); fi; done; echo $n";

    /** Runs the playbook through the real Runner over SSH, calling {@code onGovernor} when the victim reaches its governor task. */
    private static RunResult apply(LabHosts lab, Path tmp, Journal journal, String victim, Runnable onGovernor, AtomicInteger fired) {
        Playbook pb = PlaybookParser.load(HostState.playbook(tmp, "pb.yml", PLAYBOOK));
        Inventory inv = Inventory.fromFile(lab.inventoryFile());
        RunJournal rj = journal.begin("apply", pb.displayName(), List.of(lab.inventoryFile().toString()), null);
        RunListener listener = new RunListener() {
            @Override
            public void hostStarted(String host, String what) {
                if (host.equals(victim) && what.equals("applying governor") && fired.getAndIncrement() == 0) onGovernor.run();
            }
        };
        Runner runner = new Runner(new RunOptions(Mode.APPLY, 10, TagFilter.of(List.of(), List.of()), Map.of()),
                t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults()), listener, rj);
        RunResult result = runner.run(pb, pattern -> {
            PatternResult r = inv.match(pattern, null);
            return new Runner.Selection(r.hosts().stream().map(h -> new Target(h.name(), h.vars(), h.groupNames())).toList(), r.unmatched());
        });
        rj.finish(result.anyFailed() ? "failed" : "ok", Map.of());
        return result;
    }

    private static Map<String, HostResult> byHost(RunResult r) {
        return r.plays().get(0).results().stream().collect(Collectors.toMap(HostResult::host, h -> h));
    }

    private static void assertApplied(LabHosts lab, Host h) {
        Map<String, String> v = HostState.values(HostState.of(lab, h));
        assertThat(v).as("%s finished its apply", h).containsEntry("vm.swappiness", "13").containsEntry("net.ipv4.tcp_fin_timeout", "23")
                .containsEntry("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "performance")
                .containsEntry("/sys/devices/system/cpu/intel_pstate/no_turbo", "1");
    }

    @Test
    void aDroppedConnectionMidApplyIsRevertedOnReconnectAndTheOtherHostsFinish(@TempDir Path tmp) {
        try (LabHosts lab = LabHosts.start(3)) {
            Host victim = lab.host("lab02");
            String before = HostState.of(lab, victim);
            AtomicInteger fired = new AtomicInteger();
            AtomicInteger killed = new AtomicInteger();
            RunResult r = apply(lab, tmp, new Journal(tmp.resolve("journal")), victim.name(),
                    () -> killed.set(Integer.parseInt(HostState.ok(lab.exec(victim, KILL_CONNECTIONS)).strip())), fired);
            assertThat(fired).as("the kill point was reached once").hasValue(1);
            assertThat(killed.get()).as("sshd connection processes killed on %s", victim).isPositive();

            HostResult v = byHost(r).get("lab02");
            assertThat(v.status()).as("%s", v).isIn(HostResult.Status.UNREACHABLE, HostResult.Status.FAILED);
            assertThat(v.error()).as("%s", v).contains("governor");
            assertThat(v.leftState()).as("%s", v).startsWith("reverted to its previous state");
            assertThat(HostState.of(lab, victim)).as("%s exactly as before the apply", victim).isEqualTo(before);
            for (String other : List.of("lab01", "lab03")) {
                assertThat(byHost(r).get(other).status()).as("%s", byHost(r).get(other)).isEqualTo(HostResult.Status.CHANGED);
                assertApplied(lab, lab.host(other));
            }
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aKilledSshdIsReportedWithItsStateAndTheRollbackHintThenRollbackRestoresIt(@TempDir Path tmp) {
        try (LabHosts lab = LabHosts.start(3)) {
            Host victim = lab.host("lab03");
            String before = HostState.of(lab, victim);
            Path journalDir = tmp.resolve("journal");
            AtomicInteger fired = new AtomicInteger();
            AtomicInteger killed = new AtomicInteger();
            RunResult r = apply(lab, tmp, new Journal(journalDir), victim.name(), () -> {
                HostState.labCommand(lab, "sshd", victim.name(), "stop");
                killed.set(Integer.parseInt(HostState.ok(lab.exec(victim, KILL_ALL_SSHD)).strip()));
            }, fired);
            assertThat(fired).hasValue(1);
            assertThat(killed.get()).as("sshd connection processes killed on %s", victim).isPositive();

            HostResult v = byHost(r).get("lab03");
            assertThat(v.status()).as("%s", v).isIn(HostResult.Status.UNREACHABLE, HostResult.Status.FAILED);
            assertThat(v.error()).as("%s", v).contains("governor");
            assertThat(v.leftState()).as("%s", v).contains("could not revert", "tuner rollback " + r.runId());
            Map<String, String> left = HostState.values(HostState.of(lab, victim));
            assertThat(left).as("the sysctl task was applied before the kill: the state the report describes")
                    .containsEntry("vm.swappiness", "13").containsEntry("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "powersave");
            for (String other : List.of("lab01", "lab02")) {
                assertThat(byHost(r).get(other).status()).as("%s", byHost(r).get(other)).isEqualTo(HostResult.Status.CHANGED);
                assertApplied(lab, lab.host(other));
            }

            HostState.labCommand(lab, "sshd", victim.name(), "start");
            TunerCli.Result rollback = TunerCli.run("rollback", r.runId(), "-i", lab.inventoryFile().toString(), "--journal", journalDir.toString(),
                    "-l", victim.name());
            assertThat(rollback.exitCode()).as("tuner rollback %s -l %s\n%s", r.runId(), victim, rollback.screen()).isZero();
            assertThat(HostState.of(lab, victim)).as("%s exactly as before the apply", victim).isEqualTo(before);
            assertApplied(lab, lab.host("lab01"));
        }
    }
}
