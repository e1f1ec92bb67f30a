package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Restores what a journaled run changed: each host's applied changes are undone in reverse order
 * (old runtime values written back, files restored byte for byte) through the same applier as an
 * apply. The rollback is itself a journaled run, so it can be rolled back too. Like an apply, it
 * holds each host's lock while it works on it and starts no host once a stop is requested.
 */
public final class Rollback {
    private static final String PLAY = "rollback";

    private final Function<Target, Connection> opener;
    private final RunJournal journal;
    private final int forks;
    private final RunListener listener;
    private final RunControl control;

    public Rollback(Function<Target, Connection> opener, RunJournal journal, int forks, RunListener listener, RunControl control) {
        this.opener = opener;
        this.journal = journal;
        this.forks = forks;
        this.listener = listener;
        this.control = control;
    }

    /** The undo plans of one host, latest change first. */
    public static List<KindPlan> undoPlans(List<JournalEvent> events) {
        List<KindPlan> out = new ArrayList<>();
        for (JournalEvent e : events) {
            if (JournalEvent.APPLIED.equals(e.event()) && e.report() != null) out.add(0, Inverse.of(e.kind(), e.report()));
        }
        return out;
    }

    /** The restarts and reloads handlers did in a run, once each, in the order they happened. */
    static List<String> serviceActions(List<JournalEvent> events) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (JournalEvent e : events) {
            if (!JournalEvent.SERVICES.equals(e.event()) || e.services() == null) continue;
            for (String a : e.services()) if (a.endsWith(" restarted") || a.endsWith(" reloaded")) out.add(a);
        }
        return new ArrayList<>(out);
    }

    public RunResult run(String runId, String playbook, Map<String, List<JournalEvent>> events, List<Target> targets) {
        Instant started = Instant.now();
        listener.playStarted("rollback of " + runId, targets.size());
        List<HostResult> results;
        // Sessions shared by the hosts (one vSphere login per endpoint) end with the rollback.
        try (RunScope scope = new RunScope()) {
            results = HostFork.run(targets, forks, t -> host(t, events.getOrDefault(t.name(), List.of()), scope),
                    (t, e) -> new HostResult(t.name(), PLAY, HostErrors.status(e), List.of(), List.of(), List.of(),
                            e.at(t.name(), null, null).getMessage(), "not known: see the journal of this rollback"),
                    listener::hostFinished);
        }
        RunResult.PlayResult play = new RunResult.PlayResult("rollback of " + runId, "", results, List.of());
        return new RunResult(journal.id(), Mode.APPLY, playbook, started, Instant.now(), List.of(play));
    }

    private HostResult host(Target t, List<JournalEvent> events, RunScope scope) {
        List<KindPlan> undo = undoPlans(events);
        if (undo.stream().noneMatch(KindPlan::hasChanges)) {
            return new HostResult(t.name(), PLAY, HostResult.Status.OK, List.of(), List.of(), List.of("nothing to roll back"), null, "unchanged");
        }
        if (control.stop().requested()) {
            return new HostResult(t.name(), PLAY, HostResult.Status.SKIPPED, List.of(), List.of(),
                    List.of("not started: the rollback was interrupted (" + control.stop().reason() + ")"), null, "unchanged");
        }
        listener.hostStarted(t.name(), "rolling back");
        try (HostSession session = new HostSession(t, opener, control.locks())) {
            try {
                session.connection();
            } catch (RuntimeException e) {
                TunerException error = HostErrors.contain(e, t.name(), null, null);
                journal.state(t.name(), PLAY, HostErrors.label(error), error.getMessage());
                return new HostResult(t.name(), PLAY, HostErrors.status(error), List.of(), List.of(), List.of(), error.getMessage(), "unchanged");
            }
            HostContext ctx = new HostContext(t.name(), t.vars(), Map.of(), null, Map.of(), scope, session::reconnect);
            journal.before(t.name(), PLAY, undo);
            Applier.Outcome outcome = new Applier(session, ctx, journal, PLAY, listener, null).apply(undo, "restoring %s");
            List<TaskResult> tasks = new ArrayList<>();
            for (Applier.Applied a : outcome.applied()) {
                String kind = a.plan().kind();
                tasks.add(new TaskResult(tasks.size(), "restore " + kind, kind, TaskResult.statusOf(a.report().changes(), a.report().filesWritten()),
                        a.report().changes(), a.report().filesWritten(), null));
            }
            if (outcome.failed()) {
                TunerException error = outcome.error();
                boolean unreachable = HostErrors.unreachable(error);
                journal.state(t.name(), PLAY, HostErrors.label(error), error.getMessage());
                return new HostResult(t.name(), PLAY, HostErrors.status(error), tasks, List.of(), List.of(), error.getMessage(),
                        unreachable && tasks.isEmpty() ? "unchanged" : "partially rolled back");
            }
            boolean failed = tasks.stream().anyMatch(x -> x.changes().stream().anyMatch(ch -> ch.state() == ChangeState.FAILED));
            // Services the run restarted or reloaded picked up the new files: do it again so they run on the restored ones.
            List<String> servicesRun = new ArrayList<>();
            List<String> actions = serviceActions(events);
            String serviceError = failed || actions.isEmpty() ? null
                    : new Handlers(session, ctx, journal, PLAY, listener).again(actions, servicesRun);
            boolean bad = failed || serviceError != null;
            journal.state(t.name(), PLAY, bad ? "failed" : "ok", failed ? "some values could not be restored"
                    : serviceError != null ? "restored, but " + serviceError : "rolled back");
            return new HostResult(t.name(), PLAY, bad ? HostResult.Status.FAILED : HostResult.Status.CHANGED, tasks, servicesRun, List.of(),
                    serviceError, failed ? "partially rolled back" : "restored" + (serviceError != null ? "; " + serviceError : ""));
        }
    }
}
