package dev.tuner.transport;

import dev.tuner.diag.TunerException;

/**
 * A request to stop a run early (an operator's SIGINT or SIGTERM), made once, from any thread.
 * Work checks {@link #requested()} between its steps and starts nothing new once it is set. A
 * command that may take minutes (a benchmark) is run with
 * {@link Connection#exec(String, byte[], java.time.Duration, StopRequest)}, which kills it on the
 * host when the request comes; every other command runs to its end, so a change in progress is
 * never cut in half.
 */
public final class StopRequest {
    /** A request nobody makes: for commands that must run to their end. */
    public static final StopRequest NEVER = new StopRequest(true);

    private final boolean fixed;
    private volatile String reason;

    public StopRequest() {
        this(false);
    }

    private StopRequest(boolean fixed) {
        this.fixed = fixed;
    }

    /** Thrown by work that ended early because a stop was requested. */
    public static final class Stopped extends TunerException {
        public Stopped(String reason) {
            super("interrupted (" + reason + ")");
        }
    }

    /** Requests the stop, saying why ("SIGINT"); later calls change nothing. Returns whether this call made the request. */
    public synchronized boolean request(String why) {
        if (fixed) throw new IllegalStateException("StopRequest.NEVER cannot be requested");
        if (reason != null) return false;
        reason = why;
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
}
