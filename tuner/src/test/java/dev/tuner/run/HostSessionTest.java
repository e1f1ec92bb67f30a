package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.inventory.Inventory;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.testing.LabHosts;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import dev.tuner.transport.TransportException;
import dev.tuner.verify.Benchmarks;
import dev.tuner.verify.ProgressListener;
import dev.tuner.verify.stats.Thresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's session over SSH to a lab host: a reconnect (what the vmx kind does once a power-cycled
 * guest answers again) replaces the connection, and every step after it works on the new one.
 */
class HostSessionTest {
    static LabHosts lab;
    static Target lab01;
    static final Function<Target, Connection> OPENER =
            t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults());

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        lab = LabHosts.start(1);
        var h = Inventory.fromFile(lab.inventoryFile()).host("lab01").orElseThrow();
        lab01 = new Target(h.name(), h.vars(), h.groupNames());
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static String finTimeout() {
        return lab.exec("lab01", "cat /proc/sys/net/ipv4/tcp_fin_timeout").out().strip();
    }

    @Test
    void aReconnectReplacesTheConnectionAndClosesTheOldOne() {
        try (HostSession session = new HostSession(lab01, OPENER)) {
            Connection first = session.connection();
            assertThat(session.connection()).isSameAs(first);

            Connection second = session.reconnect();

            assertThat(second).isNotSameAs(first);
            assertThat(session.connection()).isSameAs(second);
            assertThatThrownBy(() -> first.exec("true")).isInstanceOf(TransportException.class).hasMessageContaining("closed");
            assertThat(second.exec("hostname").out().strip()).isEqualTo("lab01");
        }
    }

    @Test
    void everyStepAfterAReconnectWorksOnTheNewConnection() throws Exception {
        Path verify = Files.createDirectories(dir.resolve("verify"));
        Files.writeString(verify.resolve("tick.yml"), """
                description: a cheap figure read on the host (test benchmark)
                timeout: 30s
                command: |
                  echo "score: $(cat /proc/sys/net/ipv4/tcp_fin_timeout)"
                metrics:
                  score:
                    regex: 'score:\\s*([0-9]+)'
                    unit: seconds
                    better: higher
                """);
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, """
                - name: tune
                  hosts: lab
                  gather_facts: false
                  vars:
                    tuner_systemctl: "true"
                  tasks:
                    - name: network
                      verify: tick
                      notify: restart networking
                      sysctl: {net.ipv4.tcp_fin_timeout: 41}
                  handlers:
                    - name: restart networking
                      service: {name: networking, state: restarted}
                """);
        Playbook playbook = PlaybookParser.load(pb);
        Journal journal = new Journal(dir.resolve("journal"));
        RunJournal run = journal.begin("apply", playbook.displayName(), List.of("lab"), null);
        VerifyOptions measuring = new VerifyOptions(true, Benchmarks.load(verify), 2, 0, Thresholds.DEFAULT, false, ProgressListener.NONE);
        PlayContext ctx = new PlayContext(playbook.plays().get(0), playbook.baseDir(),
                new RunOptions(Mode.APPLY, 1, TagFilter.ALL, Map.of(), false, measuring), new RunScope(), new ConcurrentHashMap<>(), run,
                RunListener.NONE);
        String before = finTimeout();
        assertThat(before).isNotEqualTo("41");

        try (HostSession session = new HostSession(lab01, OPENER); RunScope ignored = ctx.scope()) {
            HostPlan plan = new Planner(ctx).plan(session);
            Applier applier = new Applier(session, plan.host(), run, "tune", RunListener.NONE, i -> "network");
            Handlers handlers = new Handlers(session, plan.host(), run, "tune", RunListener.NONE);
            Verification verification = new Verification(ctx, plan, session, applier, handlers);
            verification.before();

            Connection old = session.connection();
            Connection fresh = plan.host().reconnect().get();
            assertThat(fresh).isNotSameAs(old);
            assertThatThrownBy(() -> old.exec("true")).isInstanceOf(TransportException.class);

            Applier.Outcome applied = applier.apply(List.copyOf(plan.plans().values()), "applying %s");
            assertThat(applied.failed()).as("%s", applied.error()).isFalse();
            assertThat(finTimeout()).isEqualTo("41");

            Map<String, KindPlan> done = new LinkedHashMap<>(plan.plans());
            applied.reports().forEach((k, r) -> done.put(k, new KindPlan(k, r.changes(), r.filesWritten(), List.of())));
            List<TaskResult> tasks = plan.taskResults(done);
            List<String> ran = new ArrayList<>();
            assertThat(handlers.notifiedBy(ctx.play(), tasks, ran)).isNull();
            assertThat(ran).containsExactly("restart networking");

            VerifyOutcome outcome = verification.after(applied.reports(), tasks, ran, new ArrayList<>());
            assertThat(outcome.notes()).isEmpty();
            assertThat(outcome.results()).singleElement().satisfies(r -> {
                assertThat(r.before()).containsExactly(Double.valueOf(before), Double.valueOf(before));
                assertThat(r.after()).as("measured after the change, on the new connection").containsExactly(41.0, 41.0);
            });

            String left = applier.revert(List.of(Inverse.of("sysctl", applied.reports().get("sysctl"))));
            assertThat(left).startsWith("reverted to its previous state");
            assertThat(finTimeout()).isEqualTo(before);
        }
        assertThat(journal.events(run.id()).get("lab01")).extracting(JournalEvent::event)
                .containsExactly("design", "started", "applied", "services", "verified", "started", "applied");
    }
}
