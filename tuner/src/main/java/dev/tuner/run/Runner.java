package dev.tuner.run;

import dev.tuner.journal.RunJournal;
import dev.tuner.lock.HostLocks;
import dev.tuner.lock.LockOwner;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.Connection;
import dev.tuner.transport.StopRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs a playbook over hosts: plays in order; within a play, hosts in batches ({@code serial}),
 * up to {@code forks} hosts at a time. A host that fails or cannot be reached never stops the
 * others in its batch; what stops the batches after it is the {@link Rollout}'s rule. An apply holds
 * each host's lock from its first connection to the end of the run; once a stop is requested, no
 * host starts a change and no later batch starts (see {@link RunControl}).
 */
public final class Runner {
    /** Picks the hosts of a play's pattern (with --limit applied) and names the pattern parts that matched nothing. */
    public interface HostSelector {
        Selection select(String pattern);

        /** The hosts of a {@code verify: {control: PATTERN}}: by default as {@link #select}; a CLI leaves --limit out. */
        default Selection controls(String pattern) {
            return select(pattern);
        }
    }

    public record Selection(List<Target> hosts, List<String> unmatched) {}

    private final RunOptions options;
    private final Function<Target, Connection> opener;
    private final RunListener listener;
    private final RunJournal journal;
    private final RunControl control;

    /** An apply takes each host's lock in the name of the journal's run, without waiting; nothing stops it. */
    public Runner(RunOptions options, Function<Target, Connection> opener, RunListener listener, RunJournal journal) {
        this(options, opener, listener, journal, options.mode() != Mode.APPLY || journal == null ? RunControl.unlocked()
                : lockedBy(LockOwner.thisProcess(journal.id(), "apply")));
    }

    public Runner(RunOptions options, Function<Target, Connection> opener, RunListener listener, RunJournal journal, RunControl control) {
        this.options = options;
        this.opener = opener;
        this.listener = listener;
        this.journal = journal;
        this.control = control;
        if (options.mode() == Mode.APPLY && journal == null) throw new IllegalArgumentException("apply needs a journal");
    }

    private static RunControl lockedBy(LockOwner owner) {
        StopRequest stop = new StopRequest();
        return new RunControl(stop, new HostLocks(owner, Duration.ZERO, stop, (host, holder) -> { }, "-i INVENTORY"));
    }

    public RunResult run(Playbook playbook, HostSelector selector) {
        Instant started = Instant.now();
        List<RunResult.PlayResult> plays = new ArrayList<>();
        Map<String, Map<String, Object>> factCache = new ConcurrentHashMap<>();
        // One session per host, reused by every play, closed after the last play that selects the
        // host: a run over thousands of hosts holds about forks connections open, not one per host.
        // In an apply, each session holds its host's lock until it closes.
        Map<String, HostSession> sessions = new ConcurrentHashMap<>();
        HostLocks locks = options.mode() == Mode.APPLY ? control.locks() : null;
        List<Selection> selections = new ArrayList<>();
        Map<String, Integer> lastPlay = new HashMap<>();
        for (Play play : playbook.plays()) {
            Selection sel = selector.select(play.hosts());
            for (Target t : sel.hosts()) lastPlay.put(t.name(), selections.size());
            selections.add(sel);
        }
        // Closed after the sessions: vSphere sessions shared by the hosts end with the run.
        try (RunScope scope = new RunScope()) {
            try {
                // Once a batch stops the rollout (Rollout), no later batch or play is started.
                String stopped = null;
                for (int p = 0; p < playbook.plays().size(); p++) {
                    Play play = playbook.plays().get(p);
                    Selection sel = selections.get(p);
                    int playIndex = p;
                    PlayContext ctx = new PlayContext(play, playbook.baseDir(), options, scope, factCache, journal, listener, Controls.NONE, control.stop());
                    List<HostResult> results = new ArrayList<>();
                    List<String> notStarted = new ArrayList<>();
                    if (stopped == null) listener.playStarted(play.label(), sel.hosts().size());
                    List<List<Target>> batches = Batches.split(sel.hosts(), play.serial());
                    Function<Target, HostSession> session = t -> sessions.computeIfAbsent(t.name(), k -> new HostSession(t, opener, locks));
                    for (int b = 0; b < batches.size(); b++) {
                        if (stopped != null) {
                            batches.get(b).forEach(t -> notStarted.add(t.name()));
                            continue;
                        }
                        // Measuring needs the controls of this batch: hosts that do not change while it does.
                        PlayContext batchCtx = options.verify().enabled() && options.mode() == Mode.APPLY
                                ? ctx.withControls(Controls.forBatch(play, batches, b, selector, session)) : ctx;
                        List<HostResult> batch = HostFork.run(batches.get(b), options.forks(), t -> {
                            try {
                                return new HostWork(batchCtx, session.apply(t)).run();
                            } finally {
                                // A host's connection closes after the last play that selects it (a control
                                // measured later opens a new one).
                                if (lastPlay.get(t.name()) == playIndex) {
                                    HostSession done = sessions.remove(t.name());
                                    if (done != null) done.close();
                                }
                            }
                        }, (t, e) -> HostWork.lost(batchCtx, t, e.at(t.name(), null, null)), listener::hostFinished);
                        results.addAll(batch);
                        stopped = Rollout.stopAfter(play, options.mode(), b + 1, batches.size(), batch);
                        if (stopped == null && control.stop().requested()) stopped = "the run was interrupted (" + control.stop().reason() + ")";
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
