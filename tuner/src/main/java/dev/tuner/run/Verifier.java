package dev.tuner.run;

import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.Change;
import dev.tuner.settings.KindPlan;
import dev.tuner.transport.Connection;
import dev.tuner.verify.BenchmarkDef;
import dev.tuner.verify.BenchmarkRunner;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Thresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses what to measure for a host's changes and measures it. A task's {@code verify:} (none,
 * a name, a list, or a mapping with {@code benchmarks} and {@code vars}) wins over the play's,
 * which wins over each setting's default benchmarks. Tasks that share a benchmark are measured
 * together, once before and once after the host's changes.
 */
public final class Verifier {
    private final VerifyOptions options;
    private final Play play;
    private final BenchmarkRunner runner;

    Verifier(VerifyOptions options, Play play) {
        this.options = options;
        this.play = play;
        this.runner = new BenchmarkRunner(options.catalog(), options.stop());
    }

    /** Benchmark name → indexes of the changing tasks it verifies, in first-use order. */
    Map<String, Set<Integer>> select(Map<String, KindPlan> plans) {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        for (Task t : play.tasks()) {
            List<Change> changes = new ArrayList<>();
            KindPlan p = plans.get(t.kind());
            if (p != null) p.changes().stream().filter(c -> c.task() == t.index() && c.isChange()).forEach(changes::add);
            if (changes.isEmpty()) continue;
            for (String b : benchmarksOf(t, changes)) out.computeIfAbsent(b, k -> new TreeSet<>()).add(t.index());
        }
        return out;
    }

    private List<String> benchmarksOf(Task t, List<Change> changes) {
        Object spec = t.verify() != null ? t.verify() : play.options().get("verify");
        List<String> named = names(spec);
        if (named != null) return named;
        Set<String> out = new LinkedHashSet<>();
        for (Change c : changes) out.addAll(SettingKinds.require(c.kind()).defaultBenchmarks(c));
        return new ArrayList<>(out);
    }

    /** Names a verify: value gives, an empty list for none, null when it leaves the choice to the defaults. */
    public static List<String> names(Object spec) {
        if (spec == null) return null;
        if (spec instanceof Boolean b) return b ? null : List.of();
        if (spec instanceof String s) {
            if (s.equals("none") || s.equals("false") || s.equals("off")) return List.of();
            if (s.equals("default") || s.equals("true")) return null;
            return List.of(s);
        }
        if (spec instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        if (spec instanceof Map<?, ?> m) {
            Object b = m.get("benchmarks");
            return b == null ? null : names(b);
        }
        return null;
    }

    /** Benchmark variables: the play's verify.vars, then the host's tuner_verify_vars. */
    Map<String, String> vars(Map<String, Object> hostVars) {
        Map<String, String> out = new LinkedHashMap<>();
        addVars(out, play.options().get("verify"));
        Object hv = hostVars.get("tuner_verify_vars");
        if (hv instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static void addVars(Map<String, String> out, Object spec) {
        if (spec instanceof Map<?, ?> m && m.get("vars") instanceof Map<?, ?> v) v.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
    }

    /** runs / warmup / threshold / confidence from the play's verify mapping, else the command line's. */
    int runs() {
        return intOption("runs", options.runs());
    }

    int warmup() {
        return intOption("warmup", options.warmup());
    }

    Thresholds thresholds() {
        Thresholds t = options.thresholds();
        if (play.options().get("verify") instanceof Map<?, ?> m) {
            if (m.get("threshold") instanceof Number n) t = t.withMinEffect(n.doubleValue());
            if (m.get("confidence") instanceof Number n) t = t.withConfidence(n.doubleValue());
        }
        return t;
    }

    private int intOption(String name, int dflt) {
        if (play.options().get("verify") instanceof Map<?, ?> m && m.get(name) instanceof Number n) return n.intValue();
        return dflt;
    }

    List<Samples> measure(Connection c, Set<String> benchmarks, Map<String, String> vars) {
        List<Samples> out = new ArrayList<>();
        for (String name : benchmarks) {
            BenchmarkDef def = options.catalog().get(name);
            out.add(runner.run(c, def, vars, warmup(), runs(), options.progress()));
        }
        return out;
    }

    List<VerificationResult> compare(List<Samples> before, List<Samples> after) {
        List<VerificationResult> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) out.addAll(VerificationResult.compare(before.get(i), after.get(i), thresholds()));
        return out;
    }

    /** Whether a regression of this task is rolled back: the command line, then the task, then the play. */
    boolean rollbackOnRegression(Task t) {
        if (options.rollbackOnRegression()) return true;
        Object o = t.options().get("rollback_on_regression");
        if (o == null) o = play.options().get("rollback_on_regression");
        return Boolean.TRUE.equals(o);
    }
}
