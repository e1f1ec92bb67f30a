package dev.tuner.testing;

import dev.tuner.verify.BenchmarkCatalog;
import dev.tuner.verify.BenchmarkDef;
import dev.tuner.verify.BenchmarkRunner;
import dev.tuner.verify.ProgressListener;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.report.TextTable;
import dev.tuner.verify.stats.Thresholds;
import dev.tuner.verify.stats.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A/A harness (not a test: it takes minutes). Runs a verification N times on this machine with
 * nothing changed between "before" and "after", and counts how often the verdict is anything but
 * "no significant change": each such verdict is a false one. Also reports how long one
 * verification (warm-up + runs before, warm-up + runs after) took.
 *
 * <pre>
 * cd tuner && mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.tuner.testing.AaHarness -Dexec.args="cpu 20 duration=1"
 * </pre>
 * Arguments: benchmark, repetitions, then var=value pairs; system properties runs (5), warmup (1).
 * For disk, scratch_dir defaults to a fresh directory under /var/tmp.
 */
public final class AaHarness {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AaHarness BENCHMARK N [var=value ...]");
            System.exit(2);
        }
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        int runs = Integer.getInteger("runs", 5);
        int warmup = Integer.getInteger("warmup", 1);
        Map<String, String> vars = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            vars.put(kv[0], kv[1]);
        }
        Path scratch = null;
        if (name.equals("disk") && !vars.containsKey("scratch_dir")) {
            scratch = Files.createTempDirectory(Path.of("/var/tmp"), "tuner-aa");
            vars.put("scratch_dir", scratch.toString());
        }
        BenchmarkCatalog catalog = BenchmarkCatalog.load(Shipped.verifyDir());
        BenchmarkRunner runner = new BenchmarkRunner(catalog);
        BenchmarkDef def = catalog.get(name);
        LocalShell host = new LocalShell("localhost");
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        List<VerificationResult> all = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        int metrics = 0;
        try {
            for (int i = 1; i <= n; i++) {
                long t0 = System.nanoTime();
                Samples before = runner.run(host, def, vars, warmup, runs, ProgressListener.NONE);
                Samples after = runner.run(host, def, vars, warmup, runs, ProgressListener.NONE);
                double secs = (System.nanoTime() - t0) / 1e9;
                seconds.add(secs);
                List<VerificationResult> r = VerificationResult.compare(before, after, Thresholds.DEFAULT);
                all.addAll(r);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "A/A %2d/%d  %.1fs ", i, n, secs));
                for (VerificationResult v : r) {
                    counts.merge(v.verdict(), 1, Integer::sum);
                    metrics++;
                    line.append(String.format(Locale.ROOT, " %s %s%s", v.metric(),
                            v.changePercent() == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", v.changePercent()),
                            v.verdict() == Verdict.NO_SIGNIFICANT_CHANGE ? "" : " <" + v.verdict().label() + ">"));
                }
                System.out.println(line);
            }
        } finally {
            if (scratch != null) Files.deleteIfExists(scratch);
        }
        System.out.println();
        System.out.print(TextTable.render(all.subList(Math.max(0, all.size() - def.metrics().size()), all.size())));
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        int falseVerdicts = counts.getOrDefault(Verdict.IMPROVED, 0) + counts.getOrDefault(Verdict.REGRESSED, 0);
        System.out.printf(Locale.ROOT, "%nSUMMARY %s vars=%s runs=%d warmup=%d: %d A/A verifications, %d metric comparisons: "
                        + "improved %d, regressed %d, no significant change %d, not measured %d -> false verdicts %d (%.1f%%); "
                        + "one verification took %.1fs on average (min %.1fs, max %.1fs)%n",
                name, vars, runs, warmup, n, metrics, counts.getOrDefault(Verdict.IMPROVED, 0), counts.getOrDefault(Verdict.REGRESSED, 0),
                counts.getOrDefault(Verdict.NO_SIGNIFICANT_CHANGE, 0), counts.getOrDefault(Verdict.NOT_MEASURED, 0),
                falseVerdicts, metrics == 0 ? 0 : 100.0 * falseVerdicts / metrics, mean,
                seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0), seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
}
