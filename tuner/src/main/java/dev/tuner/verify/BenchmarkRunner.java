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
        BenchmarkSession s = open(target, peer, def, vars, warmup, runs, listener);
        try {
            for (int i = 1; s.ready() && i <= runs; i++) s.measure(i, runs, "");
        } finally {
            s.finish();
        }
        return s.samples();
    }

    /**
     * Prepares a benchmark for runs taken one at a time (rounds that change the host between
     * runs): prerequisites, setup and warm-up now; {@link BenchmarkSession#measure} per run;
     * {@link BenchmarkSession#finish} runs the cleanup, whatever happened before.
     *
     * @param plannedRuns how many runs progress announces (the most there may be)
     */
    public BenchmarkSession open(Connection target, Connection peer, BenchmarkDef def, Map<String, String> vars,
                                 int warmup, int plannedRuns, ProgressListener listener) {
        if (warmup < 0) throw new IllegalArgumentException("warmup must not be negative");
        ProgressListener out = listener == null ? ProgressListener.NONE : listener;
        long start = System.nanoTime();
        String host = target.hostName();
        String runId = UUID.randomUUID().toString().substring(0, 8);

        List<BenchmarkDef> chain = chain(def);
        out.progress(new ProgressEvent(host, def.name(), Phase.CHECKING, 0, plannedRuns, since(start), null, "prerequisites"));
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
            out.progress(new ProgressEvent(host, def.name(), Phase.SKIPPED, 0, plannedRuns, since(start), null, msg));
            return BenchmarkSession.skipped(host, def.name(), msg, start);
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
        BenchmarkSession s = new BenchmarkSession(host, target, peerConn, new BenchmarkSession.Hosts(targetProcesses, peerProcesses,
                onTarget.hasTimeout, peerHasTimeout), stop, chosen, def.name(), varsByDef.get(chosen.name()), out, start, note);
        s.setUp(warmup, plannedRuns);
        return s;
    }

    /** Stops what the series still has running on a host; trouble doing so is reported, not thrown. */
    static void stopProcesses(BenchmarkProcesses processes, List<String> notes) {
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
    static ExecResult exec(Connection c, BenchmarkProcesses processes, String script, Duration limit, boolean hasTimeout, StopRequest stop) {
        String wrapped = "exec /bin/sh -c " + Shell.quote(script);
        if (hasTimeout) {
            long secs = Math.max(1, (limit.toMillis() + 999) / 1000);
            wrapped = "exec timeout -k 5 " + secs + " /bin/sh -c " + Shell.quote(script);
        }
        return c.exec(processes.wrap(wrapped), null, limit.plus(BACKSTOP), stop);
    }

    static String describeExit(ExecResult r, Duration limit) {
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

    static String head(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.isEmpty() ? "(nothing)" : "'" + (t.length() > 160 ? t.substring(0, 160) + "..." : t) + "'";
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
