package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.HostChanges;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.RunScope;
import dev.tuner.settings.Values;
import dev.tuner.transport.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Restores what a journaled run changed, like a plan: each host is read first (the values through
 * the kinds' own read and plan, the files byte for byte), each value and file the run changed is
 * compared with what the run left there (see {@link RestorePlan}), and only what still holds the
 * run's work goes back to what was there before the run, through the same applier as an apply.
 * What someone changed since is refused and named, unless forced. A change the run started but
 * never recorded as done counts as possibly done (see {@link HostChanges}).
 *
 * <p>The rollback is itself a journaled run, so it can be rolled back too; a host it restored
 * completely is journaled {@code ok}, which is how a run is known to be rolled back there. Like an
 * apply, it holds each host's lock while it works on it and starts no host once a stop is requested.
 */
public final class Rollback {
    private static final String PLAY = "rollback";
    private static final String UNCHANGED = "unchanged";

    /**
     * @param force restore also what was changed on the host since the run
     * @param check read and show what would be restored, change nothing, journal nothing
     */
    public record Options(int forks, boolean force, boolean check) {}

    private final Function<Target, Connection> opener;
    private final RunJournal journal;
    private final Options options;
    private final RunListener listener;
    private final RunControl control;

    /**
     * @param journal the rollback's own journal; null with {@code check}, or when the caller knows
     *                from the run's journal that no host has anything left to restore
     */
    public Rollback(Function<Target, Connection> opener, RunJournal journal, Options options, RunListener listener, RunControl control) {
        this.opener = opener;
        this.journal = journal;
        this.options = options;
        this.listener = listener;
        this.control = control;
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

    /**
     * @param events       the run's events per host
     * @param rolledBackBy hosts a rollback already restored completely, with that rollback's id: left alone
     */
    public RunResult run(String runId, String playbook, Map<String, List<JournalEvent>> events, List<Target> targets,
                         Map<String, String> rolledBackBy) {
        Instant started = Instant.now();
        String title = "rollback of " + runId;
        listener.playStarted(title, targets.size());
        List<HostResult> results;
        // Sessions shared by the hosts (one vSphere login per endpoint) end with the rollback.
        try (RunScope scope = new RunScope()) {
            // What the rolled-back run hid stays hidden in this run's output and journal.
            results = HostFork.run(targets, options.forks(),
                    t -> host(runId, t, events.getOrDefault(t.name(), List.of()), rolledBackBy.get(t.name()), scope)
                            .withSecrets(JournalEvent.hidden(events.getOrDefault(t.name(), List.of()))),
                    (t, e) -> new HostResult(t.name(), PLAY, HostErrors.status(e), List.of(), List.of(), List.of(),
                            e.at(t.name(), null, null).getMessage(), "not known: see the journal of this rollback"),
                    listener::hostFinished);
        }
        RunResult.PlayResult play = new RunResult.PlayResult(title, "", results, List.of());
        return new RunResult(journal == null ? null : journal.id(), options.check() ? Mode.PLAN : Mode.APPLY, playbook, started, Instant.now(),
                List.of(play));
    }

    private HostResult host(String runId, Target t, List<JournalEvent> events, String rolledBackBy, RunScope scope) {
        if (rolledBackBy != null) {
            return new HostResult(t.name(), PLAY, HostResult.Status.OK, List.of(), List.of(), List.of("already rolled back by " + rolledBackBy
                    + ": nothing to do (rolling back " + rolledBackBy + " brings the run's changes back)"), null, UNCHANGED);
        }
        HostChanges changes = HostChanges.of(events);
        if (changes.isEmpty()) {
            return new HostResult(t.name(), PLAY, HostResult.Status.OK, List.of(), List.of(), List.of("run " + runId + " left nothing changed on this host"
                    + (changes.touched() ? ": it put back what it changed itself" : "")), null, UNCHANGED);
        }
        if (journal == null && !options.check()) throw new IllegalStateException("a rollback that changes hosts needs a journal");
        if (control.stop().requested()) {
            return new HostResult(t.name(), PLAY, HostResult.Status.SKIPPED, List.of(), List.of(),
                    List.of("not started: the rollback was interrupted (" + control.stop().reason() + ")"), null, UNCHANGED);
        }
        listener.hostStarted(t.name(), "reading current values");
        // Reading only (--check) takes no lock, like a plan.
        try (HostSession session = new HostSession(t, opener, options.check() ? null : control.locks())) {
            HostContext ctx = new HostContext(t.name(), t.vars(), Map.of(), null, Map.of(), scope, session::reconnect);
            RestorePlan plan;
            try {
                plan = RestorePlan.judge(runId, changes, HostReading.read(session.connection(), ctx, changes), options.force());
            } catch (RuntimeException e) {
                TunerException error = HostErrors.contain(e, t.name(), null, null);
                if (journal != null) journal.state(t.name(), PLAY, HostErrors.label(error), error.getMessage());
                return new HostResult(t.name(), PLAY, HostErrors.status(error), List.of(), List.of(), List.of(), error.getMessage(), UNCHANGED);
            }
            if (options.check()) return planned(t, plan);
            return recorded(restore(t, session, ctx, changes, plan, events), runId);
        }
    }

    /**
     * The host's result, unless this rollback's journal could not record it (a full disk: the
     * rollback goes on regardless, see {@code Journal.begin}). Then the host fails, saying so; what
     * was restored stays as reported.
     */
    private HostResult recorded(HostResult r, String runId) {
        List<String> why = journal.unrecorded(r.host());
        if (why.isEmpty()) return r;
        String unjournaled = "this rollback could not be journaled (" + String.join("; ", why) + "): its record is incomplete, so"
                + " 'tuner history' does not count run " + runId + " as rolled back here; once the journal can be written, 'tuner rollback "
                + runId + "' reads the host again and records it";
        HostResult.Status status = r.status() == HostResult.Status.UNREACHABLE ? r.status() : HostResult.Status.FAILED;
        return new HostResult(r.host(), r.play(), status, r.tasks(), r.handlersRun(), r.notes(),
                r.error() == null ? unjournaled : r.error() + "; " + unjournaled, r.leftState(), r.verification(), r.secrets());
    }

    /** --check: what would be restored, what is already as before, what would be refused. */
    private HostResult planned(Target t, RestorePlan plan) {
        List<TaskResult> tasks = plan.tasks(null, Map.of(), Map.of());
        boolean refused = !plan.refused().isEmpty();
        return new HostResult(t.name(), PLAY, refused ? HostResult.Status.FAILED : HostPlan.status(tasks), tasks, List.of(), plan.forcedFiles(),
                refused ? refusal(plan) : null, UNCHANGED);
    }

    private HostResult restore(Target t, HostSession session, HostContext ctx, HostChanges changes, RestorePlan plan, List<JournalEvent> events) {
        String name = t.name();
        List<String> notes = new ArrayList<>(plan.forcedFiles());
        if (!plan.restoresAnything()) {
            List<TaskResult> tasks = plan.tasks(Map.of(), Map.of(), Map.of());
            if (plan.refused().isEmpty()) {
                journal.state(name, PLAY, JournalEvent.STATE_OK, "already as before run " + plan.runId());
                notes.add("everything run " + plan.runId() + " changed is already as it was before it");
                return new HostResult(name, PLAY, HostResult.Status.OK, tasks, List.of(), notes, null, UNCHANGED);
            }
            journal.state(name, PLAY, "failed", refusal(plan));
            return new HostResult(name, PLAY, HostResult.Status.FAILED, tasks, List.of(), notes, refusal(plan), UNCHANGED);
        }
        List<KindPlan> plans = plan.plans();
        journal.before(name, PLAY, plans, changes.settings(), JournalEvent.hidden(events));
        Applier applier = new Applier(session, ctx, journal, PLAY, listener, null);
        Map<String, ApplyReport> reports = new LinkedHashMap<>();
        Map<String, String> failedKinds = new LinkedHashMap<>();
        TunerException unreachable = null;
        // Each kind on its own: one that cannot be restored does not keep the others from it.
        for (KindPlan p : plans) {
            Applier.Outcome o = applier.apply(List.of(p), "restoring %s");
            o.applied().forEach(a -> reports.put(a.plan().kind(), a.report()));
            if (!o.failed()) continue;
            failedKinds.put(o.failedPlan().kind(), o.error().getMessage());
            if (HostErrors.unreachable(o.error())) {
                unreachable = o.error();
                break;
            }
        }
        Map<String, String> notRestored = unreachable == null ? readBack(session, ctx, changes, plan, reports) : Map.of();
        List<TaskResult> tasks = plan.tasks(reports, failedKinds, notRestored);
        boolean failed = !failedKinds.isEmpty() || tasks.stream().anyMatch(x -> x.status() == TaskResult.Status.FAILED);
        boolean restoredAny = tasks.stream().anyMatch(x -> !x.files().isEmpty() || x.changes().stream().anyMatch(Change::isChange));

        // Services the run restarted or reloaded picked up the new files: do it again so they run on the restored ones.
        List<String> servicesRun = new ArrayList<>();
        List<String> actions = serviceActions(events);
        String serviceError = failed || actions.isEmpty() ? null : new Handlers(session, ctx, journal, PLAY, listener).again(actions, servicesRun);

        List<String> problems = new ArrayList<>();
        failedKinds.forEach((k, m) -> problems.add("restoring " + k + ": " + m));
        if (!plan.refused().isEmpty()) problems.add(refusal(plan));
        notRestored.forEach((k, why) -> problems.add(k + ": " + why));
        // What a kind reported it could not set (the kernel refused the old value), by name.
        tasks.stream().filter(x -> !failedKinds.containsKey(x.kind())).flatMap(x -> x.changes().stream())
                .filter(c -> c.state() == ChangeState.FAILED && !notRestored.containsKey(c.key()))
                .filter(c -> plan.refused().stream().noneMatch(i -> i.kind().equals(c.kind()) && i.name().equals(c.key())))
                .forEach(c -> problems.add(c.key() + ": " + c.note()));
        if (serviceError != null) problems.add(serviceError);
        String error = problems.isEmpty() ? null : String.join("; ", problems);
        String left = !restoredAny ? UNCHANGED : failed ? "partially rolled back" : serviceError != null ? "restored; " + serviceError : "restored";
        journal.state(name, PLAY, error == null ? JournalEvent.STATE_OK : unreachable != null ? HostErrors.label(unreachable) : "failed",
                error == null ? "rolled back" : error);
        HostResult.Status status = unreachable != null ? HostResult.Status.UNREACHABLE
                : error != null ? HostResult.Status.FAILED : HostResult.Status.CHANGED;
        return new HostResult(name, PLAY, status, tasks, servicesRun, notes, error, left);
    }

    /**
     * Reads the restored values again: a value the kind reported as set but the host does not
     * hold (a kind whose values live in a file that was refused, a kernel that normalised it) is
     * not restored, and says what the host holds. Returns key → why, for those.
     */
    private static Map<String, String> readBack(HostSession session, HostContext ctx, HostChanges changes, RestorePlan plan,
                                                Map<String, ApplyReport> reports) {
        List<RestorePlan.Item> restored = plan.items().stream()
                .filter(i -> i.verdict() == RestorePlan.Verdict.RESTORE && i.value() != null && reports.containsKey(i.kind()))
                .filter(i -> reports.get(i.kind()).changes().stream().anyMatch(c -> c.key().equals(i.name()) && c.isChange()))
                .toList();
        Map<String, String> out = new LinkedHashMap<>();
        if (restored.isEmpty()) return out;
        HostReading now;
        try {
            now = HostReading.read(session.connection(), ctx, changes);
        } catch (RuntimeException e) {
            restored.forEach(i -> out.put(i.name(), "not known whether restored: reading it back failed: " + e.getMessage()));
            return out;
        }
        for (RestorePlan.Item i : restored) {
            HostReading.Value v = now.value(i.kind(), i.name());
            if (!v.known()) continue;
            if (!Values.same(v.current(), i.value().desired()))
                out.put(i.name(), "not restored: the host has " + RestorePlan.show(v.current()) + " after the restore");
        }
        return out;
    }

    private static String refusal(RestorePlan plan) {
        return "left as they are (changed on the host since run " + plan.runId() + ", or unreadable): " + plan.refusedNames()
                + " (--force restores them)";
    }
}
