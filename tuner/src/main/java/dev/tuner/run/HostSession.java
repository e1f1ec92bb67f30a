package dev.tuner.run;

import dev.tuner.transport.Connection;
import dev.tuner.transport.TransportException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The connection to one host while a run works on it. No step keeps a connection: each asks
 * {@link #connection()} when it needs one. So once {@link #reconnect()} replaced it (the vmx kind
 * waiting for a power-cycled guest, through {@code HostContext.reconnect}), everything after —
 * later kinds, measuring, handlers, reverting, rolling back — works on the new one.
 */
final class HostSession implements AutoCloseable {
    private final Target target;
    private final Function<Target, Connection> opener;
    private Connection current;

    HostSession(Target target, Function<Target, Connection> opener) {
        this.target = target;
        this.opener = opener;
    }

    String hostName() {
        return target.name();
    }

    Target target() {
        return target;
    }

    /** The current connection, opened when there is none. */
    synchronized Connection connection() {
        if (current == null) current = opener.apply(target);
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

    @Override
    public void close() {
        discard();
    }
}
