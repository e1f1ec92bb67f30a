package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.registry.SettingKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The one way changes reach a host: kind plans applied in order, each by its kind on the
 * session's current connection, each journaled as started (on disk before the kind touches the
 * host) and then as applied. The forward apply, the revert of a
 * host that failed, the rollback of tasks after a verified regression and {@code tuner rollback}
 * all go through here. A plan that throws stops the sequence; whatever was thrown comes back as a
 * TunerException naming the host, the kind and, when the plan serves one task, the task.
 */
final class Applier {
    /** A plan that went through, and what its kind reported. */
    record Applied(KindPlan plan, ApplyReport report) {}

    /** The plans that went through, in order, and the one that failed with its error (both null when none did). */
    record Outcome(List<Applied> applied, KindPlan failedPlan, TunerException error) {
        Outcome {
            applied = List.copyOf(applied);
        }

        boolean failed() {
            return error != null;
        }

        /** Each applied plan's kind and report, in order. */
        Map<String, ApplyReport> reports() {
            Map<String, ApplyReport> out = new LinkedHashMap<>();
            applied.forEach(a -> out.put(a.plan().kind(), a.report()));
            return out;
        }
    }

    private final HostSession session;
    private final HostContext host;
    private final RunJournal journal;
    private final String play;
    private final RunListener listener;
    private final IntFunction<String> taskNames;

    /**
     * @param play      the label journal events carry
     * @param taskNames a task's name from its index, or null where there are no tasks (a rollback)
     */
    Applier(HostSession session, HostContext host, RunJournal journal, String play, RunListener listener, IntFunction<String> taskNames) {
        this.session = session;
        this.host = host;
        this.journal = journal;
        this.play = play;
        this.listener = listener;
        this.taskNames = taskNames;
    }

    /**
     * Applies the plans that change something, in order, until one throws. A kind's change starts
     * only once its {@code started} record is on disk: a journal that cannot be written stops the
     * sequence there, before the host is touched.
     *
     * @param progress what the listener is told for each, with {@code %s} for the kind ("applying %s")
     */
    Outcome apply(List<KindPlan> plans, String progress) {
        return apply(plans, progress, null);
    }

    /**
     * @param journalErrors where putting back collects the journal's write errors instead of
     *                      stopping on them; null to stop (see {@link #revert})
     */
    private Outcome apply(List<KindPlan> plans, String progress, List<String> journalErrors) {
        List<Applied> done = new ArrayList<>();
        for (KindPlan p : plans) {
            if (!p.hasChanges()) continue;
            listener.hostStarted(session.hostName(), String.format(progress, p.kind()));
            try {
                record(() -> journal.started(session.hostName(), play, p), journalErrors);
                ApplyReport report = SettingKinds.require(p.kind()).apply(session.connection(), p, host);
                record(() -> journal.applied(session.hostName(), play, p.kind(), report), journalErrors);
                done.add(new Applied(p, report));
            } catch (RuntimeException e) {
                return new Outcome(done, p, HostErrors.contain(e, session.hostName(), taskOf(p), p.kind()));
            }
        }
        return new Outcome(done, null, null);
    }

    private static void record(Runnable write, List<String> journalErrors) {
        try {
            write.run();
        } catch (TunerException e) {
            if (journalErrors == null) throw e;
            if (!journalErrors.contains(e.getMessage())) journalErrors.add(e.getMessage());
        }
    }

    /**
     * Puts back what {@code undo} describes (inverse plans, in the order they were applied), latest
     * first, on a connection that answers (reconnecting once if the current one died). A kind that
     * cannot be put back does not keep the others from it. Returns the state the host was left in.
     *
     * <p>Putting back goes on when the journal cannot be written (a full disk is a common reason
     * to get here): it only moves the host toward what the run's {@code before} record already
     * holds, so a rollback that reads the host afterwards finds either value and restores the
     * rest. The state says that the journal missed it.
     */
    String revert(List<KindPlan> undo) {
        String rollbackHint = ": run 'tuner rollback " + journal.id() + "' when the host is back";
        try {
            session.answering();
        } catch (RuntimeException e) {
            session.discard();
            return "could not revert (" + HostErrors.contain(e, session.hostName(), null, null).getMessage() + ")" + rollbackHint;
        }
        int restored = 0;
        List<String> problems = new ArrayList<>();
        List<String> journalErrors = new ArrayList<>();
        Map<String, String> failedKinds = new LinkedHashMap<>();
        for (int i = undo.size() - 1; i >= 0; i--) {
            Outcome o = apply(List.of(undo.get(i)), "reverting %s", journalErrors);
            for (Applied a : o.applied()) {
                restored += (int) a.report().changes().stream().filter(Change::isChange).count() + a.report().filesWritten().size();
                a.report().changes().stream().filter(c -> c.state() == ChangeState.FAILED).forEach(c -> problems.add(c.key() + ": " + c.note()));
            }
            if (o.failed()) {
                failedKinds.merge(o.failedPlan().kind(), o.error().getMessage(), (x, y) -> x + "; " + y);
                if (HostErrors.unreachable(o.error())) session.discard();
            }
        }
        String unjournaled = journalErrors.isEmpty() ? "" : "; the journal did not record the revert (" + String.join("; ", journalErrors) + ")";
        if (!failedKinds.isEmpty()) {
            return "could not revert " + String.join(", ", failedKinds.keySet()) + " (" + String.join("; ", failedKinds.values()) + ")"
                    + (restored > 0 ? "; the rest was reverted (" + restored + " value(s) and file(s) restored)" : "") + unjournaled + rollbackHint;
        }
        if (!problems.isEmpty()) return "revert incomplete: " + String.join("; ", problems) + unjournaled;
        return (restored == 0 ? "left unchanged" : "reverted to its previous state (" + restored + " value(s) and file(s) restored)") + unjournaled;
    }

    /** The name of the one task a plan serves, or null when it serves several (or there are no tasks). */
    private String taskOf(KindPlan p) {
        if (taskNames == null) return null;
        Set<Integer> tasks = new TreeSet<>();
        p.changes().stream().filter(Change::isChange).forEach(c -> tasks.add(c.task()));
        p.files().stream().filter(FileChange::changes).forEach(f -> tasks.add(f.task()));
        tasks.remove(-1);
        return tasks.size() == 1 ? taskNames.apply(tasks.iterator().next()) : null;
    }
}
