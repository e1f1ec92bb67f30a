package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import dev.tuner.transport.StopRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One play on one host: the planner's plan, and when applying: the changes through the applier,
 * the handlers, the verification, and a revert of what this play changed when the host fails.
 * Whatever goes wrong ends as this host's result (see {@link HostErrors}); it never stops the run.
 *
 * <p>Once a stop is requested, a host that has not started changing does not start; one that is
 * changing finishes the kind it is applying and is then reverted, unless that was its last kind:
 * then it finishes (handlers included), but is not measured again.
 */
final class HostWork {
    private static final String UNCHANGED = "unchanged";

    private final PlayContext ctx;
    private final Play play;
    private final HostSession session;
    private final String host;
    /** What output must hide on this host, known once it is planned. */
    private Secrets secrets = Secrets.NONE;

    HostWork(PlayContext ctx, HostSession session) {
        this.ctx = ctx;
        this.play = ctx.play();
        this.session = session;
        this.host = session.hostName();
    }

    /** The result of a host whose work ended with an error nothing else caught. */
    static HostResult lost(PlayContext ctx, Target target, TunerException error) {
        return new HostResult(target.name(), ctx.play().label(), HostErrors.status(error), List.of(), List.of(), List.of(),
                error.getMessage(), "not known: see the journal of this run");
    }

    HostResult run() {
        if (ctx.stop().requested()) return notStarted("not started");
        HostPlan plan;
        try {
            plan = new Planner(ctx).plan(session);
        } catch (RuntimeException e) {
            // Stopped while waiting for the host's lock: the host was not started.
            if (e instanceof StopRequest.Stopped) return notStarted("not started");
            TunerException error = HostErrors.contain(e, host, null, null);
            if (HostErrors.unreachable(error)) session.discard();
            return result(HostErrors.status(error), List.of(), List.of(), List.of(), error.getMessage(), UNCHANGED);
        }
        secrets = plan.secrets();
        if (!plan.errors().isEmpty()) {
            return result(HostResult.Status.FAILED, plan.taskResults(), List.of(), List.of(), plan.error(), UNCHANGED);
        }
        List<String> notes = plan.notes();
        if (ctx.options().mode() != Mode.APPLY || !plan.hasChanges()) {
            List<TaskResult> tasks = plan.taskResults();
            return result(HostPlan.status(tasks), tasks, List.of(), notes, null, UNCHANGED);
        }
        if (ctx.stop().requested()) return notStarted("planned, not started");
        return apply(plan, notes);
    }

    /** A host left alone because the run was stopped before its changes began. */
    private HostResult notStarted(String what) {
        return result(HostResult.Status.SKIPPED, List.of(), List.of(), List.of(what + ": the run was " + interruption()), null, UNCHANGED);
    }

    private String interruption() {
        return "interrupted (" + ctx.stop().reason() + ")";
    }

    private HostResult apply(HostPlan plan, List<String> notes) {
        RunJournal journal = ctx.journal();
        journal.before(host, play.label(), List.copyOf(plan.plans().values()), plan.settings(), secrets);
        Applier applier = new Applier(session, plan.host(), journal, play.label(), ctx.listener(), i -> play.tasks().get(i).label());
        Handlers handlers = new Handlers(session, plan.host(), journal, play.label(), ctx.listener());
        Verification verification = new Verification(ctx, plan, session, applier, handlers);
        try {
            verification.before();
        } catch (RuntimeException e) {
            if (e instanceof StopRequest.Stopped) {
                journal.state(host, play.label(), "interrupted", "interrupted while measuring before any change; nothing was changed");
                return notStarted("measuring before any change was cut short");
            }
            TunerException error = HostErrors.contain(e, host, null, null);
            if (HostErrors.unreachable(error)) session.discard();
            String message = "measuring before any change: " + error.getMessage();
            journal.state(host, play.label(), HostErrors.label(error), message);
            return result(HostErrors.status(error), plan.taskResultsAfter(Map.of(), null), List.of(), notes, message, UNCHANGED);
        }

        Applier.Outcome outcome = applyUntilStopped(applier, List.copyOf(plan.plans().values()));
        // What this play changed so far, in order: undone in reverse if the host fails.
        List<KindPlan> undo = new ArrayList<>();
        for (Applier.Applied a : outcome.applied()) {
            undo.add(Inverse.of(a.plan().kind(), a.report()));
            notes.addAll(a.report().notes());
        }
        if (outcome.failed()) {
            // The failing kind may have changed part of its plan: undo all of it (rewriting an
            // unchanged value is harmless), then what earlier kinds did.
            KindPlan failed = outcome.failedPlan();
            undo.add(Inverse.of(failed.kind(), failed.changes(), failed.files()));
            TunerException error = outcome.error();
            String left = applier.revert(undo);
            journal.state(host, play.label(), "failed", error.getMessage() + "; " + left);
            return result(HostErrors.status(error), plan.taskResultsAfter(outcome.reports(), failed.kind()), List.of(), notes,
                    "applying " + failed.kind() + ": " + error.getMessage(), left);
        }
        if (outcome.applied().isEmpty()) {
            journal.state(host, play.label(), "interrupted", interruption() + " before any change; nothing was changed");
            return notStarted("planned, not started");
        }
        if (outcome.applied().size() < changing(plan)) {
            // Stopped between two kinds: the host goes back to where it was rather than stay half-changed.
            String left = applier.revert(undo);
            String message = interruption() + " after applying " + String.join(", ", outcome.reports().keySet()) + "; " + left;
            journal.state(host, play.label(), "interrupted", message);
            return result(HostResult.Status.FAILED, plan.taskResults(), List.of(), notes, interruption() + " in the middle of its changes", left);
        }
        try {
            return afterChanges(plan, outcome.reports(), applier, handlers, verification, undo, notes);
        } catch (StopRequest.Stopped e) {
            if (!verification.stoppedInStateBefore()) return revertedAfter(e, plan, outcome, applier, undo, notes);
            // A round had toggled the changes back: the host is as it was before the run, each
            // toggle journaled, and nothing more is changed after a stop.
            String left = "reverted: a measuring round had put the host back in its state before the changes";
            journal.state(host, play.label(), "interrupted", interruption() + " while measuring; " + left);
            return result(HostResult.Status.FAILED, plan.taskResultsAfter(outcome.reports(), null), List.of(), notes,
                    interruption() + " while measuring", left);
        } catch (RuntimeException e) {
            return revertedAfter(e, plan, outcome, applier, undo, notes);
        }
    }

