package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.lock.HostLocks;
import dev.tuner.lock.LockOwner;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunControl;
import dev.tuner.run.RunListener;
import dev.tuner.run.RunOptions;
import dev.tuner.run.RunResult;
import dev.tuner.run.Runner;
import dev.tuner.run.TagFilter;
import dev.tuner.run.Target;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import dev.tuner.transport.StopRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop requested while a host is in the middle of its changes, at a fixed point (when the
 * runner announces its first kind, so the test does not depend on timing): that kind is applied
 * to its end, the next is not started, and what was applied is reverted, so the host ends as it
 * was. The host after it, one at a time, is not started.
 */
class InterruptMidApplyTest {
    @Test
    void aHostStoppedBetweenTwoKindsIsRevertedAndTheNextIsNotStarted(@TempDir Path tmp) {
        try (LabHosts lab = LabHosts.start(2)) {
            Map<String, String> before = HostState.of(lab);
            Playbook pb = PlaybookParser.load(HostState.playbook(tmp, "pb.yml", """
                    - hosts: lab
                      tasks:
                        - name: memory and network
                          sysctl: {vm.swappiness: 13, net.ipv4.tcp_fin_timeout: 23}
                        - name: cpu
                          governor: performance
                    """));
            Inventory inv = Inventory.fromFile(lab.inventoryFile());
            Journal journal = new Journal(tmp.resolve("journal"));
            RunJournal rj = journal.begin("apply", pb.displayName(), List.of(lab.inventoryFile().toString()), null);
            StopRequest stop = new StopRequest();
            RunListener listener = new RunListener() {
                @Override
                public void hostStarted(String host, String what) {
                    if (host.equals("lab01") && what.equals("applying sysctl")) stop.request("SIGINT");
                }
            };
            HostLocks locks = new HostLocks(LockOwner.thisProcess(rj.id(), "apply"), Duration.ZERO, stop, (h, o) -> { }, "-i inv");
            RunResult r = new Runner(new RunOptions(Mode.APPLY, 1, TagFilter.ALL, Map.of()),
                    t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults()), listener, rj,
                    new RunControl(stop, locks)).run(pb, pattern -> {
                        PatternResult m = inv.match(pattern, null);
                        return new Runner.Selection(m.hosts().stream().map(h -> new Target(h.name(), h.vars(), h.groupNames())).toList(),
                                m.unmatched());
                    });

            HostResult lab01 = r.plays().get(0).results().get(0);
            assertThat(lab01.status()).as("%s", lab01).isEqualTo(HostResult.Status.FAILED);
            assertThat(lab01.error()).isEqualTo("interrupted (SIGINT) in the middle of its changes");
            assertThat(lab01.leftState()).as("%s", lab01).startsWith("reverted to its previous state");
            assertThat(HostState.of(lab)).as("both hosts as they were").isEqualTo(before);
            HostResult lab02 = r.plays().get(0).results().get(1);
            assertThat(lab02.status()).isEqualTo(HostResult.Status.SKIPPED);
            assertThat(lab02.notes()).containsExactly("not started: the run was interrupted (SIGINT)");

            List<JournalEvent> events = journal.events(rj.id()).get("lab01");
            assertThat(events.stream().map(JournalEvent::event).toList()).as("sysctl applied, governor never")
                    .containsExactly("before", "started", "applied", "started", "applied", "state");
            assertThat(events.get(2).kind()).isEqualTo("sysctl");
            assertThat(events.get(4).kind()).as("the revert").isEqualTo("sysctl");
            JournalEvent last = events.get(events.size() - 1);
            assertThat(last.status()).isEqualTo("interrupted");
            assertThat(last.message()).startsWith("interrupted (SIGINT) after applying sysctl; reverted to its previous state");
            assertThat(journal.events(rj.id())).as("lab02 journaled nothing").doesNotContainKey("lab02");
            for (LabHosts.Host h : lab.hosts()) {
                assertThat(lab.exec(h, "test -e /run/tuner/lock").ok()).as("lock on %s released", h).isFalse();
            }
        }
    }
}
