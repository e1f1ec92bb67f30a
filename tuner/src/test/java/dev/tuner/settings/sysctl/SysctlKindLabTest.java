package dev.tuner.settings.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.cli.Main;
import dev.tuner.testing.HostState;
import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
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
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysctl kind against a lab host over SSH, through the real runner and journal. */
class SysctlKindLabTest {
    private static final String DROPIN = "/etc/sysctl.d/60-tuner.conf";
    private static final String PLAYBOOK = """
            - name: edited drop-in
              hosts: lab
              tasks:
                - name: memory and network
                  sysctl:
                    vm.swappiness: 13
                    net.ipv4.tcp_fin_timeout: 23
            """;

    /**
     * Someone writes the drop-in by hand after the plan read it and before the apply writes it
     * (the runner announcing "applying sysctl" is that moment): the apply refuses to overwrite it
     * and leaves it as edited, the running values it had set go back, the task fails saying so,
     * and the journal records the failed changes, so a rollback of the run has nothing to undo.
     */
    @Test
    void aDropInEditedBetweenPlanAndApplyIsLeftAsEditedAndTheRunningValuesGoBack(@TempDir Path tmp) {
        try (LabHosts lab = LabHosts.start(1)) {
            Host h = lab.host("lab01");
            String swappiness = HostState.sysctl(lab, h, "vm.swappiness");
            String finTimeout = HostState.sysctl(lab, h, "net.ipv4.tcp_fin_timeout");
            assertThat(List.of(swappiness, finTimeout)).as("the lab starts away from the playbook's values").doesNotContain("13", "23");
            assertThat(HostState.file(lab, h, DROPIN)).as("no drop-in at first").isNull();
            String edited = "# written by hand while tuner was applying\nvm.swappiness = 40\n";
            Journal journal = new Journal(tmp.resolve("journal"));

            RunResult r = apply(lab, tmp, journal, "applying sysctl",
                    () -> HostState.ok(lab.execArgs(h, "/bin/sh", "-c", "printf '%s' \"$1\" > " + DROPIN, "sh", edited)));

            assertThat(r.exitCode()).isEqualTo(1);
            HostResult result = r.plays().get(0).results().get(0);
            assertThat(result.status()).as("%s", result).isEqualTo(HostResult.Status.FAILED);
            TaskResult task = result.tasks().get(0);
            assertThat(task.status()).isEqualTo(TaskResult.Status.FAILED);
            assertThat(task.changes()).extracting(Change::key).containsExactly("vm.swappiness", "net.ipv4.tcp_fin_timeout");
            assertThat(task.changes()).allSatisfy(c -> {
                assertThat(c.state()).isEqualTo(ChangeState.FAILED);
                assertThat(c.note()).contains(DROPIN + " changed on the host since it was read", "nothing was written to it",
                        "running value put back to " + c.current());
            });

            assertThat(new String(HostState.file(lab, h, DROPIN), StandardCharsets.UTF_8)).as("the hand edit is kept").isEqualTo(edited);
            assertThat(HostState.sysctl(lab, h, "vm.swappiness")).isEqualTo(swappiness);
            assertThat(HostState.sysctl(lab, h, "net.ipv4.tcp_fin_timeout")).isEqualTo(finTimeout);

            List<JournalEvent> applied = journal.events(r.runId()).get("lab01").stream()
                    .filter(e -> JournalEvent.APPLIED.equals(e.event())).toList();
            assertThat(applied).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("sysctl");
                assertThat(e.report().changes()).extracting(Change::state).containsOnly(ChangeState.FAILED);
                assertThat(e.report().filesWritten()).isEmpty();
            });

            String before = HostState.of(lab, h);
            assertThat(Main.run("rollback", r.runId(), "-i", lab.inventoryFile().toString(), "--journal", journal.dir().toString()))
                    .as("rollback of the failed run").isZero();
            assertThat(HostState.of(lab, h)).as("nothing to undo").isEqualTo(before);
        }
    }

    /** Runs the playbook through the real Runner over SSH, calling {@code hook} once when lab01 announces {@code moment}. */
    private static RunResult apply(LabHosts lab, Path tmp, Journal journal, String moment, Runnable hook) {
        Playbook pb = PlaybookParser.load(HostState.playbook(tmp, "pb.yml", PLAYBOOK));
        Inventory inv = Inventory.fromFile(lab.inventoryFile());
        RunJournal rj = journal.begin("apply", pb.displayName(), List.of(lab.inventoryFile().toString()), null);
        boolean[] fired = {false};
        RunListener listener = new RunListener() {
            @Override
            public void hostStarted(String host, String what) {
                if (host.equals("lab01") && what.equals(moment) && !fired[0]) {
                    fired[0] = true;
                    hook.run();
                }
            }
        };
        Runner runner = new Runner(new RunOptions(Mode.APPLY, 10, TagFilter.of(List.of(), List.of()), Map.of()),
                t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults()), listener, rj);
        RunResult result = runner.run(pb, pattern -> {
            PatternResult m = inv.match(pattern, null);
            return new Runner.Selection(m.hosts().stream().map(x -> new Target(x.name(), x.vars(), x.groupNames())).toList(), m.unmatched());
        });
        rj.finish(result.anyFailed() ? "failed" : "ok", Map.of());
        assertThat(fired[0]).as("lab01 reached '%s'", moment).isTrue();
        return result;
    }
}
