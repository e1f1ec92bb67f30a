package dev.tuner.verify;

import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.StopRequest;
import dev.tuner.verify.ProgressEvent.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark on one host, set up and warmed up, measured one run at a time: between runs the
 * caller may change the host (rounds that toggle a change) or wait for other hosts (controls
 * measured at the same moment). {@link #finish} runs the cleanup, whatever happened before, so
 * no server or scratch file is left behind, then stops every process the series started that is
 * still running (see {@link BenchmarkProcesses}). Made by {@link BenchmarkRunner#open}.
 *
 * <p>A stop request cuts the series short: the setup step or run in progress is killed on the host
 * and {@link StopRequest.Stopped} is thrown; {@link #finish} still runs the cleanup to its end.
 */
public final class BenchmarkSession {
    private final Connection target;
    private final Connection peer;
    private final Hosts hosts;
    private final StopRequest stop;
    private final BenchmarkDef def;
    private final String requested;
    private final Map<String, String> vars;
    private final ProgressListener out;
    private final long start;
    private final String host;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String skipped;
    private String failure;
    private String command;
    private int plannedRuns;
    private int executed;
    private long loopStart;
    private boolean finished;

    /** Where a series' commands run: the target, and the peer for steps marked {@code on: peer} (the target itself when there is none). */
    record Hosts(BenchmarkProcesses target, BenchmarkProcesses peer, boolean targetHasTimeout, boolean peerHasTimeout) {
        BenchmarkProcesses on(Step s) {
            return s.on() == Step.Where.PEER ? peer : target;
        }

        boolean hasTimeout(Step s) {
            return s.on() == Step.Where.PEER ? peerHasTimeout : targetHasTimeout;
        }

        /** The series' variables for a step, {@code run_dir} naming the directory on the host the step runs on. */
        Map<String, String> vars(Step s, Map<String, String> vars) {
            if (s.on() != Step.Where.PEER || peer == target) return vars;
            Map<String, String> v = new HashMap<>(vars);
            v.put("run_dir", peer.dir());
            return v;
        }
    }

    BenchmarkSession(String host, Connection target, Connection peer, Hosts hosts, StopRequest stop, BenchmarkDef def,
                     String requested, Map<String, String> vars, ProgressListener out, long start, String note) {
        this.target = target;
        this.peer = peer;
        this.hosts = hosts;
        this.stop = stop;
        this.def = def;
        this.requested = requested;
        this.vars = vars;
        this.out = out;
        this.start = start;
        this.host = host;
        if (def != null) for (MetricDef m : def.metrics()) values.put(m.name(), new ArrayList<>());
        if (!note.isEmpty()) notes.add(note);
    }

    static BenchmarkSession skipped(String host, String requested, String why, long start) {
        BenchmarkSession s = new BenchmarkSession(host, null, null, null, StopRequest.NEVER, null, requested, Map.of(), ProgressListener.NONE, start, "");
        s.skipped = why;
        s.finished = true;
        return s;
    }

    /** Setup steps, then warm-up runs whose figures are discarded (their output is parsed all the same). */
    void setUp(int warmup, int plannedRuns) {
        this.plannedRuns = plannedRuns;
        try {
            if (!def.setup().isEmpty()) out.progress(event(Phase.SETUP, 0, plannedRuns, null, ""));
            for (Step s : def.setup()) {
                Connection c = s.on() == Step.Where.PEER ? peer : target;
                ExecResult r = BenchmarkRunner.exec(c, hosts.on(s), Template.render(s.run(), hosts.vars(s, vars), def.name()), def.timeout(),
                        hosts.hasTimeout(s), stop);
                if (!r.ok()) {
                    failure = "setup failed on host " + c.hostName() + BenchmarkRunner.describeExit(r, def.timeout());
                    return;
                }
            }
            command = Template.render(def.command(), vars, def.name());
            // Warm-up output is parsed too: a metric that cannot be read should fail before the
            // measured runs are spent, not after.
            for (int i = 1; failure == null && i <= warmup; i++) {
                out.progress(event(Phase.WARMUP, i, warmup, remaining(warmup - i + 1 + plannedRuns), asFallback()));
                once("warm-up run " + i + "/" + warmup);
            }
        } catch (RuntimeException e) {
            if (e instanceof StopRequest.Stopped) failure = e.getMessage();
            finish();
            throw e;
        }
    }

    /** True while runs can be taken: the benchmark was not skipped and nothing failed yet. */
    public boolean ready() {
        return skipped == null && failure == null && !finished;
    }

    /** The benchmark that runs (a fallback's name when one is used), or null when it was skipped. */
    public String benchmark() {
        return def == null ? null : def.name();
    }

    public List<MetricDef> metrics() {
        return def == null ? List.of() : def.metrics();
    }

    /**
     * One measured run, announced as run {@code run} of {@code runs} ({@code detail} says more,
     * e.g. which state a round measures): every metric's figure, or null when the run failed
     * (then {@link #ready()} is false and the reason is in the samples' message).
     */
    public Map<String, Double> measure(int run, int runs, String detail) {
        if (!ready()) return null;
        String as = asFallback();
        out.progress(event(Phase.RUN, run, runs, remaining(runs - run + 1), as.isEmpty() ? detail : detail.isEmpty() ? as : as + ", " + detail));
        return once("run " + run + "/" + runs);
    }

    private Map<String, Double> once(String label) {
        if (executed == 0) loopStart = System.nanoTime();
        ExecResult r;
        try {
            r = BenchmarkRunner.exec(target, hosts.target(), command, def.timeout(), hosts.targetHasTimeout(), stop);
        } catch (StopRequest.Stopped e) {
            failure = e.getMessage();
            throw e;
        }
        executed++;
        boolean warmup = label.startsWith("warm-up");
        if (!r.ok()) {
            failure = label + " failed" + BenchmarkRunner.describeExit(r, def.timeout());
            return null;
        }
        Map<String, Double> got = new LinkedHashMap<>();
        for (MetricDef m : def.metrics()) {
            try {
                got.put(m.name(), m.extract(r.out()));
            } catch (Extractor.ParseFailure e) {
                failure = label + ": metric '" + m.name() + "': " + e.getMessage() + "; output began: " + BenchmarkRunner.head(r.out());
                return null;
            }
        }
        if (!warmup) got.forEach((k, v) -> values.get(k).add(v));
        return got;
    }

    /** Runs the cleanup steps, then stops the series' processes (once; later calls do nothing). */
    public void finish() {
        if (finished) return;
        finished = true;
        if (!def.cleanup().isEmpty()) cleanup();
        BenchmarkRunner.stopProcesses(hosts.target(), notes);
        if (hosts.peer() != hosts.target()) BenchmarkRunner.stopProcesses(hosts.peer(), notes);
        announceEnd();
    }

    /** Not interruptible: a stop request is what often brings us here, and the cleanup must run to its end. */
    private void cleanup() {
        out.progress(event(Phase.CLEANUP, 0, plannedRuns, null, ""));
        for (Step s : def.cleanup()) {
            Connection c = s.on() == Step.Where.PEER ? peer : target;
            try {
                ExecResult r = BenchmarkRunner.exec(c, hosts.on(s), Template.render(s.run(), hosts.vars(s, vars), def.name()), def.timeout(),
                        hosts.hasTimeout(s), StopRequest.NEVER);
                if (!r.ok()) notes.add("cleanup failed on host " + c.hostName() + BenchmarkRunner.describeExit(r, def.timeout()));
            } catch (RuntimeException e) {
                // Do not hide the error that brought us here; report cleanup trouble alongside.
                notes.add("cleanup failed on host " + c.hostName() + ": " + e.getMessage());
            }
        }
    }

    private void announceEnd() {
        int measured = values.isEmpty() ? 0 : values.values().iterator().next().size();
        int shown = Math.max(measured, plannedRuns);
        out.progress(event(failure == null ? Phase.FINISHED : Phase.FAILED, shown, shown, Duration.ZERO, message()));
    }

    /** Every measured run's figures so far, with the reason when the benchmark was skipped or failed. */
    public Samples samples() {
        if (skipped != null) return new Samples(host, requested, null, Samples.Status.SKIPPED, skipped, List.of(), BenchmarkRunner.since(start));
        List<MetricSamples> metrics = new ArrayList<>();
        for (MetricDef m : def.metrics()) metrics.add(new MetricSamples(m.name(), m.unit(), m.better(), values.get(m.name())));
        return new Samples(host, requested, def.name(), failure == null ? Samples.Status.MEASURED : Samples.Status.FAILED, message(),
                metrics, BenchmarkRunner.since(start));
    }

    private String message() {
        List<String> all = new ArrayList<>(notes);
        if (failure != null) all.add(0, failure);
        return String.join("; ", all);
    }

    private String asFallback() {
        return def.name().equals(requested) ? "" : "as " + def.name();
    }

    /** Time left for {@code left} more runs at the pace so far; null until one run has finished. */
    private Duration remaining(int left) {
        if (executed == 0) return null;
        return Duration.ofNanos((System.nanoTime() - loopStart) / executed * left);
    }

    private ProgressEvent event(Phase phase, int run, int runs, Duration remaining, String message) {
        return new ProgressEvent(host, requested, phase, run, runs, BenchmarkRunner.since(start), remaining, message);
    }
}
