package dev.tuner.playbook;

import dev.tuner.diag.Suggest;
import dev.tuner.yaml.Durations;
import dev.tuner.yaml.YamlDocument;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The keys of a {@code verify:} mapping, checked where they are written and read back typed. A
 * play's mapping says how its hosts' changes are measured; a task's may only name benchmarks (a
 * host's changes are measured together, so how is a matter of the play).
 */
public final class VerifyKeys {
    public static final String BENCHMARKS = "benchmarks";
    public static final String VARS = "vars";
    public static final String RUNS = "runs";
    public static final String WARMUP = "warmup";
    public static final String THRESHOLD = "threshold";
    public static final String CONFIDENCE = "confidence";
    /** auto (default), interleaved, control or before-after. */
    public static final String DESIGN = "design";
    /** A host pattern naming the control hosts, or {@value #NO_CONTROL}. */
    public static final String CONTROL = "control";
    /** Whether changes that cost a service restart may be toggled in rounds. */
    public static final String TOGGLE_RESTARTS = "toggle_restarts";
    public static final String MAX_ROUNDS = "max_rounds";
    public static final String MAX_TIME = "max_time";
    /** The time one host's verification may take, all its benchmarks together. */
    public static final String MAX_HOST_TIME = "max_host_time";
    /** Seed of the rounds' random orders (default: a new one per host and run, journaled). */
    public static final String SEED = "seed";
    /** Whether a regression found by the before-after design is rolled back as well. */
    public static final String ROLLBACK_BEFORE_AFTER = "rollback_before_after";

    public static final String AUTO = "auto";
    public static final List<String> DESIGNS = List.of(AUTO, "interleaved", "control", "before-after");
    public static final String NO_CONTROL = "none";
    static final int MOST_ROUNDS = 1000;

    static final Set<String> TASK_KEYS = new LinkedHashSet<>(List.of(BENCHMARKS, VARS));
    static final Set<String> PLAY_KEYS = new LinkedHashSet<>(List.of(BENCHMARKS, VARS, RUNS, WARMUP, THRESHOLD, CONFIDENCE, DESIGN,
            CONTROL, TOGGLE_RESTARTS, MAX_ROUNDS, MAX_TIME, MAX_HOST_TIME, SEED, ROLLBACK_BEFORE_AFTER));

    private VerifyKeys() {}

    /** Reports every key of a verify mapping that is unknown where it stands or has a value it cannot take. */
    static void check(MappingNode map, boolean ofPlay, NodeReader r) {
        Set<String> allowed = ofPlay ? PLAY_KEYS : TASK_KEYS;
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) continue;
            String key = k.getValue();
            Node v = t.getValueNode();
            if (!allowed.contains(key)) {
                if (!ofPlay && PLAY_KEYS.contains(key)) {
                    r.error(k, "verify: '" + key + "' belongs in the play's verify mapping: a host's changes are measured together;"
                            + " a task's verify mapping takes " + String.join(" and ", TASK_KEYS));
                } else {
                    r.error(k, "verify: unknown key '" + key + "'" + Suggest.didYouMean(key, allowed) + "; known: " + String.join(", ", allowed));
                }
                continue;
            }
            String what = "verify: '" + key + "'";
            switch (key) {
                case BENCHMARKS -> {
                    if (!(v instanceof SequenceNode)) r.string(v, what);
                    else r.stringList(v, what);
                }
                case VARS -> {
                    r.mapping(v, what);
                    if (v instanceof MappingNode vars) {
                        for (NodeTuple var : vars.getValue()) {
                            if (!(var.getValueNode() instanceof ScalarNode))
                                r.error(var.getValueNode(), "verify: benchmark variable '" + (var.getKeyNode() instanceof ScalarNode n ? n.getValue() : "?")
                                        + "' must be a single value, got a " + YamlDocument.typeName(var.getValueNode()));
                        }
                    }
                }
                case RUNS -> whole(v, 2, MOST_ROUNDS, what, r);
                case WARMUP -> whole(v, 0, MOST_ROUNDS, what, r);
                case MAX_ROUNDS -> whole(v, 1, MOST_ROUNDS, what, r);
                case SEED -> whole(v, Long.MIN_VALUE, Long.MAX_VALUE, what, r);
                case THRESHOLD -> fraction(v, 0, true, "0.05 = 5%", what, r);
                case CONFIDENCE -> fraction(v, 0.5, false, "0.95 = 95%", what, r);
                case DESIGN -> {
                    String d = r.string(v, what);
                    if (d != null && !DESIGNS.contains(d))
                        r.error(v, what + " must be one of " + String.join(", ", DESIGNS) + ", not '" + d + "'" + Suggest.didYouMean(d, DESIGNS));
                }
                case CONTROL -> r.string(v, what + " (a host pattern, or none)");
                case TOGGLE_RESTARTS, ROLLBACK_BEFORE_AFTER -> r.bool(v, what);
                case MAX_TIME, MAX_HOST_TIME -> {
                    if (!(v instanceof ScalarNode s) || Durations.parse(s.getValue()) == null)
                        r.error(v, what + " must be " + Durations.FORMS + ", not " + YamlDocument.typeName(v)
                                + (v instanceof ScalarNode s ? " '" + s.getValue() + "'" : ""));
                }
                default -> throw new IllegalStateException("verify key without a check: " + key);
            }
        }
    }

    private static void whole(Node v, long min, long max, String what, NodeReader r) {
        if (v instanceof ScalarNode s && YamlDocument.scalar(s) instanceof Number n && !(n instanceof Double)
                && n.longValue() >= min && n.longValue() <= max) return;
        String range = min == Long.MIN_VALUE ? "a whole number" : "a whole number from " + min + " to " + max;
        r.error(v, what + " must be " + range + ", not " + describe(v));
    }

    private static void fraction(Node v, double low, boolean lowIncluded, String example, String what, NodeReader r) {
        if (v instanceof ScalarNode s && YamlDocument.scalar(s) instanceof Number n) {
            double d = n.doubleValue();
            if ((lowIncluded ? d >= low : d > low) && d < 1) return;
        }
        String from = java.math.BigDecimal.valueOf(low).stripTrailingZeros().toPlainString();
        r.error(v, what + " must be a number " + (lowIncluded ? "from " : "above ") + from + " to below 1 (" + example + "), not " + describe(v));
    }

    private static String describe(Node v) {
        return v instanceof ScalarNode s ? "'" + s.getValue() + "'" : "a " + YamlDocument.typeName(v);
    }

    // ------------------------------------------------------------ typed reads of a checked mapping

    /** The play's verify mapping, or an empty one when it gives none (or only names benchmarks). */
    public static Map<?, ?> of(Play play) {
        return play.options().get("verify") instanceof Map<?, ?> m ? m : Map.of();
    }

    public static Long whole(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : null;
    }

    public static Double number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    public static boolean yes(Map<?, ?> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    public static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    public static Duration duration(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : Durations.parse(String.valueOf(v));
    }
}
