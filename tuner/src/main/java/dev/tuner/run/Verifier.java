package dev.tuner.run;

import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.playbook.VerifyKeys;
import dev.tuner.verify.Design;
import dev.tuner.verify.design.Budget;
import dev.tuner.verify.design.HostBudget;
import dev.tuner.verify.stats.SignedRank;
import dev.tuner.verify.stats.Looks;
import java.time.Duration;
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

    /** The host variable holding benchmark variables for that host (say, its own scratch_dir or peer). */
    public static final String HOST_VARS = "tuner_verify_vars";

    /** Benchmark variables: the play's verify.vars, then the host's tuner_verify_vars. */
    Map<String, String> vars(Map<String, Object> hostVars) {
        Map<String, String> out = new LinkedHashMap<>();
        addVars(out, play.options().get("verify"));
        Object hv = hostVars.get(HOST_VARS);
        if (hv instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static void addVars(Map<String, String> out, Object spec) {
        if (spec instanceof Map<?, ?> m && m.get("vars") instanceof Map<?, ?> v) v.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
    }

    /** runs / warmup / threshold / confidence from the play's verify mapping, else the command line's. */
    int runs() {
        return intOption(VerifyKeys.RUNS, options.runs());
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

    /**
     * Whether a regression of this task is rolled back: the command line, then the task, then the
     * play. A regression found by the before-after design — which cannot tell an effect from the
     * environment moving — is rolled back only where {@code verify: {rollback_before_after: true}}
     * asks for it as well.
     */
    boolean rollbackOnRegression(Task t, Design design) {
        if (design == Design.BEFORE_AFTER && !VerifyKeys.yes(VerifyKeys.of(play), VerifyKeys.ROLLBACK_BEFORE_AFTER)) return false;
        if (options.rollbackOnRegression()) return true;
        Object o = t.options().get("rollback_on_regression");
        if (o == null) o = play.options().get("rollback_on_regression");
        return Boolean.TRUE.equals(o);
    }

    /** The budget of one benchmark's rounds: max_rounds and max_time of the play's verify mapping, else the defaults. */
    Budget budget() {
        Map<?, ?> m = VerifyKeys.of(play);
        Long rounds = VerifyKeys.whole(m, VerifyKeys.MAX_ROUNDS);
        Duration time = VerifyKeys.duration(m, VerifyKeys.MAX_TIME);
        return new Budget(rounds == null ? Budget.DEFAULT_MAX_ROUNDS : rounds.intValue(), time == null ? Budget.DEFAULT_MAX_TIME : time);
    }

    /** The time one host's verification may take, all its benchmarks together: max_host_time, else the default. */
    Duration maxHostTime() {
        Duration time = VerifyKeys.duration(VerifyKeys.of(play), VerifyKeys.MAX_HOST_TIME);
        return time == null ? HostBudget.DEFAULT : time;
    }

    /** The fewest paired rounds any verdict needs at the confidence measured at (see {@link SignedRank#fewestPairs}). */
    int fewestRounds() {
        return SignedRank.fewestPairs(thresholds().alpha());
    }

    /** When the rounds may stop (see {@link Looks}). */
    Looks looks() {
        return Looks.plan(budget().maxRounds(), thresholds().alpha());
    }

    /** The seed of the rounds' orders: the play's, else a new one. */
    long seed() {
        Long s = VerifyKeys.whole(VerifyKeys.of(play), VerifyKeys.SEED);
        return s != null ? s : new java.security.SecureRandom().nextLong();
    }

    BenchmarkRunner runner() {
        return runner;
    }

    BenchmarkDef definition(String benchmark) {
        return options.catalog().get(benchmark);
    }

    dev.tuner.verify.ProgressListener progress() {
        return options.progress();
    }

    /**
     * What is wrong with a play's verify mapping that only shows with the confidence it is
     * measured at, or null: a max_rounds too small for any look to reach a verdict.
     */
    public static String problem(Play play, double commandLineConfidence) {
        Map<?, ?> m = VerifyKeys.of(play);
        Long rounds = VerifyKeys.whole(m, VerifyKeys.MAX_ROUNDS);
        if (rounds == null) return null;
        Double c = VerifyKeys.number(m, VerifyKeys.CONFIDENCE);
        double alpha = 1 - (c != null ? c : commandLineConfidence);
        if (!Looks.plan(rounds.intValue(), alpha).rounds().isEmpty()) return null;
        return String.format(java.util.Locale.ROOT, "verify: max_rounds %d can never reach a verdict at confidence %.3g: paired rounds need at least %d",
                rounds, 1 - alpha, Looks.fewestRounds(alpha));
    }
}
