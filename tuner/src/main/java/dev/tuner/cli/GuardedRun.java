package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunJournal;
import dev.tuner.lock.HostLocks;
import dev.tuner.lock.JournalLock;
import dev.tuner.lock.LockOwner;
import dev.tuner.run.RunControl;
import dev.tuner.transport.StopRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every command that changes hosts (apply, rollback, bench) sets up around its run, in this
 * order: the journal's lock (so a refused run journals nothing), the run's journal, the host locks
 * in the run's name (a rollback may take over the locks the run it undoes left), and graceful
 * interrupts. Closing it releases the journal's lock and warns
 * about host locks the run could not release.
 */
final class GuardedRun implements AutoCloseable {
    final RunJournal journal;
    final HostLocks locks;
    final Interrupts.Activity activity;
    private final JournalLock journalLock;
    private final Interrupts interrupts;
    private final PrintWriter err;

    private GuardedRun(RunJournal journal, HostLocks locks, Interrupts.Activity activity, JournalLock journalLock, Interrupts interrupts,
                       PrintWriter err) {
        this.journal = journal;
        this.locks = locks;
        this.activity = activity;
        this.journalLock = journalLock;
        this.interrupts = interrupts;
        this.err = err;
    }

    /**
     * Takes the journal's lock (waiting up to {@code lock}'s timeout), begins the run's journal
     * and arms graceful interrupts.
     *
     * @param undo the command that undoes this run, given its id (for the message a second interrupt
     *             prints); null for a run that changes nothing
     */
    static GuardedRun begin(Journal journal, String command, String playbook, InventoryOptions inv, String rollbackOf,
                            LockOptions lock, Interrupts interrupts, Progress progress, PrintWriter err,
                            Function<String, String> undo) {
        StopRequest stop = interrupts.stop();
        LockOwner owner = LockOwner.thisProcess(null, command);
        JournalLock journalLock = JournalLock.take(journal.dir(), owner, lock.lockTimeout, stop);
        try {
            RunJournal rj = journal.begin(command, playbook, List.copyOf(inv.inventories), rollbackOf);
            owner = owner.forRun(rj.id());
            journalLock.update(owner);
            HostLocks locks = new HostLocks(owner, lock.lockTimeout, stop, (host, holder) -> progress.hostStarted(host, "waiting for "
                    + (holder == null ? "its lock" : "its lock, held by " + holder.describe())), inventoryArgs(inv), rollbackOf);
            Interrupts.Activity activity = new Interrupts.Activity(progress);
            GuardedRun g = new GuardedRun(rj, locks, activity, journalLock, interrupts, err);
            interrupts.changing(() -> g.leftBehind(inv, undo == null ? null : undo.apply(rj.id())));
            return g;
        } catch (RuntimeException e) {
            journalLock.close();
            throw e;
        }
    }

    RunControl control() {
        return new RunControl(interrupts.stop(), locks);
    }

    StopRequest stop() {
        return interrupts.stop();
    }

    /** The journal status of a run that ended with {@code status} unless it was interrupted. */
    String status(String status) {
        return interrupts.stopped() ? "interrupted" : status;
    }

    /**
     * Journals how the run ended ({@code status}, or interrupted) with its counts. Returns null, or,
     * when the journal could not take it (a full disk), "the end of run ID could not be journaled
     * (why)": the run's own records were written before, so the caller still reports the run,
     * then this, and exits 1.
     */
    String finish(String status, Map<String, Object> counts) {
        try {
            journal.finish(status(status), counts);
            return null;
        } catch (TunerException e) {
            return "the end of run " + journal.id() + " could not be journaled (" + e.getMessage() + ")";
        }
    }

    /** What quitting at once may leave: hosts in the middle of something, the locks the run holds, and how to undo. */
    private String leftBehind(InventoryOptions inv, String undo) {
        StringBuilder sb = new StringBuilder(activity.inProgress());
        List<String> held = locks.held();
        if (!held.isEmpty()) {
            sb.append("  this run's locks stay on ").append(String.join(", ", held)).append(": once you have looked, 'tuner unlock ")
                    .append(String.join(" ", held)).append(' ').append(inventoryArgs(inv)).append("' clears them\n");
        }
        sb.append("  the journal shows run ").append(journal.id()).append(" as running");
        if (undo != null) sb.append("; '").append(undo).append("' restores what it changed");
        return sb.toString();
    }

    static String inventoryArgs(InventoryOptions inv) {
        return inv.inventories.stream().map(i -> "-i " + i).collect(Collectors.joining(" "));
    }

    @Override
    public void close() {
        journalLock.close();
        for (String l : locks.takenOver()) err.println("note: " + l);
        for (String l : locks.left()) err.println("warning: " + l);
        err.flush();
    }
}
