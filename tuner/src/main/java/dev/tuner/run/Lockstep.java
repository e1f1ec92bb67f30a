package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.verify.BenchmarkDef;
import dev.tuner.verify.BenchmarkRunner;
import dev.tuner.verify.BenchmarkSession;
import dev.tuner.verify.MetricDef;
import dev.tuner.verify.ProgressListener;
import dev.tuner.verify.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One benchmark on a changed host and its control hosts, run by all of them at the same moments:
 * set up and warmed up together, then each measured run started on every host at once (a barrier
 * releases them together), so whatever the environment does during a run, every host sees it.
 * Controls are only measured, never changed. A control that fails is dropped, with why; the
 * changed host's failure ends the series.
 */
final class Lockstep implements AutoCloseable {
    /** One run's figures: the changed host's, and each control's that answered. */
    record Slot(Map<String, Double> figures, Map<String, Map<String, Double>> controls) {}

    private final BenchmarkRunner runner;
    private final BenchmarkDef def;
    private final int warmup;
    private final int plannedRuns;
    private final ProgressListener progress;
    private final HostSession host;
    private final Map<String, String> hostVars;
    private final Controls pool;
    private final List<Target> controls;
    private final Map<Target, Map<String, String>> controlVars;
    private final Map<String, BenchmarkSession> controlSessions = new LinkedHashMap<>();
    private final Map<String, String> dropped = new LinkedHashMap<>();
    private final ExecutorService threads;
    private BenchmarkSession mine;
    private boolean locked;
    private long started;

    /**
     * @param controlVars each control's benchmark variables (its own {@code tuner_verify_vars} apply)
     */
    Lockstep(BenchmarkRunner runner, BenchmarkDef def, int warmup, int plannedRuns, ProgressListener progress, HostSession host,
             Map<String, String> hostVars, Controls pool, List<Target> controls, Map<Target, Map<String, String>> controlVars) {
        this.runner = runner;
        this.def = def;
        this.warmup = warmup;
        this.plannedRuns = plannedRuns;
        this.progress = progress;
        this.host = host;
        this.hostVars = hostVars;
        this.pool = pool;
        this.controls = List.copyOf(controls);
        this.controlVars = controlVars;
        this.threads = controls.isEmpty() ? null : Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tuner-control");
            t.setDaemon(true);
            return t;
        });
    }

    /** Set-up and warm-up on every host at once. A control that cannot run the same benchmark is dropped. */
    void open() {
        pool.acquire(controls);
        locked = true;
        started = System.nanoTime();
        Together opened = together(controls, t -> runner.open(pool.session(t).connection(), null, def, controlVars.get(t),
                warmup, plannedRuns, ProgressListener.NONE), () -> runner.open(host.connection(), null, def, hostVars, warmup, plannedRuns, progress));
        mine = (BenchmarkSession) opened.results().get(host.hostName());
        for (Target t : controls) {
            Object r = opened.results().get(t.name());
            if (!(r instanceof BenchmarkSession s)) {
                dropped.put(t.name(), String.valueOf(r));
            } else if (!s.ready()) {
                s.finish();
                dropped.put(t.name(), s.samples().message());
            } else if (mine != null && mine.ready() && !s.benchmark().equals(mine.benchmark())) {
                s.finish();
                dropped.put(t.name(), "it ran " + s.benchmark() + " where " + host.hostName() + " ran " + mine.benchmark());
            } else {
                controlSessions.put(t.name(), s);
            }
        }
        if (opened.hostError() != null) throw opened.hostError();
    }

    /** When the series began: its controls were free (a changed host waiting for another's controls spends no budget). */
    long started() {
        return started;
    }

    boolean ready() {
        return mine != null && mine.ready();
    }

    /** The benchmark that runs on the changed host (a fallback's name when one is used). */
    String benchmark() {
        return mine.benchmark();
    }

    List<MetricDef> metrics() {
        return mine.metrics();
    }

    /** Controls measuring beside the changed host, in name order. */
    List<String> controls() {
        return List.copyOf(controlSessions.keySet());
    }

    /** Controls dropped since the last call, with why. */
    Map<String, String> takeDropped() {
        Map<String, String> out = new LinkedHashMap<>(dropped);
        dropped.clear();
        return out;
    }

    /** One run on every host at once; null when the changed host's run failed (see {@link #samples()}). */
    @SuppressWarnings("unchecked")
    Slot measure(int run, int runs, String detail) {
        List<Target> live = controls.stream().filter(t -> controlSessions.containsKey(t.name())).toList();
        Together raw = together(live, t -> controlSessions.get(t.name()).measure(run, runs, detail), () -> mine.measure(run, runs, detail));
        Map<String, Map<String, Double>> got = new LinkedHashMap<>();
        for (Target t : live) {
            Object r = raw.results().get(t.name());
            if (r instanceof Map<?, ?> m) {
                got.put(t.name(), (Map<String, Double>) m);
                continue;
            }
            BenchmarkSession s = controlSessions.remove(t.name());
            s.finish();
            dropped.put(t.name(), r instanceof String why ? why : s.samples().message());
        }
        if (raw.hostError() != null) throw raw.hostError();
        Map<String, Double> figures = (Map<String, Double>) raw.results().get(host.hostName());
        return figures == null ? null : new Slot(figures, got);
    }

    /** The changed host's figures and, when it failed, why. */
    Samples samples() {
        return mine.samples();
    }

    @Override
    public void close() {
        try {
            if (mine != null) mine.finish();
            for (BenchmarkSession s : controlSessions.values()) s.finish();
        } finally {
            if (locked) pool.release(controls);
            locked = false;
            if (threads != null) threads.shutdownNow();
        }
    }

    /** What each host's part of a step returned (a control's failure as its message), and the changed host's exception. */
    private record Together(Map<String, Object> results, RuntimeException hostError) {}

    /**
     * Runs {@code onControl} for each control on its own thread and {@code onHost} on this one,
     * all released at once, and waits for all of them.
     */
    private Together together(List<Target> live, java.util.function.Function<Target, Object> onControl,
                              java.util.function.Supplier<Object> onHost) {
        CyclicBarrier start = new CyclicBarrier(live.size() + 1);
        Map<String, Future<Object>> futures = new LinkedHashMap<>();
        for (Target t : live) {
            futures.put(t.name(), threads.submit(() -> {
                await(start);
                try {
                    return onControl.apply(t);
                } catch (RuntimeException e) {
                    return (Object) (e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        RuntimeException error = null;
        try {
            if (!live.isEmpty()) await(start);
            out.put(host.hostName(), onHost.get());
        } catch (RuntimeException e) {
            error = e;
        }
        for (Map.Entry<String, Future<Object>> e : futures.entrySet()) out.put(e.getKey(), get(e.getValue()));
        return new Together(out, error);
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted");
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new TunerException("a host measured in lockstep gave up");
        }
    }

    private static Object get(Future<Object> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }
}
