package dev.tuner.verify;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import dev.tuner.transport.StopRequest;
import dev.tuner.verify.ProgressEvent.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one benchmark a number of times on one host and collects its figures.
 *
 * <p>Order: one exec checks every prerequisite of the benchmark and its fallbacks at once
 * ({@code command -v} for binaries, the {@code check} commands); the first benchmark of the chain
 * whose prerequisites are met runs. Then setup, warm-up runs (figures discarded), measured runs,
 * and cleanup, which runs whatever happened before it, so no iperf3 server or scratch file is left behind.
 * Every process the series starts that may outlive a command is recorded on the host and stopped
 * at the end, and what an earlier series left running is stopped before this one starts (see
 * {@link BenchmarkProcesses}).
 *
 * <p>A stop request cuts the series short: the setup step or run in progress is killed on the
 * host, no further one starts, the cleanup runs to its end and the processes are stopped, then
 * {@link StopRequest.Stopped} is thrown.
 *
 * <p>Time limits: each command runs under coreutils {@code timeout} on the host when it is there,
 * so a hung benchmark is killed on the host itself (with its children), not only abandoned by us;
 * the connection's own timeout is a little longer, as a backstop.
 */
public final class BenchmarkRunner {
    private static final Duration BACKSTOP = Duration.ofSeconds(30);
    private static final int TIMEOUT_EXIT = 124;

    private final BenchmarkCatalog catalog;
    private final StopRequest stop;

    /** {@code catalog} resolves fallbacks; may be null when benchmarks have none. */
    public BenchmarkRunner(BenchmarkCatalog catalog) {
        this(catalog, new StopRequest());
    }

    /** A runner whose series end early when {@code stop} is requested. */
    public BenchmarkRunner(BenchmarkCatalog catalog, StopRequest stop) {
        this.catalog = catalog;
        this.stop = stop;
    }

    public Samples run(Connection target, BenchmarkDef def, Map<String, String> vars, int warmup, int runs, ProgressListener listener) {
        return run(target, null, def, vars, warmup, runs, listener);
    }

    /**
     * Like {@link #run(Connection, BenchmarkDef, Map, int, int, ProgressListener)}, with the peer's
     * connection for steps marked {@code on: peer}. When {@code peer} is null those steps run on
     * the target (a loopback measurement).
     */
    public Samples run(Connection target, Connection peer, BenchmarkDef def, Map<String, String> vars,
                       int warmup, int runs, ProgressListener listener) {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1");
        if (warmup < 0) throw new IllegalArgumentException("warmup must not be negative");
        ProgressListener out = listener == null ? ProgressListener.NONE : listener;
        long start = System.nanoTime();
        String host = target.hostName();
        String runId = UUID.randomUUID().toString().substring(0, 8);

        List<BenchmarkDef> chain = chain(def);
        out.progress(new ProgressEvent(host, def.name(), Phase.CHECKING, 0, runs, since(start), null, "prerequisites"));
        Map<String, Map<String, String>> varsByDef = new HashMap<>();
        for (BenchmarkDef d : chain) varsByDef.put(d.name(), values(d, vars, host, runId));

        stop.check();
        Probe onTarget = probe(target, chain, varsByDef);
        Connection peerConn = peer == null ? target : peer;
        boolean separatePeer = peer != null && peer != target;
        Probe onPeer = separatePeer && chain.stream().anyMatch(BenchmarkDef::usesPeer) ? probe(peer, chain, Map.of()) : null;

        List<String> reasons = new ArrayList<>();
        BenchmarkDef chosen = null;
        for (BenchmarkDef d : chain) {
            String why = onTarget.missing(d, host, true);
            if (why == null && onPeer != null && d.usesPeer()) why = onPeer.missing(d, peer.hostName() + " (the peer)", false);
            if (why == null) {
                chosen = d;
                break;
            }
            reasons.add(d == def ? why : "fallback " + d.name() + " " + why);
        }
        if (chosen == null) {
            String msg = String.join("; ", reasons);
            out.progress(new ProgressEvent(host, def.name(), Phase.SKIPPED, 0, runs, since(start), null, msg));
            return new Samples(host, def.name(), null, Samples.Status.SKIPPED, msg, List.of(), since(start));
        }
        String note = chosen == def ? "" : "used " + chosen.name() + " because " + def.name() + " " + reasons.get(0);
        boolean peerHasTimeout = separatePeer ? onPeer != null && onPeer.hasTimeout : onTarget.hasTimeout;
        Duration limit = chosen.timeout();
        List<String> leftovers = new ArrayList<>();
        stop.check();
        BenchmarkProcesses targetProcesses = BenchmarkProcesses.start(target, runId, limit, onTarget.series(), leftovers);
        BenchmarkProcesses peerProcesses = targetProcesses;
        if (separatePeer && chosen.usesPeer()) {
            try {
                // A directory of its own, even where the peer shares the target's /tmp.
                peerProcesses = BenchmarkProcesses.start(peer, runId + "-peer", limit, onPeer.series(), leftovers);
            } catch (RuntimeException e) {
                stopProcesses(targetProcesses, new ArrayList<>());
                throw e;
            }
        }
        if (!leftovers.isEmpty()) note = (note.isEmpty() ? "" : note + "; ") + "stopped what an earlier series left running: "
                + String.join(", ", leftovers);
        return execute(target, peerConn, chosen, def.name(), varsByDef.get(chosen.name()), new Hosts(targetProcesses, peerProcesses,
                onTarget.hasTimeout, peerHasTimeout), warmup, runs, out, start, note);
    }

