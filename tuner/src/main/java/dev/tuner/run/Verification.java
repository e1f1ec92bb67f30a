package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.transport.StopRequest;
import dev.tuner.verify.BenchmarkDef;
import dev.tuner.verify.Design;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.design.Budget;
import dev.tuner.verify.design.HostBudget;
import dev.tuner.verify.design.PairedSeries;
import dev.tuner.verify.design.RoundOrder;
import dev.tuner.verify.stats.Looks;
import dev.tuner.verify.stats.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Measuring one host's changes with the benchmarks its changing tasks are verified by (chosen by
 * the {@link Verifier}), in the design {@link DesignChoice} picks for them:
 * <ul>
 *   <li>interleaved: after the apply, rounds put the host in its state before and after the
 *       changes in a random order each (see {@link Toggle}), one run of each; it ends in the state
 *       after;</li>
 *   <li>control: rounds before the apply and as many after it, each run beside the control hosts
 *       at the same moment (see {@link Lockstep}); the after rounds stop as soon as the verdict is
 *       clear;</li>
 *   <li>before-after: runs before any change and after all of them.</li>
 * </ul>
 * Each benchmark is judged; the tasks of one that regressed are rolled back through the applier
 * where the play asks for it, and the handlers they notify run again. Every measuring step runs
 * on the session's current connection (a power cycle in between replaced it).
 */
final class Verification {
    static final String BEFORE_AFTER_ONLY = "before/after only: an environment shift between the phases cannot be ruled out";

