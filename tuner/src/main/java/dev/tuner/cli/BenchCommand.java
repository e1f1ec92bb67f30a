package dev.tuner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.journal.RunJournal;
import dev.tuner.run.HostErrors;
import dev.tuner.run.HostFork;
import dev.tuner.run.Target;
import dev.tuner.slice.SliceSet;
import dev.tuner.run.Verifier;
import dev.tuner.transport.Connection;
import dev.tuner.verify.BenchmarkCatalog;
import dev.tuner.verify.BenchmarkRunner;
import dev.tuner.verify.Benchmarks;
import dev.tuner.verify.MetricSamples;
import dev.tuner.verify.Samples;
import dev.tuner.verify.report.HtmlReport;
import dev.tuner.verify.stats.Stats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Run benchmark suites on hosts without changing anything.",
                "Prints the figures and keeps them in the journal as a baseline."},
        footer = {"", "Examples:",
                "  tuner bench -i prod --suite cpu,disk",
                "  tuner bench db -i prod --suite network --bench-var peer=10.0.0.5 --runs 10",
                "  tuner bench -i prod --suite disk --report baseline.html",
                "", "Suites: the shipped verify/*.yml (cpu, memory, disk, network, container) and your own in verify/.",
                "Benchmark variables: the host's tuner_verify_vars (inventory or -e), then --bench-var."},
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATTERN", arity = "0..1", description = "Hosts (default all).")
    String pattern = "all";

    @Option(names = "--suite", paramLabel = "NAMES", split = ",", description = "Benchmarks to run (default: cpu,memory,disk).")
    List<String> suites = new ArrayList<>(List.of("cpu", "memory", "disk"));

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Measured repetitions (default: ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Warm-up repetitions (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--verify-dir", paramLabel = "DIR", description = "Benchmark definitions (default: ./verify, then the shipped ones).")
    Path verifyDir;

    @Option(names = "--bench-var", paramLabel = "KEY=VALUE",
            description = "A benchmark variable (scratch_dir, peer, duration, ...); wins over the host's tuner_verify_vars.")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write the runs as a self-contained HTML page with a chart per host and metric.")
    Path report;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS", description = ExtraVars.DESCRIPTION)
    List<String> extraVars = new ArrayList<>();

    @Mixin InventoryOptions inventory;
    @Mixin SliceOptions slicing;
    @Mixin OutputOptions output;
    @Mixin LockOptions lock;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "1",
            description = "Hosts measured at once (default: ${DEFAULT-VALUE}: hosts sharing hardware would disturb each other).")
    int forks = 1;

    @Option(names = "--accept-new-host-keys", description = "Trust and record host keys not yet known.")
    boolean acceptNewHostKeys;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: .tuner/ beside the inventory).")
    String journal;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inventory inv = inventory.load();
        Map<String, Object> extra = ExtraVars.parse(extraVars);
        BenchmarkCatalog catalog = Benchmarks.load(verifyDir != null ? verifyDir : Benchmarks.userDirFor(Path.of("").toAbsolutePath()));
        for (String s : suites) catalog.get(s);
        warnAboutBenchmarkVariablesGivenAsExtraVars(extra, catalog);
        List<Host> hosts = inv.select(pattern, inventory.limit);
        if (hosts.isEmpty()) throw new TunerException("pattern '" + pattern + "' selects no host");
        String headline = slicing.headline(hosts.size(), slicing.select(hosts, Host::name).size());
        hosts = slicing.select(hosts, Host::name);
        RunCommandOptions opts = new RunCommandOptions();
        opts.journal = journal;
        Progress progress = Progress.forTerminal();
        Interrupts interrupts = Main.interrupts(spec);
        Function<Target, Connection> opener = ConnectionOpener.create(acceptNewHostKeys);
        List<HostBench> results;
        RunJournal rj;
        String endNotJournaled = null;
        // Measured hosts are locked like changed ones: a change another run makes meanwhile would spoil the baseline.
        try (GuardedRun g = GuardedRun.begin(PlaybookRun.journal(inv, opts), "bench", String.join(",", suites), inventory, null, lock,
                interrupts, progress, spec.commandLine().getErr(), null)) {
            rj = g.journal;
            progress.playStarted("bench", hosts.size());
            BenchmarkRunner runner = new BenchmarkRunner(catalog, g.stop());
            try {
                results = HostFork.run(hosts, forks, h -> {
                    g.stop().check();
                    Map<String, Object> hostVars = new LinkedHashMap<>(h.vars());
                    hostVars.putAll(extra);
                    Map<String, String> benchVars = benchmarkVars(hostVars);
                    try (Connection c = opener.apply(new Target(h.name(), hostVars, h.groupNames()))) {
                        g.locks.take(c, hostVars);
                        try {
                            List<Samples> out = new ArrayList<>();
                            for (String s : suites) {
                                out.add(runner.run(c, catalog.get(s), benchVars, warmup, runs, e -> progress.hostStarted(e.host(), e.toString())));
                            }
                            rj.bench(h.name(), out.stream().map(BenchCommand::asMap).toList());
                            return new HostBench(h.name(), out, null);
                        } finally {
                            try {
                                g.locks.release(c);
                            } catch (RuntimeException e) {
                                g.locks.notReleased(h.name(), e.getMessage());
                            }
                        }
                    }
                }, (h, e) -> {
                    HostBench failed = new HostBench(h.name(), List.of(), e.at(h.name(), null, null));
                    rj.state(h.name(), "bench", failed.failure(), e.getMessage());
                    return failed;
                }, r -> { });
            } finally {
                progress.clear();
            }
            boolean anyFailed = results.stream().anyMatch(r -> r.error() != null);
            // The figures were journaled host by host before: they are still shown, and the missing
            // end is said after them.
            String missing = g.finish(anyFailed ? "failed" : "ok", Map.of("hosts", hosts.size()));
            if (missing != null) endNotJournaled = missing + ": its figures were journaled before it, but 'tuner history' shows the run as running";
        }
        boolean failed = results.stream().anyMatch(r -> r.error() != null);
        if (report != null) {
            List<Samples> all = results.stream().flatMap(r -> r.samples().stream()).toList();
            DriftCommand.writeAtomically(report, HtmlReport.renderBaseline("tuner bench " + String.join(",", suites) + " (run " + rj.id() + ")", all));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.format == OutputOptions.Format.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("run_id", rj.id());
            json.put("slices", SliceSet.of(slicing.current()).names());
            Map<String, Object> per = new LinkedHashMap<>();
            for (HostBench r : results) {
                per.put(r.host(), r.error() != null ? Map.of(r.failure(), r.error().getMessage()) : r.samples().stream().map(BenchCommand::asMap).toList());
            }
            json.put("hosts", per);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } else {
            if (!headline.isEmpty()) out.println(output.style().bold(headline));
            out.printf("%-20s %-10s %-26s %12s %10s %5s  %s%n", "HOST", "BENCHMARK", "METRIC", "MEDIAN", "MAD", "RUNS", "UNIT");
            for (HostBench r : results) {
                String h = r.host();
                if (r.error() != null) {
                    out.printf("%-20s %s: %s%n", h, r.failure(), r.error().getMessage());
                    continue;
                }
                for (Samples s : r.samples()) {
                    if (!s.measured()) {
                        out.printf("%-20s %-10s %s%n", h, s.requested(), s.summary());
                        continue;
                    }
                    for (MetricSamples m : s.metrics()) {
                        double[] v = m.values().stream().mapToDouble(Double::doubleValue).toArray();
                        out.printf(Locale.ROOT, "%-20s %-10s %-26s %12.2f %10.2f %5d  %s%n", h, s.benchmark(), m.metric(),
                                Stats.median(v), Stats.mad(v), v.length, m.unit() == null ? "" : m.unit());
                    }
                }
            }
            out.println("baseline journaled as run " + rj.id());
        }
        out.flush();
        if (endNotJournaled != null) {
            spec.commandLine().getErr().println("tuner: " + endNotJournaled);
            spec.commandLine().getErr().flush();
        }
        if (interrupts.stopped()) return interrupts.exitCode();
        return failed || endNotJournaled != null ? ExitCodes.ERROR : ExitCodes.OK;
    }

    /** The host's tuner_verify_vars (as apply uses them), then --bench-var. */
    private Map<String, String> benchmarkVars(Map<String, Object> hostVars) {
        Map<String, String> out = new LinkedHashMap<>();
        if (hostVars.get(Verifier.HOST_VARS) instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        out.putAll(vars);
        return out;
    }

    /** -e used to set benchmark variables here; a variable of a chosen benchmark given with -e now says where it belongs. */
    private void warnAboutBenchmarkVariablesGivenAsExtraVars(Map<String, Object> extra, BenchmarkCatalog catalog) {
        PrintWriter err = spec.commandLine().getErr();
        for (String key : extra.keySet()) {
            boolean declared = suites.stream().anyMatch(s -> catalog.get(s).vars().containsKey(key));
            if (declared && !vars.containsKey(key)) {
                err.println("warning: -e " + key + " is an extra variable, not a benchmark variable: give it with --bench-var "
                        + key + "=VALUE (or in -e " + Verifier.HOST_VARS + ")");
            }
        }
        err.flush();
    }

    /** One host's figures, or the error that kept it from measuring. */
    record HostBench(String host, List<Samples> samples, TunerException error) {
        /** "unreachable" or "failed", as the output and the journal say it. */
        String failure() {
            return HostErrors.label(error);
        }
    }

    /** Samples as plain data for the journal (durations as seconds). */
    static Map<String, Object> asMap(Samples s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", s.requested());
        m.put("ran", s.benchmark());
        m.put("status", s.status().name().toLowerCase(Locale.ROOT));
        m.put("message", s.message());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (MetricSamples ms : s.metrics()) metrics.put(ms.metric(), Map.of("unit", String.valueOf(ms.unit()), "values", ms.values()));
        m.put("metrics", metrics);
        m.put("elapsed_seconds", s.elapsed() == null ? null : s.elapsed().toMillis() / 1000.0);
        return m;
    }
}
