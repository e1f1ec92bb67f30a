package dev.tuner.run;

import dev.tuner.facts.FactGatherer;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Handler;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Verdict;

/**
 * One play on one host: facts, variables, conditions, one batched read of every current value,
 * the plan per kind, and — when applying — journal, changes, handlers, and revert on failure.
 */
final class HostWork {
    private final Play play;
    private final Target target;
    private final RunOptions options;
    private final Connections connections;
    private final dev.tuner.settings.RunScope scope;
    private final Map<String, Map<String, Object>> factCache;
    private final RunJournal journal;
    private final RunListener listener;
    private final java.nio.file.Path playbookDir;
    private final Templater templater = new Templater();

    HostWork(Play play, java.nio.file.Path playbookDir, Target target, RunOptions options, Connections connections,
             dev.tuner.settings.RunScope scope, Map<String, Map<String, Object>> factCache, RunJournal journal, RunListener listener) {
        this.scope = scope;
        this.play = play;
        this.playbookDir = playbookDir;
        this.target = target;
        this.options = options;
        this.connections = connections;
        this.factCache = factCache;
        this.journal = journal;
        this.listener = listener;
    }

    /** A task resolved for this host: its settings, or why it does not run. */
    private record Resolved(Task task, List<Desired> desired, TaskResult.Status skipOrFail, String message) {}

