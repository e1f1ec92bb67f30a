package dev.tuner.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Resources that live as long as one run and are shared by every host of it, such as one vSphere
 * session per endpoint: opened by the first host that needs one, closed (in reverse order) when the
 * run ends. Thread-safe: hosts are worked on in parallel, and a second host asking for a key that is
 * being opened waits for it instead of opening another.
 */
public final class RunScope implements AutoCloseable {
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /**
     * The value under {@code key}, made by {@code open} the first time. A value that is AutoCloseable is
     * closed with the scope. An exception from {@code open} reaches the caller and nothing is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Supplier<T> open) {
        return (T) values.computeIfAbsent(key, k -> {
            T v = open.get();
            if (v instanceof AutoCloseable c) {
                synchronized (toClose) {
                    toClose.add(c);
                }
            }
            return v;
        });
    }

    /** Closes what was opened, latest first; never throws (closing is best effort at the end of a run). */
    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (toClose) {
            all = new ArrayList<>(toClose);
            toClose.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception ignored) {
                // a session that cannot be closed expires on its server
            }
        }
        values.clear();
    }
}
