package dev.tuner.transport;

import dev.tuner.diag.TunerException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A request to stop a run early (an operator's SIGINT or SIGTERM), made once, from any thread.
 * Work checks {@link #requested()} between its steps and starts nothing new once it is set.
 *
 * <p>A few commands may take minutes (benchmarks). Those run inside {@link #interruptibly}: when
 * the request comes, the thread waiting for such a command is interrupted, which makes its
 * connection kill the command on the host (see {@link Connection}); the work then ends with
 * {@link Stopped}. Every other command runs to its end, so a change in progress is never cut in
 * half. A thread is interrupted at most once, when the request is made, and its interrupt flag is
 * cleared when it leaves the interruptible part, so what it does next (cleanup, journal writes)
 * is not cut short.
 */
public final class StopRequest {
    private final Set<Thread> interruptible = new HashSet<>();
    private final Set<Thread> interrupted = new HashSet<>();
    private volatile String reason;

    /** Thrown by work that ended early because a stop was requested. */
    public static final class Stopped extends TunerException {
        public Stopped(String reason) {
            super("interrupted (" + reason + ")");
        }
    }

    /**
     * Requests the stop, saying why ("SIGINT"); later calls change nothing. Returns whether this
     * call made the request.
     */
    public boolean request(String why) {
        synchronized (this) {
            if (reason != null) return false;
            reason = why;
            for (Thread t : interruptible) {
                interrupted.add(t);
                t.interrupt();
            }
        }
        return true;
    }

    public boolean requested() {
        return reason != null;
    }

    /** Why the stop was requested ("SIGINT"), or null when it was not. */
    public String reason() {
        return reason;
    }

    /** Throws {@link Stopped} when a stop was requested. */
    public void check() {
        String why = reason;
        if (why != null) throw new Stopped(why);
    }

    /**
     * Runs {@code work}, whose commands are killed on their host if a stop is requested meanwhile;
     * it then ends with {@link Stopped}. When a stop was requested before, {@code work} does not run.
     */
    public <T> T interruptibly(Supplier<T> work) {
        Thread me = Thread.currentThread();
        synchronized (this) {
            check();
            interruptible.add(me);
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (requested()) {
                Stopped stopped = new Stopped(reason);
                stopped.addSuppressed(e);
                throw stopped;
            }
            throw e;
        } finally {
            boolean wasInterrupted;
            synchronized (this) {
                interruptible.remove(me);
                wasInterrupted = interrupted.remove(me);
            }
            // Our interrupt only: whatever interrupted the thread for another reason still counts.
            if (wasInterrupted) Thread.interrupted();
        }
    }
}
