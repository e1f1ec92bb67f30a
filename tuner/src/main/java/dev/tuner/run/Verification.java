package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Measuring one host's changes: the benchmarks its changing tasks are verified by (chosen by the
 * {@link Verifier}), once before any change and once after all of them, each time on the
 * session's current connection (a power cycle in between replaced it). Each benchmark is judged;
 * the tasks of one that regressed are rolled back through the applier where the play asks for
 * it, and the handlers they notify run again.
 */
final class Verification {
    private final Verifier verifier;
    private final Play play;
    private final Map<String, Set<Integer>> benchmarks;
    private final Map<String, String> vars;
    private final HostSession session;
    private final Applier applier;
    private final Handlers handlers;
    private final RunJournal journal;
    private final RunListener listener;
    private List<Samples> before = List.of();

    /** For the changes of {@code plans}; measures nothing when verification is off or no benchmark concerns them. */
    Verification(PlayContext ctx, HostPlan plan, HostSession session, Applier applier, Handlers handlers) {
        this.play = ctx.play();
        this.verifier = ctx.options().verify().enabled() ? new Verifier(ctx.options().verify(), play) : null;
        this.benchmarks = verifier == null ? Map.of() : verifier.select(plan.plans());
        this.vars = verifier == null ? Map.of() : verifier.vars(plan.host().vars());
        this.session = session;
        this.applier = applier;
        this.handlers = handlers;
        this.journal = ctx.journal();
        this.listener = ctx.listener();
    }

    /** Measures before any change; throws what kept it from measuring. */
    void before() {
        if (benchmarks.isEmpty()) return;
        listener.hostStarted(session.hostName(), "measuring before: " + String.join(", ", benchmarks.keySet()));
        before = verifier.measure(session.connection(), benchmarks.keySet(), vars);
    }

    /**
     * Measures again after the changes (and their handlers), judges each benchmark, and rolls back
     * the tasks of a regressed benchmark where rollback_on_regression says so.
     *
     * @param reports     what each kind applied
     * @param tasks       the host's task results
     * @param handlersRun handlers run so far; those run again after a rollback are added
     */
    VerifyOutcome after(Map<String, ApplyReport> reports, List<TaskResult> tasks, List<String> handlersRun) {
        if (benchmarks.isEmpty()) return VerifyOutcome.NONE;
        listener.hostStarted(session.hostName(), "measuring after: " + String.join(", ", benchmarks.keySet()));
        List<Samples> after;
        try {
            after = verifier.measure(session.connection(), benchmarks.keySet(), vars);
        } catch (TunerException ex) {
            return new VerifyOutcome(List.of(), before, List.of(), List.of(), List.of(), List.of("could not measure after the change: " + ex.getMessage()));
        }
        List<VerificationResult> results = verifier.compare(before, after);
        journal.verified(session.hostName(), play.label(), results);
        Set<String> regressed = new LinkedHashSet<>();
        results.stream().filter(r -> r.verdict() == Verdict.REGRESSED).forEach(r -> regressed.add(r.benchmark()));
        Set<Integer> toUndo = new TreeSet<>();
        List<String> kept = new ArrayList<>();
        for (String b : regressed) {
            for (int idx : benchmarks.get(b)) {
                if (verifier.rollbackOnRegression(play.tasks().get(idx))) toUndo.add(idx);
                else kept.add(play.tasks().get(idx).label() + " (" + b + ")");
            }
        }
        List<String> notes = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        if (!toUndo.isEmpty()) {
            Set<Integer> undone = rollBack(toUndo, reports, kept, notes);
            for (int i : undone) rolledBack.add(play.tasks().get(i).label());
            // Services notified by the rolled-back tasks must pick up the previous configuration.
            List<TaskResult> undoneTasks = tasks.stream().filter(t -> undone.contains(t.task())).toList();
            String err = handlers.notifiedBy(play, undoneTasks, handlersRun);
            if (err != null) notes.add("after the rollback: " + err);
        }
        return new VerifyOutcome(results, before, after, rolledBack, kept, notes);
    }

    /** Undoes the given tasks kind by kind through the applier; returns the tasks undone. */
    private Set<Integer> rollBack(Set<Integer> toUndo, Map<String, ApplyReport> reports, List<String> kept, List<String> notes) {
        Set<Integer> undone = new TreeSet<>();
        for (Map.Entry<String, ApplyReport> e : reports.entrySet()) {
            Set<Integer> mine = new TreeSet<>();
            e.getValue().changes().stream().filter(c -> c.isChange() && toUndo.contains(c.task())).forEach(c -> mine.add(c.task()));
            if (mine.isEmpty()) continue;
            SettingKind kind = SettingKinds.require(e.getKey());
            KindPlan undoPlan = kind.undoTasks(e.getValue(), mine);
            Applier.Outcome o = applier.apply(List.of(undoPlan), "rolling back %s after a regression");
            if (o.failed()) {
                notes.add("rolling back " + e.getKey() + " failed: " + o.error().getMessage());
                mine.forEach(i -> kept.add(play.tasks().get(i).label() + " (rollback failed)"));
                continue;
            }
            undoPlan.changes().forEach(c -> undone.add(c.task()));
            if (undoPlan.changes().isEmpty()) undone.addAll(mine);
            o.applied().forEach(a -> a.report().changes().stream().filter(c -> c.state() == ChangeState.FAILED)
                    .forEach(c -> notes.add("could not roll back " + c.key() + ": " + c.note())));
        }
        return undone;
    }
}
