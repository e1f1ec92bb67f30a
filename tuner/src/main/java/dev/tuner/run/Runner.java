package dev.tuner.run;

import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs a playbook over hosts: plays in order; within a play, hosts in batches ({@code serial}),
 * up to {@code forks} hosts at a time. A host that fails or cannot be reached never stops the
 * others in its batch; what stops the batches after it is the {@link Rollout}'s rule.
 */
public final class Runner {
    /** Picks the hosts of a play's pattern (with --limit applied) and names the pattern parts that matched nothing. */
    public interface HostSelector {
        Selection select(String pattern);
    }

    public record Selection(List<Target> hosts, List<String> unmatched) {}

    private final RunOptions options;
    private final Function<Target, Connection> opener;
    private final RunListener listener;
    private final RunJournal journal;

    public Runner(RunOptions options, Function<Target, Connection> opener, RunListener listener, RunJournal journal) {
        this.options = options;
        this.opener = opener;
        this.listener = listener;
        this.journal = journal;
        if (options.mode() == Mode.APPLY && journal == null) throw new IllegalArgumentException("apply needs a journal");
    }

    public RunResult run(Playbook playbook, HostSelector selector) {
        Instant started = Instant.now();
        List<RunResult.PlayResult> plays = new ArrayList<>();
        Map<String, Map<String, Object>> factCache = new ConcurrentHashMap<>();
        // One session per host for the whole run, reused by every play.
        Map<String, HostSession> sessions = new ConcurrentHashMap<>();
        // Closed after the sessions: vSphere sessions shared by the hosts end with the run.
        try (RunScope scope = new RunScope()) {
            try {
                // Once a batch stops the rollout (Rollout), no later batch or play is started.
                String stopped = null;
                for (Play play : playbook.plays()) {
                    Selection sel = selector.select(play.hosts());
                    PlayContext ctx = new PlayContext(play, playbook.baseDir(), options, scope, factCache, journal, listener);
                    List<HostResult> results = new ArrayList<>();
                    List<String> notStarted = new ArrayList<>();
                    if (stopped == null) listener.playStarted(play.label(), sel.hosts().size());
                    List<List<Target>> batches = Batches.split(sel.hosts(), play.serial());
                    for (int b = 0; b < batches.size(); b++) {
                        if (stopped != null) {
                            batches.get(b).forEach(t -> notStarted.add(t.name()));
                            continue;
                        }
                        List<HostResult> batch = HostFork.run(batches.get(b), options.forks(),
                                t -> new HostWork(ctx, sessions.computeIfAbsent(t.name(), k -> new HostSession(t, opener))).run(),
                                (t, e) -> HostWork.lost(ctx, t, e.at(t.name(), null, null)), listener::hostFinished);
                        results.addAll(batch);
                        stopped = Rollout.stopAfter(play, options.mode(), b + 1, batches.size(), batch);
                    }
                    plays.add(new RunResult.PlayResult(play.label(), play.hosts(), results, sel.unmatched(), notStarted,
                            notStarted.isEmpty() ? null : stopped));
                }
            } finally {
                sessions.values().forEach(HostSession::close);
            }
        }
        return new RunResult(journal != null ? journal.id() : null, options.mode(), playbook.displayName(), started, Instant.now(), plays);
    }
}