    HostResult run() {
        Connection conn;
        Map<String, Object> facts;
        try {
            listener.hostStarted(target.name(), "connecting");
            conn = connections.get(target);
            facts = play.gatherFacts() ? factCache.computeIfAbsent(target.name(), k -> FactGatherer.gather(conn)) : Map.of();
        } catch (TransportException e) {
            connections.discard(target);
            return new HostResult(target.name(), play.label(), HostResult.Status.UNREACHABLE, List.of(), List.of(), List.of(),
                    e.getMessage(), "unchanged");
        }

        Map<String, Object> vars = Variables.forHost(target, play.vars(), play.varsFromFiles(), options.extraVars(), facts, templater);
        if (options.allowPowerCycle()) vars.put(RunOptions.ALLOW_POWER_CYCLE_VAR, true);
        HostContext host = new HostContext(target.name(), vars, facts, playbookDir, taskOptions(), scope, () -> {
            // A guest that was power-cycled dropped the old connection: open a new one for the rest of the run.
            connections.discard(target);
            return connections.get(target);
        });
        List<Resolved> resolved = resolve(vars);

        // Every kind's probes go into one script: one exec reads all current values of the play.
        Map<String, List<Desired>> byKind = new LinkedHashMap<>();
        for (Resolved r : resolved) {
            if (r.desired() != null) byKind.computeIfAbsent(r.task().kind(), k -> new ArrayList<>()).addAll(r.desired());
        }
        Map<String, KindPlan> plans = new LinkedHashMap<>();
        if (!byKind.isEmpty()) {
            listener.hostStarted(target.name(), "reading current values");
            ReadScript script = new ReadScript();
            byKind.forEach((k, d) -> SettingKinds.require(k).read(d, host, script));
            ReadOutput current;
            try {
                ExecResult r = conn.exec(script.render(), null, Duration.ofMinutes(2));
                current = ReadOutput.parse(r.out());
            } catch (TransportException e) {
                connections.discard(target);
                return new HostResult(target.name(), play.label(), HostResult.Status.UNREACHABLE, List.of(), List.of(), List.of(),
                        e.getMessage(), "unchanged");
            }
            // A kind that cannot even read (its API refused the login, the VM does not exist) fails this
            // host with that message, not the whole run; other kinds are still planned and shown.
            Map<String, String> planErrors = new LinkedHashMap<>();
            byKind.forEach((k, d) -> {
                try {
                    plans.put(k, SettingKinds.require(k).plan(d, host, current));
                } catch (dev.tuner.diag.TunerException e) {
                    planErrors.put(k, e.getMessage());
                }
            });
            if (!planErrors.isEmpty()) {
                List<TaskResult> tasks = new ArrayList<>();
                for (TaskResult t : taskResults(resolved, plans)) {
                    String err = t.status() == TaskResult.Status.SKIPPED ? null : planErrors.get(t.kind());
                    tasks.add(err == null ? t : new TaskResult(t.task(), t.name(), t.kind(), TaskResult.Status.FAILED, List.of(), List.of(), err));
                }
                String error = String.join("; ", planErrors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
                return new HostResult(target.name(), play.label(), HostResult.Status.FAILED, tasks, List.of(), List.of(), error, "unchanged");
            }
        }

        List<String> notes = new ArrayList<>();
        plans.values().forEach(p -> notes.addAll(p.notes()));
        if (options.mode() != Mode.APPLY || plans.values().stream().noneMatch(KindPlan::hasChanges)) {
            List<TaskResult> tasks = taskResults(resolved, plans);
            return new HostResult(target.name(), play.label(), hostStatus(tasks), tasks, List.of(), notes, null, "unchanged");
        }
        return apply(conn, host, resolved, plans, notes);
    }

    /** Each task's options (power_cycle, force, snapshot, ...) with the play's as defaults. */
    private Map<Integer, Map<String, Object>> taskOptions() {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        for (Task t : play.tasks()) {
            Map<String, Object> o = new LinkedHashMap<>(play.options());
            o.putAll(t.options());
            out.put(t.index(), o);
        }
        return out;
    }

    private List<Resolved> resolve(Map<String, Object> vars) {
        List<Resolved> out = new ArrayList<>();
        for (Task t : Runner.selectedTasks(play, options.tags())) {
            try {
                if (t.when() != null && !templater.condition(t.when(), vars)) {
                    out.add(new Resolved(t, null, TaskResult.Status.SKIPPED, "condition is false: " + t.when()));
                    continue;
                }
                Object spec = Variables.render(t.spec(), t.kind(), vars, templater);
                out.add(new Resolved(t, SettingKinds.require(t.kind()).desired(t.index(), spec), null, null));
            } catch (Templater.TemplateError | SpecException e) {
                out.add(new Resolved(t, null, TaskResult.Status.FAILED, t.at() + ": task '" + t.label() + "': " + e.getMessage()));
            }
        }
        return out;
    }

    private static List<TaskResult> taskResults(List<Resolved> resolved, Map<String, KindPlan> plans) {
        List<TaskResult> out = new ArrayList<>();
        for (Resolved r : resolved) {
            Task t = r.task();
            if (r.desired() == null) {
                out.add(new TaskResult(t.index(), t.label(), t.kind(), r.skipOrFail(), List.of(), List.of(), r.message()));
                continue;
            }
            KindPlan p = plans.get(t.kind());
            List<Change> changes = p == null ? List.of() : p.changes().stream().filter(c -> c.task() == t.index()).toList();
            // A kind's files serve all its tasks: shown with the last task of that kind that changes something.
            List<FileChange> files = List.of();
            if (p != null && isLastChangingTaskOfKind(t, resolved, p)) files = p.files();
            TaskResult.Status st = TaskResult.statusOf(changes, files);
            out.add(new TaskResult(t.index(), t.label(), t.kind(), st, changes, files, null));
        }
        return out;
    }

    private static boolean isLastChangingTaskOfKind(Task t, List<Resolved> resolved, KindPlan p) {
        int last = -1;
        for (Resolved r : resolved) {
            if (r.desired() == null || !r.task().kind().equals(t.kind())) continue;
            int idx = r.task().index();
            boolean changes = p.changes().stream().anyMatch(c -> c.task() == idx && c.isChange());
            if (changes) last = idx;
        }
        if (last == -1) {
            for (Resolved r : resolved) if (r.desired() != null && r.task().kind().equals(t.kind())) last = r.task().index();
        }
        return last == t.index();
    }

    private static HostResult.Status hostStatus(List<TaskResult> tasks) {
        if (tasks.stream().anyMatch(t -> t.status() == TaskResult.Status.FAILED)) return HostResult.Status.FAILED;
        if (tasks.stream().anyMatch(t -> t.status() == TaskResult.Status.CHANGED)) return HostResult.Status.CHANGED;
        if (!tasks.isEmpty() && tasks.stream().allMatch(t -> t.status() == TaskResult.Status.SKIPPED)) return HostResult.Status.SKIPPED;
        return HostResult.Status.OK;
    }

    // ------------------------------------------------------------------ apply

    private HostResult apply(Connection conn, HostContext host, List<Resolved> resolved, Map<String, KindPlan> plans, List<String> notes) {
        journal.before(target.name(), play.label(), List.copyOf(plans.values()));
        Verifier verifier = options.verify().enabled() ? new Verifier(options.verify(), play) : null;
        Map<String, Set<Integer>> benchmarks = verifier == null ? Map.of() : verifier.select(plans);
        Map<String, String> benchVars = verifier == null ? Map.of() : verifier.vars(host.vars());
        List<Samples> before = List.of();
        if (!benchmarks.isEmpty()) {
            listener.hostStarted(target.name(), "measuring before: " + String.join(", ", benchmarks.keySet()));
            try {
                before = verifier.measure(conn, benchmarks.keySet(), benchVars);
            } catch (TransportException ex) {
                connections.discard(target);
                journal.state(target.name(), play.label(), "unreachable", "measuring before any change: " + ex.getMessage());
                return new HostResult(target.name(), play.label(), HostResult.Status.UNREACHABLE, taskResults(resolved, plans),
                        List.of(), notes, "measuring before any change: " + ex.getMessage(), "unchanged");
            }
        }
        Map<String, KindPlan> applied = new LinkedHashMap<>();
        Map<String, ApplyReport> reports = new LinkedHashMap<>();
        // What this play changed so far, in order: undone in reverse if the host fails mid-apply.
        List<KindPlan> undo = new ArrayList<>();
        for (Map.Entry<String, KindPlan> e : plans.entrySet()) {
            if (!e.getValue().hasChanges()) {
                applied.put(e.getKey(), e.getValue());
                continue;
            }
            SettingKind kind = SettingKinds.require(e.getKey());
            listener.hostStarted(target.name(), "applying " + e.getKey());
            try {
                // The current connection: a kind before this one (vmx) may have reconnected after a power cycle.
                ApplyReport report = kind.apply(connections.get(target), e.getValue(), host);
                journal.applied(target.name(), play.label(), e.getKey(), report);
                undo.add(Inverse.of(e.getKey(), report));
                reports.put(e.getKey(), report);
                notes.addAll(report.notes());
                applied.put(e.getKey(), new KindPlan(e.getKey(), report.changes(), report.filesWritten(), List.of()));
            } catch (TransportException | ApplyException ex) {
                // The failing kind may have changed part of its plan: undo all of it (rewriting an
                // unchanged value is harmless), then what earlier kinds did.
                undo.add(Inverse.of(e.getKey(), e.getValue().changes(), e.getValue().files()));
                String left = revertAfterFailure(host, undo);
                journal.state(target.name(), play.label(), "failed", ex.getMessage() + "; " + left);
                List<TaskResult> tasks = taskResults(resolved, plans);
                return new HostResult(target.name(), play.label(), ex instanceof TransportException ? HostResult.Status.UNREACHABLE
                        : HostResult.Status.FAILED, tasks, List.of(), notes, "applying " + e.getKey() + ": " + ex.getMessage(), left);
            }
        }
        List<TaskResult> tasks = taskResults(resolved, applied);
        List<String> handlersRun = new ArrayList<>();
        String handlerError;
        try {
            handlerError = runHandlers(connections.get(target), host, tasks, handlersRun);
        } catch (TransportException ex) {
            handlerError = "connection lost: " + ex.getMessage();
        }
        if (handlerError == null) {
            VerifyOutcome outcome = benchmarks.isEmpty() ? VerifyOutcome.NONE
                    : verifyAfter(conn, host, verifier, benchmarks, benchVars, before, reports, tasks, handlersRun);
            journal.state(target.name(), play.label(), "ok", outcome.rolledBackTasks().isEmpty() ? "applied as planned"
                    : "applied; rolled back after a verified regression: " + String.join(", ", outcome.rolledBackTasks()));
            HostResult.Status st = hostStatus(tasks);
            return new HostResult(target.name(), play.label(), st, tasks, handlersRun, notes, null,
                    st == HostResult.Status.FAILED ? "applied except failed settings (recorded)"
                            : outcome.rolledBackTasks().isEmpty() ? "as planned" : "as planned except tasks rolled back after a regression",
                    outcome);
        }
        // A service that does not come back with the new configuration: put the previous files and
        // values back, then start the service again on them, and report all of it.
        String left = revertAfterFailure(host, undo);
        String again = rerunFailedHandler(conn, host, tasks);
        String state = left + (again == null ? "; service restarted on the previous configuration"
                : "; the service did not come back on the previous configuration either: " + again);
        journal.state(target.name(), play.label(), "failed", handlerError + "; " + state);
        return new HostResult(target.name(), play.label(), HostResult.Status.FAILED, tasks, handlersRun, notes, handlerError, state);
    }

    /**
     * Measures again after the changes, judges each benchmark, and rolls back the tasks of a
     * regressed benchmark where rollback_on_regression says so (then their handlers run again).
     */
    private VerifyOutcome verifyAfter(Connection conn, HostContext host, Verifier verifier, Map<String, Set<Integer>> benchmarks,
                                      Map<String, String> vars, List<Samples> before, Map<String, ApplyReport> reports,
                                      List<TaskResult> tasks, List<String> handlersRun) {
        listener.hostStarted(target.name(), "measuring after: " + String.join(", ", benchmarks.keySet()));
        List<Samples> after;
        try {
            after = verifier.measure(conn, benchmarks.keySet(), vars);
        } catch (TransportException ex) {
            return new VerifyOutcome(List.of(), before, List.of(), List.of(), List.of(), List.of("could not measure after the change: " + ex.getMessage()));
        }
        List<VerificationResult> results = verifier.compare(before, after);
        journal.verified(target.name(), play.label(), results);
        Set<String> regressed = new LinkedHashSet<>();
        results.stream().filter(r -> r.verdict() == Verdict.REGRESSED).forEach(r -> regressed.add(r.benchmark()));
        Set<Integer> toUndo = new TreeSet<>();
        List<String> kept = new ArrayList<>();
        for (String b : regressed) {
            for (int idx : benchmarks.get(b)) {
                Task t = play.tasks().get(idx);
                if (verifier.rollbackOnRegression(t)) toUndo.add(idx);
                else kept.add(t.label() + " (" + b + ")");
            }
        }
        List<String> notes = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        if (!toUndo.isEmpty()) {
            Set<Integer> undone = new TreeSet<>();
            for (Map.Entry<String, ApplyReport> e : reports.entrySet()) {
                Set<Integer> mine = new TreeSet<>();
                e.getValue().changes().stream().filter(c -> c.isChange() && toUndo.contains(c.task())).forEach(c -> mine.add(c.task()));
                if (mine.isEmpty()) continue;
                SettingKind kind = SettingKinds.require(e.getKey());
                KindPlan undoPlan = kind.undoTasks(e.getValue(), mine);
                listener.hostStarted(target.name(), "rolling back " + e.getKey() + " after a regression");
                try {
                    ApplyReport r = kind.apply(conn, undoPlan, host);
                    journal.applied(target.name(), play.label(), e.getKey(), r);
                    undoPlan.changes().forEach(c -> undone.add(c.task()));
                    if (undoPlan.changes().isEmpty()) undone.addAll(mine);
                    r.changes().stream().filter(c -> c.state() == ChangeState.FAILED)
                            .forEach(c -> notes.add("could not roll back " + c.key() + ": " + c.note()));
                } catch (TransportException | ApplyException ex) {
                    notes.add("rolling back " + e.getKey() + " failed: " + ex.getMessage());
                    mine.forEach(i -> kept.add(play.tasks().get(i).label() + " (rollback failed)"));
                }
            }
            for (int i : undone) rolledBack.add(play.tasks().get(i).label());
            // Services notified by the rolled-back tasks must pick up the previous configuration.
            List<TaskResult> undoneTasks = tasks.stream().filter(t -> undone.contains(t.task())).toList();
            String err = runHandlers(conn, host, undoneTasks, handlersRun);
            if (err != null) notes.add("after the rollback: " + err);
        }
        return new VerifyOutcome(results, before, after, rolledBack, kept, notes);
    }

    /** Runs the handlers notified by changed tasks again, after a revert; returns an error or null. */
    private String rerunFailedHandler(Connection conn, HostContext host, List<TaskResult> tasks) {
        Connection c;
        try {
            c = connections.get(target);
        } catch (TransportException e) {
            return e.getMessage();
        }
        return runHandlers(c, host, tasks, new ArrayList<>());
    }

    /**
     * Reverts what this play already changed on the host, using the journal's record; reconnects
     * once if the connection dropped. Returns a description of the state the host was left in.
     */
    private String revertAfterFailure(HostContext host, List<KindPlan> undo) {
        try {
            Connection c;
            try {
                c = connections.get(target);
                c.exec("true", null, Duration.ofSeconds(10));
            } catch (TransportException e) {
                connections.discard(target);
                c = connections.get(target);
            }
            int n = 0;
            List<String> problems = new ArrayList<>();
            for (int i = undo.size() - 1; i >= 0; i--) {
                KindPlan p = undo.get(i);
                if (!p.hasChanges()) continue;
                ApplyReport r = SettingKinds.require(p.kind()).apply(c, p, host);
                journal.applied(target.name(), play.label(), p.kind(), r);
                n += (int) r.changes().stream().filter(Change::isChange).count() + r.filesWritten().size();
                r.changes().stream().filter(x -> x.state() == ChangeState.FAILED).forEach(x -> problems.add(x.key() + ": " + x.note()));
            }
            if (!problems.isEmpty()) return "revert incomplete: " + String.join("; ", problems);
            return n == 0 ? "left unchanged" : "reverted to its previous state (" + n + " value(s) and file(s) restored)";
        } catch (RuntimeException e) {
            connections.discard(target);
            return "could not revert (" + e.getMessage() + "): run 'tuner rollback " + journal.id() + "' when the host is back";
        }
    }

    /** Runs notified handlers once each, in the order they are defined. Returns an error or null. */
    private String runHandlers(Connection conn, HostContext host, List<TaskResult> tasks, List<String> ran) {
        Set<String> notified = new LinkedHashSet<>();
        for (TaskResult tr : tasks) {
            if (tr.status() != TaskResult.Status.CHANGED) continue;
            Task t = play.tasks().stream().filter(x -> x.index() == tr.task()).findFirst().orElseThrow();
            notified.addAll(t.notifies());
        }
        for (Handler h : play.handlers()) {
            if (notified.stream().noneMatch(h::answers)) continue;
            listener.hostStarted(target.name(), "handler " + h.name());
            String err;
            try {
                err = ServiceControl.run(conn, host, h.service(), h.state());
            } catch (TransportException e) {
                err = "connection lost: " + e.getMessage();
            }
            if (err != null) return "handler '" + h.name() + "': " + err;
            journal.services(target.name(), play.label(), List.of(h.service() + " " + h.state()));
            ran.add(h.name());
        }
        return null;
    }
}
