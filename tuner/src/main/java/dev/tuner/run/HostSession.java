package dev.tuner.run;

import dev.tuner.lock.HostLocks;
import dev.tuner.lock.LockedException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.TransportException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The connection to one host while a run works on it. No step keeps a connection: each asks
 * {@link #connection()} when it needs one. So once {@link #reconnect()} replaced it (the vmx kind
 * waiting for a power-cycled guest, through {@code HostContext.reconnect}), everything after —
 * later kinds, measuring, handlers, reverting, rolling back — works on the new one.
 *
 * <p>With {@link HostLocks}, every connection it opens first takes (or, after a reconnect,
 * confirms) the run's lock on the host, and {@link #close()} releases it. A host whose lock
 * another run holds is refused for the rest of the run: every later step gets the same error.
 */
final class HostSession implements AutoCloseable {
    private final Target target;
    private final Function<Target, Connection> opener;
    private final HostLocks locks;
    private Connection current;
    private LockedException refused;

    HostSession(Target target, Function<Target, Connection> opener) {
        this(target, opener, null);
    }

    /** @param locks the run's host locks; null takes none */
    HostSession(Target target, Function<Target, Connection> opener, HostLocks locks) {
        this.target = target;
        this.opener = opener;
        this.locks = locks;
    }

    String hostName() {
        return target.name();
    }

    Target target() {
        return target;
    }

    /** The current connection, opened when there is none. */
    synchronized Connection connection() {
        if (refused != null) throw refused;
        if (current == null) {
            Connection c = opener.apply(target);
            if (locks != null) {
                try {
                    locks.take(c, target.vars());
                } catch (RuntimeException e) {
                    if (e instanceof LockedException locked) refused = locked;
                    c.close();
                    throw e;
                }
            }
            current = c;
        }
        return current;
    }

    /** Closes the current connection and opens a new one. */
    synchronized Connection reconnect() {
        discard();
        return connection();
    }

    /** Drops a broken connection: the next step opens a new one. */
    synchronized void discard() {
        Connection c = current;
        current = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // it was broken already
            }
        }
    }

    /** A connection that answers: the current one if it still does, else a new one (putting things back after a failure). */
    synchronized Connection answering() {
        try {
            Connection c = connection();
            c.exec("true", null, Duration.ofSeconds(10));
            return c;
        } catch (TransportException e) {
            return reconnect();
        }
    }

    /** Releases the run's lock on the host (on a new connection if the current one broke), then closes the connection. */
    @Override
    public void close() {
        if (locks != null && locks.holds(target.name())) {
            boolean fresh;
            synchronized (this) {
                fresh = current == null;
            }
            try {
                locks.release(connection());
            } catch (TransportException broken) {
                // A connection that broke during the run gets one more try on a new one; a new one that failed, none.
                try {
                    if (fresh) throw broken;
                    locks.release(reconnect());
                } catch (RuntimeException e) {
                    locks.notReleased(target.name(), e.getMessage());
                }
            } catch (RuntimeException e) {
                locks.notReleased(target.name(), e.getMessage());
            }
        }
        discard();
    }
}
