package dev.tuner.run;

import dev.tuner.lock.HostLocks;
import dev.tuner.transport.StopRequest;

/**
 * What keeps a run that changes hosts safe beside other runs and stoppable by its operator: the
 * host locks it takes (null: none, as for plan and drift, which only read) and the stop request
 * an interrupt sets.
 */
public record RunControl(StopRequest stop, HostLocks locks) {
    /** A run that takes no host locks and that nothing stops. */
    public static RunControl unlocked() {
        return new RunControl(new StopRequest(), null);
    }
}