    /** Where a series' commands run: the target, and the peer for steps marked {@code on: peer} (the target itself when there is none). */
    private record Hosts(BenchmarkProcesses target, BenchmarkProcesses peer, boolean targetHasTimeout, boolean peerHasTimeout) {
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

    private Samples execute(Connection target, Connection peer, BenchmarkDef d, String requested, Map<String, String> vars,
                            Hosts hosts, int warmup, int runs, ProgressListener out, long start, String note) {
        String host = target.hostName();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (MetricDef m : d.metrics()) values.put(m.name(), new ArrayList<>());
        String failure = null;
        StopRequest.Stopped stopped = null;
        List<String> notes = new ArrayList<>();
        if (!note.isEmpty()) notes.add(note);
        try {
            if (!d.setup().isEmpty()) out.progress(new ProgressEvent(host, requested, Phase.SETUP, 0, runs, since(start), null, ""));
            for (Step s : d.setup()) {
                Connection c = s.on() == Step.Where.PEER ? peer : target;
                String script = Template.render(s.run(), hosts.vars(s, vars), d.name());
                ExecResult r = exec(c, hosts.on(s), script, d.timeout(), hosts.hasTimeout(s), stop);
                if (!r.ok()) {
                    failure = "setup failed on host " + c.hostName() + describeExit(r, d.timeout());
                    break;
                }
            }
            int total = warmup + runs;
            long loopStart = System.nanoTime();
            String command = failure == null ? Template.render(d.command(), vars, d.name()) : null;
            for (int i = 1; failure == null && i <= total; i++) {
                boolean isWarmup = i <= warmup;
                Duration remaining = i == 1 ? null : Duration.ofNanos((System.nanoTime() - loopStart) / (i - 1) * (total - i + 1));
                out.progress(new ProgressEvent(host, requested, isWarmup ? Phase.WARMUP : Phase.RUN,
                        isWarmup ? i : i - warmup, isWarmup ? warmup : runs, since(start), remaining, d.name().equals(requested) ? "" : "as " + d.name()));
                ExecResult r = exec(target, hosts.target(), command, d.timeout(), hosts.targetHasTimeout(), stop);
                String label = (isWarmup ? "warm-up run " + i + "/" + warmup : "run " + (i - warmup) + "/" + runs);
                if (!r.ok()) {
                    failure = label + " failed" + describeExit(r, d.timeout());
                    break;
                }
                // Warm-up output is parsed too: a metric that cannot be read should fail before
                // the measured runs are spent, not after.
                String text = r.out();
                for (MetricDef m : d.metrics()) {
                    try {
                        double v = m.extract(text);
                        if (!isWarmup) values.get(m.name()).add(v);
                    } catch (Extractor.ParseFailure e) {
                        failure = label + ": metric '" + m.name() + "': " + e.getMessage() + "; output began: " + head(text);
                        break;
                    }
                }
            }
        } catch (StopRequest.Stopped e) {
            stopped = e;
            failure = e.getMessage();
        } finally {
            // Not interruptible: a stop request is what often brings us here, and these must run to the end.
            if (!d.cleanup().isEmpty()) {
                out.progress(new ProgressEvent(host, requested, Phase.CLEANUP, 0, runs, since(start), null, ""));
                for (Step s : d.cleanup()) {
                    Connection c = s.on() == Step.Where.PEER ? peer : target;
                    try {
                        ExecResult r = exec(c, hosts.on(s), Template.render(s.run(), hosts.vars(s, vars), d.name()), d.timeout(), hosts.hasTimeout(s),
                                StopRequest.NEVER);
                        if (!r.ok()) notes.add("cleanup failed on host " + c.hostName() + describeExit(r, d.timeout()));
                    } catch (RuntimeException e) {
                        // Do not hide the error that brought us here; report cleanup trouble alongside.
                        notes.add("cleanup failed on host " + c.hostName() + ": " + e.getMessage());
                    }
                }
            }
            stopProcesses(hosts.target(), notes);
            if (hosts.peer() != hosts.target()) stopProcesses(hosts.peer(), notes);
        }
        List<MetricSamples> metrics = new ArrayList<>();
        for (MetricDef m : d.metrics()) metrics.add(new MetricSamples(m.name(), m.unit(), m.better(), values.get(m.name())));
        if (failure != null) notes.add(0, failure);
        String message = String.join("; ", notes);
        Samples.Status status = failure == null ? Samples.Status.MEASURED : Samples.Status.FAILED;
        out.progress(new ProgressEvent(host, requested, failure == null ? Phase.FINISHED : Phase.FAILED, runs, runs, since(start),
                Duration.ZERO, message));
        if (stopped != null) throw stopped;
        return new Samples(host, requested, d.name(), status, message, metrics, since(start));
    }

