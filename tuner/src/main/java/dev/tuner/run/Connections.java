package dev.tuner.run;

import dev.tuner.transport.Connection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** One connection per host for the whole run, reused by every play, closed at the end. */
final class Connections implements AutoCloseable {
    private final Function<Target, Connection> opener;
    private final ConcurrentHashMap<String, Connection> open = new ConcurrentHashMap<>();

    Connections(Function<Target, Connection> opener) {
        this.opener = opener;
    }

    Connection get(Target t) {
        return open.computeIfAbsent(t.name(), k -> opener.apply(t));
    }

    /** Drops a broken connection so the next use reconnects. */
    void discard(Target t) {
        Connection c = open.remove(t.name());
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        open.values().forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            }
        });
        open.clear();
    }
}