    /** A failure after the changes went in (a bug, or a stop half-way through a toggle): this host fails and is put back as it was. */
    private HostResult revertedAfter(RuntimeException e, HostPlan plan, Applier.Outcome outcome, Applier applier, List<KindPlan> undo,
                                     List<String> notes) {
        TunerException error = HostErrors.contain(e, host, null, null);
        String left = applier.revert(undo);
        ctx.journal().state(host, play.label(), "failed", error.getMessage() + "; " + left);
        return result(HostResult.Status.FAILED, plan.taskResultsAfter(outcome.reports(), null), List.of(), notes, error.getMessage(), left);
    }

    /** The plans in order, each applied only while no stop is requested; a stop leaves the rest out of the outcome. */
    private Applier.Outcome applyUntilStopped(Applier applier, List<KindPlan> plans) {
        List<Applier.Applied> done = new ArrayList<>();
        for (KindPlan p : plans) {
            if (!p.hasChanges()) continue;
            if (ctx.stop().requested()) break;
            Applier.Outcome o = applier.apply(List.of(p), "applying %s");
            done.addAll(o.applied());
            if (o.failed()) return new Applier.Outcome(done, o.failedPlan(), o.error());
        }
        return new Applier.Outcome(done, null, null);
    }

    private static long changing(HostPlan plan) {
        return plan.plans().values().stream().filter(KindPlan::hasChanges).count();
    }

    /** Handlers, then measuring; a handler that fails reverts the host and starts its service again on the previous configuration. */
    private HostResult afterChanges(HostPlan plan, Map<String, ApplyReport> reports, Applier applier, Handlers handlers,
                                    Verification verification, List<KindPlan> undo, List<String> notes) {
        Map<String, KindPlan> applied = new LinkedHashMap<>(plan.plans());
        reports.forEach((kind, r) -> applied.put(kind, new KindPlan(kind, r.changes(), r.filesWritten(), List.of())));
        List<TaskResult> tasks = plan.taskResults(applied);
        List<String> handlersRun = new ArrayList<>();
        String handlerError = handlers.notifiedBy(play, tasks, handlersRun);
        RunJournal journal = ctx.journal();
        if (handlerError == null) {
            VerifyOutcome outcome = verification.after(reports, tasks, handlersRun, undo);
            HostResult.Status st = HostPlan.status(tasks);
            // Settings a kind reported as refused (the kernel said no) fail the host; the journal says so too.
            boolean failed = st == HostResult.Status.FAILED;
            String rolledBack = outcome.rolledBackTasks().isEmpty() ? ""
                    : "; rolled back after a verified regression: " + String.join(", ", outcome.rolledBackTasks());
            journal.state(host, play.label(), failed ? "failed" : "ok",
                    (failed ? "applied except failed settings" : "applied as planned") + rolledBack);
            return new HostResult(host, play.label(), st, tasks, handlersRun, notes, null,
                    failed ? "applied except failed settings (recorded)"
                            : outcome.rolledBackTasks().isEmpty() ? "as planned" : "as planned except tasks rolled back after a regression",
                    outcome, secrets);
        }
        // A service that does not come back with the new configuration: put the previous files and
        // values back, then start the service again on them, and report all of it.
        String left = applier.revert(undo);
        String again = handlers.notifiedBy(play, tasks, new ArrayList<>());
        String state = left + (again == null ? "; service restarted on the previous configuration"
                : "; the service did not come back on the previous configuration either: " + again);
        journal.state(host, play.label(), "failed", handlerError + "; " + state);
        return result(HostResult.Status.FAILED, tasks, handlersRun, notes, handlerError, state);
    }

    private HostResult result(HostResult.Status status, List<TaskResult> tasks, List<String> handlersRun, List<String> notes,
                              String error, String leftState) {
        return new HostResult(host, play.label(), status, tasks, handlersRun, notes, error, leftState, VerifyOutcome.NONE, secrets);
    }
}