    /** Stops what the series still has running on a host; trouble doing so is reported, not thrown. */
    private static void stopProcesses(BenchmarkProcesses processes, List<String> notes) {
        try {
            processes.stop();
        } catch (RuntimeException e) {
            notes.add("could not stop the benchmark's processes (" + e.getMessage() + "): the next series on this host stops them");
        }
    }

    private List<BenchmarkDef> chain(BenchmarkDef def) {
        List<BenchmarkDef> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (BenchmarkDef d = def; d != null && seen.add(d.name()); ) {
            chain.add(d);
            if (d.fallback() == null) break;
            if (catalog == null || !catalog.contains(d.fallback())) {
                throw new TunerException("benchmark '" + d.name() + "' falls back to '" + d.fallback() + "', which is not defined");
            }
            d = catalog.get(d.fallback());
        }
        return chain;
    }

    /** Declared defaults, overridden by the caller's values, plus the built-ins. */
    private static Map<String, String> values(BenchmarkDef d, Map<String, String> given, String host, String runId) {
        Map<String, String> v = new HashMap<>();
        d.vars().forEach((k, dflt) -> {
            String x = given == null ? null : given.get(k);
            v.put(k, x != null ? x : dflt);
        });
        v.put("host", host);
        v.put("run_id", runId);
        v.put("run_dir", BenchmarkProcesses.dir(runId));
        return v;
    }

    /** What one host has: found binaries and passed checks, learned in a single exec. */
    private record Probe(Set<String> binaries, Set<String> checksPassed, boolean hasTimeout, List<BenchmarkProcesses.Found> series) {
        /** Null when {@code d} can run here, else why not, phrased for "skipped: ...". */
        String missing(BenchmarkDef d, String where, boolean withCheck) {
            List<String> absent = d.requires().stream().filter(b -> !binaries.contains(b)).toList();
            if (!absent.isEmpty()) {
                return "needs " + String.join(", ", absent) + " (not installed on host " + where + ")";
            }
            if (withCheck && d.check() != null && !checksPassed.contains(d.name())) {
                return "needs '" + d.check().strip() + "' to succeed (it failed on host " + where + ")";
            }
            return null;
        }
    }

    private Probe probe(Connection c, List<BenchmarkDef> chain, Map<String, Map<String, String>> varsByDef) {
        Set<String> wanted = new java.util.TreeSet<>();
        for (BenchmarkDef d : chain) wanted.addAll(d.requires());
        wanted.add("timeout");
        StringBuilder script = new StringBuilder("for b in");
        for (String b : wanted) script.append(' ').append(Shell.quote(b));
        script.append("; do if command -v \"$b\" >/dev/null 2>&1; then echo \"have $b\"; fi; done\n");
        List<BenchmarkDef> checked = new ArrayList<>();
        for (BenchmarkDef d : chain) {
            if (d.check() == null || !varsByDef.containsKey(d.name())) continue;
            checked.add(d);
            // A subshell with no input and no output: a check must not hang on a prompt or flood us.
            script.append("if ( ").append(Template.render(d.check(), varsByDef.get(d.name()), d.name()))
                    .append("\n) </dev/null >/dev/null 2>&1; then echo ").append(Shell.quote("check " + d.name())).append("; fi\n");
        }
        script.append(BenchmarkProcesses.LIST);
        ExecResult r = c.exec(script.toString(), null, Duration.ofSeconds(60));
        Set<String> have = new HashSet<>();
        Set<String> passed = new HashSet<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("have ")) have.add(line.substring(5).trim());
            else if (line.startsWith("check ")) passed.add(line.substring(6).trim());
        }
        return new Probe(have, passed, have.contains("timeout"), BenchmarkProcesses.found(r.out()));
    }

    /** Runs one command of the series on {@code c}, as {@code processes} records it, killed there if {@code stop} comes first. */
    private static ExecResult exec(Connection c, BenchmarkProcesses processes, String script, Duration limit, boolean hasTimeout, StopRequest stop) {
        String wrapped = "exec /bin/sh -c " + Shell.quote(script);
        if (hasTimeout) {
            long secs = Math.max(1, (limit.toMillis() + 999) / 1000);
            wrapped = "exec timeout -k 5 " + secs + " /bin/sh -c " + Shell.quote(script);
        }
        return c.exec(processes.wrap(wrapped), null, limit.plus(BACKSTOP), stop);
    }

    private static String describeExit(ExecResult r, Duration limit) {
        if (r.exitCode() == TIMEOUT_EXIT) return ": timed out after " + ProgressEvent.format(limit) + " (raise 'timeout' in the benchmark file)";
        String err = r.err().strip();
        if (err.isEmpty()) err = r.out().strip();
        return " (exit " + r.exitCode() + ")" + (err.isEmpty() ? "" : ": " + tail(err));
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        int from = Math.max(0, lines.length - 3);
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
    }

    private static String head(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.isEmpty() ? "(nothing)" : "'" + (t.length() > 160 ? t.substring(0, 160) + "..." : t) + "'";
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
