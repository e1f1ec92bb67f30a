package dev.tuner.lock;

import dev.tuner.diag.TunerException;
import java.time.Duration;

/**
 * A host or journal another run holds: names the holder, how long this run waited, and whether
 * the holder is known to be gone (a stale lock) or cannot be checked from here.
 */
public final class LockedException extends TunerException {
    private final LockOwner holder;

    LockedException(String what, LockOwner holder, Duration waited, String staleHint) {
        super(message(what, holder, waited, staleHint));
        this.holder = holder;
    }

    /** The holder, or null when the lock has no owner record. */
    public LockOwner holder() {
        return holder;
    }

    /**
     * @param staleHint how to clear a lock that is stale, or null for a lock that cannot be (the
     *                  kernel drops it when its holder ends)
     */
    private static String message(String what, LockOwner holder, Duration waited, String staleHint) {
        StringBuilder sb = new StringBuilder(what).append(" is locked by ");
        if (holder == null) {
            sb.append(staleHint == null ? "a run that is starting or ending (it has not written its name)"
                    : "a run that left no owner record (it may have died while taking the lock; " + staleHint + " --force)");
        } else {
            sb.append(holder.describe());
        }
        sb.append("; ").append(waited.isZero() ? "not waited" : "waited " + waited.toSeconds() + "s").append(", nothing was changed");
        if (holder != null) {
            var alive = holder.alive();
            if (alive.isEmpty()) {
                sb.append(" (that run is on another machine: whether it still runs can be checked only there; --lock-timeout to wait)");
            } else if (alive.get() || staleHint == null) {
                sb.append(" (that process is running; --lock-timeout to wait for it)");
            } else {
                sb.append(" (that process is gone: the lock is stale; ").append(staleHint).append(')');
            }
        }
        return sb.toString();
    }
}