    private final Verifier verifier;
    private final Play play;
    private final Map<String, Set<Integer>> benchmarks;
    private final Map<String, String> vars;
    private final HostSession session;
    private final Applier applier;
    private final Handlers handlers;
    private final RunJournal journal;
    private final RunListener listener;
    private final Controls controls;
    private final DesignChoice choice;
    private final Map<Target, Map<String, String>> controlVars = new LinkedHashMap<>();
    private final Map<String, PairedSeries> series = new LinkedHashMap<>();
    /** Results per benchmark asked for (a fallback's results name the fallback), in order. */
    private final Map<String, List<VerificationResult>> judged = new LinkedHashMap<>();
    private List<Samples> before = List.of();
    private RoundOrder order;
    /** The state the interleaved rounds had put the host in when a stop cut them short, else null. */
    private Toggle.State stoppedIn;
    /** The host's time for all its benchmarks, started with the first one measured. */
    private HostBudget hostBudget;

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
        this.controls = ctx.controls();
        this.choice = benchmarks.isEmpty() ? null
                : DesignChoice.choose(plan.plans(), play, controls.of(session.hostName()), controls.unmatchedPattern());
        if (choice != null) for (Target t : choice.controls()) controlVars.put(t, verifier.vars(t.vars()));
    }

    /** Measures what has to be measured before any change (before-after and control designs); throws what kept it from measuring. */
    void before() {
        if (benchmarks.isEmpty()) return;
        Design d = choice.design();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("design", d.label());
        detail.put("why", choice.why());
        detail.put("controls", choice.controls().stream().map(Target::name).toList());
        if (d.paired()) {
            Budget b = verifier.budget();
            detail.put("max_rounds", b.maxRounds());
            detail.put("max_time_s", b.maxTime().toMillis() / 1000.0);
            detail.put("max_host_time_s", verifier.maxHostTime().toMillis() / 1000.0);
            detail.put("looks", verifier.looks().rounds());
        }
        if (d == Design.INTERLEAVED) {
            order = new RoundOrder(verifier.seed());
            detail.put("seed", order.seed());
        }
        journal.design(session.hostName(), play.label(), detail);
        if (d == Design.BEFORE_AFTER) {
            listener.hostStarted(session.hostName(), "measuring before: " + String.join(", ", benchmarks.keySet()));
            before = verifier.measure(session.connection(), benchmarks.keySet(), vars);
        } else if (d == Design.CONTROL) {
            for (String b : benchmarks.keySet()) controlBefore(b);
        }
    }

    /**
     * Measures after the changes (and their handlers) as the design says, judges each benchmark,
     * and rolls back the tasks of a regressed benchmark where rollback_on_regression says so.
     *
     * @param reports     what each kind applied
     * @param tasks       the host's task results
     * @param handlersRun handlers run so far; those run again after a rollback are added
     * @param undo        the inverses the host is reverted with if it fails; toggles add theirs
     */
    VerifyOutcome after(Map<String, ApplyReport> reports, List<TaskResult> tasks, List<String> handlersRun, List<KindPlan> undo) {
        if (benchmarks.isEmpty()) return VerifyOutcome.NONE;
        Design d = choice.design();
        List<Samples> after = List.of();
        if (d == Design.BEFORE_AFTER) {
            listener.hostStarted(session.hostName(), "measuring after: " + String.join(", ", benchmarks.keySet()));
            try {
                after = verifier.measure(session.connection(), benchmarks.keySet(), vars);
            } catch (TunerException ex) {
                return outcome(List.of(), before, List.of(), List.of(), List.of(), List.of("could not measure after the change: " + ex.getMessage()));
            }
            for (int i = 0; i < before.size(); i++) {
                // A verdict of this design says what it cannot know.
                judged.put(before.get(i).requested(), VerificationResult.compare(before.get(i), after.get(i), verifier.thresholds()).stream()
                        .map(r -> r.verdict() == Verdict.IMPROVED || r.verdict() == Verdict.REGRESSED ? r.withNote(BEFORE_AFTER_ONLY) : r).toList());
            }
        } else if (d == Design.CONTROL) {
            try {
                for (String b : benchmarks.keySet()) if (!judged.containsKey(b)) judged.put(b, controlAfter(b));
            } catch (TunerException ex) {
                return outcome(List.of(), before, List.of(), List.of(), List.of(), List.of("could not measure after the change: " + ex.getMessage()));
            }
        } else {
            Toggle toggle = new Toggle(applier, handlers, play, tasks, reports, undo, journal, session.hostName());
            try {
                for (String b : benchmarks.keySet()) judged.put(b, interleaved(b, toggle));
            } catch (StopRequest.Stopped stop) {
                // Nothing more is changed after a stop: the host stays in the state the rounds had put
                // it in. In the state after the changes it holds them as planned, like a before-after
                // host whose measuring after was cut short; in the state before them the caller says
                // it is back as it was (see stoppedInStateBefore). Half-way through a toggle, the
                // stop goes on to the caller, which puts the host back as it was.
                stoppedIn = toggle.settledState();
                if (stoppedIn != Toggle.State.AFTER) throw stop;
                return outcome(List.of(), before, List.of(), List.of(), List.of(), List.of("could not finish measuring: " + stop.getMessage()));
            }
            // The host ends as the play wants it; a regression is rolled back from there, as in every design.
            toggle.to(Toggle.State.AFTER, null, 0);
        }
        List<VerificationResult> results = new ArrayList<>();
        judged.values().forEach(results::addAll);
        journal.verified(session.hostName(), play.label(), results);
        Set<Integer> toUndo = new TreeSet<>();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, List<VerificationResult>> e : judged.entrySet()) {
            if (e.getValue().stream().noneMatch(r -> r.verdict() == Verdict.REGRESSED)) continue;
            for (int idx : benchmarks.get(e.getKey())) {
                if (verifier.rollbackOnRegression(play.tasks().get(idx), d)) toUndo.add(idx);
                else kept.add(play.tasks().get(idx).label() + " (" + e.getKey() + ")");
            }
        }
        List<String> rolledBack = new ArrayList<>();
        List<String> outcomeNotes = new ArrayList<>();
        if (!toUndo.isEmpty()) {
            Set<Integer> undone = rollBack(toUndo, reports, kept, outcomeNotes);
            for (int i : undone) rolledBack.add(play.tasks().get(i).label());
            // Services notified by the rolled-back tasks must pick up the previous configuration.
            List<TaskResult> undoneTasks = tasks.stream().filter(t -> undone.contains(t.task())).toList();
            String err = handlers.notifiedBy(play, undoneTasks, handlersRun);
            if (err != null) outcomeNotes.add("after the rollback: " + err);
        }
        return outcome(results, before, after, rolledBack, kept, outcomeNotes);
    }

    /**
     * Whether a stop cut the interleaved rounds short with the host wholly in its state before the
     * changes: every toggle back was applied and journaled, so the host is as it was before the run.
     */
    boolean stoppedInStateBefore() {
        return stoppedIn == Toggle.State.BEFORE;
    }

    private VerifyOutcome outcome(List<VerificationResult> results, List<Samples> b, List<Samples> a, List<String> rolledBack,
                                  List<String> kept, List<String> notes) {
        return new VerifyOutcome(results, b, a, rolledBack, kept, notes, choice.design(), choice.why(), order == null ? null : order.seed(),
                choice.controls().stream().map(Target::name).toList());
    }

    // ------------------------------------------------------------------------------ interleaved

    /** Rounds of one benchmark, each measuring both states in a random order, until the verdict is clear or the budget is spent. */
    private List<VerificationResult> interleaved(String benchmark, Toggle toggle) {
        Budget budget = hostBudget().next(verifier.budget());
        listener.hostStarted(session.hostName(), "measuring " + benchmark + " in interleaved rounds" + besides(choice.controls()));
        try (Lockstep step = lockstep(benchmark, choice.controls(), budget.maxRounds())) {
            step.open();
            long start = step.started();
            if (!step.ready()) return notMeasured(step);
            PairedSeries s = new PairedSeries(session.hostName(), benchmark, step.benchmark(), step.metrics(), Design.INTERLEAVED,
                    verifier.looks(), verifier.thresholds(), step.controls());
            dropped(step, s);
            long roundsTook = 0;
            String stopped = null;
            for (int round = 1; ; round++) {
                String why = budget.stop(round - 1, since(start), Duration.ofNanos(roundsTook), verifier.fewestRounds());
                if (why != null) {
                    stopped = why;
                    s.budgetEnded();
                    break;
                }
                long roundStart = System.nanoTime();
                boolean afterFirst = order.nextAfterFirst();
                List<Toggle.State> states = afterFirst ? List.of(Toggle.State.AFTER, Toggle.State.BEFORE) : List.of(Toggle.State.BEFORE, Toggle.State.AFTER);
                boolean failed = false;
                for (Toggle.State st : states) {
                    toggle.to(st, benchmark, round);
                    Lockstep.Slot slot = step.measure(round, budget.maxRounds(), st.word());
                    dropped(step, s);
                    if (slot == null) {
                        failed = true;
                        break;
                    }
                    if (st == Toggle.State.BEFORE) s.before(slot.figures(), slot.controls());
                    else s.after(slot.figures(), slot.controls());
                }
                if (failed) {
                    stopped = "the benchmark failed in round " + round + " (" + step.samples().message() + ")";
                    break;
                }
                roundsTook += System.nanoTime() - roundStart;
                if (s.look()) break;
            }
            return s.results(stopped);
        }
    }

    // ------------------------------------------------------------------------------ control

    /** Rounds before the change, beside the controls: as many as the budget's first half allows. */
    private void controlBefore(String benchmark) {
        Budget budget = hostBudget().fixed(verifier.budget()).share(0.5);
        listener.hostStarted(session.hostName(), "measuring " + benchmark + " before the change" + besides(choice.controls()));
        try (Lockstep step = lockstep(benchmark, choice.controls(), budget.maxRounds())) {
            step.open();
            long start = step.started();
            if (!step.ready()) {
                judged.put(benchmark, notMeasured(step));
                return;
            }
            PairedSeries s = new PairedSeries(session.hostName(), benchmark, step.benchmark(), step.metrics(), Design.CONTROL,
                    verifier.looks(), verifier.thresholds(), step.controls());
            dropped(step, s);
            long roundsTook = 0;
            for (int round = 1; budget.another(round - 1, since(start), Duration.ofNanos(roundsTook)); round++) {
                long roundStart = System.nanoTime();
                Lockstep.Slot slot = step.measure(round, budget.maxRounds(), "before");
                dropped(step, s);
                if (slot == null) {
                    judged.put(benchmark, notMeasured(step));
                    return;
                }
                s.before(slot.figures(), slot.controls());
                roundsTook += System.nanoTime() - roundStart;
            }
            series.put(benchmark, s);
        }
    }

    /** As many rounds after the change as before, stopping once the verdict is clear or the budget's second half is spent. */
    private List<VerificationResult> controlAfter(String benchmark) {
        PairedSeries s = series.get(benchmark);
        if (s == null) return List.of();
        Budget budget = hostBudget().fixed(verifier.budget()).share(0.5);
        List<Target> still = choice.controls().stream().filter(t -> s.controls().contains(t.name())).toList();
        listener.hostStarted(session.hostName(), "measuring " + benchmark + " after the change" + besides(still));
        // As many rounds after the change as before it, at most: the looks are planned for those.
        s.plan(Looks.plan(s.beforeRounds(), verifier.thresholds().alpha()));
        try (Lockstep step = lockstep(benchmark, still, s.beforeRounds())) {
            step.open();
            long start = step.started();
            if (!step.ready()) return notMeasured(step);
            dropped(step, s);
            long roundsTook = 0;
            String stopped = null;
            for (int round = 1; ; round++) {
                if (round > s.beforeRounds()) {
                    stopped = "as many rounds as before the change (" + s.beforeRounds() + ") reached";
                    break;
                }
                String why = budget.stop(round - 1, since(start), Duration.ofNanos(roundsTook), verifier.fewestRounds());
                if (why != null) {
                    stopped = why;
                    s.budgetEnded();
                    break;
                }
                long roundStart = System.nanoTime();
                Lockstep.Slot slot = step.measure(round, s.beforeRounds(), "after");
                dropped(step, s);
                if (slot == null) {
                    stopped = "the benchmark failed in round " + round + " (" + step.samples().message() + ")";
                    break;
                }
                s.after(slot.figures(), slot.controls());
                roundsTook += System.nanoTime() - roundStart;
                if (s.look()) break;
            }
            return s.results(stopped);
        }
    }

    // ------------------------------------------------------------------------------ shared

    private HostBudget hostBudget() {
        if (hostBudget == null) hostBudget = new HostBudget(verifier.maxHostTime(), benchmarks.size());
        return hostBudget;
    }

    private Lockstep lockstep(String benchmark, List<Target> with, int plannedRuns) {
        BenchmarkDef def = verifier.definition(benchmark);
        Map<Target, Map<String, String>> cv = new LinkedHashMap<>();
        for (Target t : with) cv.put(t, controlVars.get(t));
        return new Lockstep(verifier.runner(), def, verifier.warmup(), plannedRuns, verifier.progress(), session, vars, controls, with, cv);
    }

    /** Controls the lockstep dropped leave the series too, and the host's notes say why. */
    private void dropped(Lockstep step, PairedSeries s) {
        step.takeDropped().forEach(s::dropControl);
    }

    private List<VerificationResult> notMeasured(Lockstep step) {
        Samples failed = step.samples();
        return VerificationResult.compare(failed, failed, verifier.thresholds()).stream()
                .map(r -> new VerificationResult(r.host(), r.benchmark(), r.metric(), r.unit(), r.better(), r.before(), r.after(),
                        r.beforeMedian(), r.afterMedian(), r.beforeMad(), r.afterMad(), r.ratio(), r.changePercent(), r.ciLow(), r.ciHigh(),
                        r.pValue(), r.confidence(), r.threshold(), Verdict.NOT_MEASURED,
                        failed.summary(), choice.design(), 0, List.of(), List.of()))
                .toList();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String besides(List<Target> ts) {
        return ts.isEmpty() ? "" : ", beside " + String.join(", ", ts.stream().map(Target::name).toList());
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
