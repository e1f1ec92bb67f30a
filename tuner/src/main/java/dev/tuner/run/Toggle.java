package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.KindPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a host in its state before or after its changes, as interleaved rounds ask. A toggle is
 * the inverse of the last one (the first undoes the apply), applied through the {@link Applier},
 * so it is journaled like any change and {@code tuner rollback} replays it backwards; then the
 * handlers the changed tasks notify run again, so a service reloads the files it now has.
 *
 * <p>Every toggle's inverse joins {@code undo}, the list a failing host is reverted with: a
 * toggle that fails half-way leaves the host to be put back as it was before the run, recorded.
 */
final class Toggle {
    enum State {
        BEFORE, AFTER;

        String word() {
            return name().toLowerCase();
        }
    }

    private final Applier applier;
    private final Handlers handlers;
    private final Play play;
    private final List<TaskResult> tasks;
    private final List<KindPlan> undo;
    private final RunJournal journal;
    private final String host;
    private List<Applier.Applied> current = new ArrayList<>();
    private State state = State.AFTER;
    /** False from the moment a toggle begins until it has put the host wholly in its new state. */
    private boolean settled = true;

    /**
     * @param applied what the apply did, kind by kind in order (the host is in its state after)
     * @param undo    the inverses a failing host is reverted with; toggles add theirs
     */
    Toggle(Applier applier, Handlers handlers, Play play, List<TaskResult> tasks, Map<String, ApplyReport> applied, List<KindPlan> undo,
           RunJournal journal, String host) {
        this.applier = applier;
        this.handlers = handlers;
        this.play = play;
        this.tasks = tasks;
        this.undo = undo;
        this.journal = journal;
        this.host = host;
        applied.forEach((kind, report) -> current.add(new Applier.Applied(new KindPlan(kind, List.of(), List.of(), List.of()), report)));
    }

    /**
     * Puts the host in state {@code to} (nothing to do when it is there) for a round of
     * {@code benchmark}, or after the rounds when that is null; throws what kept it from getting there.
     */
    void to(State to, String benchmark, int round) {
        if (to == state) return;
        settled = false;
        journal.toggle(host, play.label(), benchmark, round, to.word());
        String when = benchmark == null ? "after the rounds" : "round " + round + " of " + benchmark;
        List<KindPlan> plans = new ArrayList<>();
        for (int i = current.size() - 1; i >= 0; i--) plans.add(Inverse.of(current.get(i).plan().kind(), current.get(i).report()));
        Applier.Outcome o = applier.apply(plans, when + ": %s to " + to.word());
        for (Applier.Applied a : o.applied()) undo.add(Inverse.of(a.plan().kind(), a.report()));
        if (o.failed()) {
            KindPlan f = o.failedPlan();
            undo.add(Inverse.of(f.kind(), f.changes(), f.files()));
            throw new TunerException("putting the host in its state " + to.word() + " the changes (" + when + "): " + o.error().getMessage());
        }
        List<String> refused = new ArrayList<>();
        for (Applier.Applied a : o.applied()) {
            for (Change c : a.report().changes()) if (c.state() == ChangeState.FAILED) refused.add(c.key() + ": " + c.note());
        }
        if (!refused.isEmpty()) {
            throw new TunerException("putting the host in its state " + to.word() + " the changes (" + when + "): " + String.join("; ", refused));
        }
        String err = handlers.notifiedBy(play, tasks, new ArrayList<>());
        if (err != null) throw new TunerException("after putting the host in its state " + to.word() + " the changes: " + err);
        current = new ArrayList<>(o.applied());
        state = to;
        settled = true;
    }

    /** The state the host is wholly in, or null while a toggle is half-way (it began and did not end). */
    State settledState() {
        return settled ? state : null;
    }
}
