package dev.tuner.run;

import dev.tuner.diag.TunerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Works on hosts up to {@code forks} at a time, as Ansible's forks do. The results come back in
 * the order the hosts were given, and are handed to {@code finished} in that order as they become
 * known. A host whose work throws ends with the result {@code failed} makes of the error (see
 * {@link HostErrors}): one host never stops the others.
 */
public final class HostFork {
    private HostFork() {}

    public static <H, R> List<R> run(List<H> hosts, int forks, Function<H, R> work, BiFunction<H, TunerException, R> failed,
                                     Consumer<R> finished) {
        List<R> out = new ArrayList<>();
        if (hosts.isEmpty()) return out;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())), r -> {
            Thread t = new Thread(r, "tuner-host");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (H host : hosts) {
                futures.add(pool.submit(() -> {
                    try {
                        return work.apply(host);
                    } catch (RuntimeException e) {
                        return failed.apply(host, HostErrors.contain(e, null, null, null));
                    }
                }));
            }
            for (Future<R> f : futures) {
                R r = await(f);
                out.add(r);
                finished.accept(r);
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static <R> R await(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted");
        } catch (ExecutionException e) {
            // Work exceptions are turned into results above: only an Error (out of memory, ...) gets here.
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
