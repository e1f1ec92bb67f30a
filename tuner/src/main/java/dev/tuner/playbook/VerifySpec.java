package dev.tuner.playbook;

import dev.tuner.diag.Suggest;
import dev.tuner.yaml.YamlDocument;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A {@code verify:} value: none, a benchmark name, a list of names, or a mapping. On a play the
 * mapping sets how its changes are measured ({@code benchmarks}, {@code vars}, {@code runs},
 * {@code warmup}, {@code threshold}, {@code confidence}); on a task it names {@code benchmarks}
 * only, because measuring is done once per host for the whole play. Every key and value is checked
 * here, so a typo or an impossible figure is reported at its line instead of being ignored.
 */
public final class VerifySpec {
    /** Keys of a play's verify mapping, as the schema's playVerify lists them. */
    public static final List<String> PLAY_KEYS = List.of("benchmarks", "vars", "runs", "warmup", "threshold", "confidence");
    /** Keys of a task's verify mapping. */
    public static final List<String> TASK_KEYS = List.of("benchmarks");

    /** A verdict compares two sides of measured runs: fewer than two per side can never be significant. */
    static final int MIN_RUNS = 2;
    static final int MAX_REPETITIONS = 1000;

    private VerifySpec() {}

    /** The value as given (a string, a list of names or a mapping), or null after reporting what is wrong with it. */
    static Object read(Node v, boolean onPlay, NodeReader r) {
        if (v instanceof ScalarNode s) return s.getValue();
        if (v instanceof SequenceNode) return r.stringList(v, "'verify'");
        if (!(v instanceof MappingNode map)) {
            r.error(v, "'verify' must be none, a benchmark name, a list of names or a mapping");
            return null;
        }
        List<String> allowed = onPlay ? PLAY_KEYS : TASK_KEYS;
        boolean ok = true;
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            Node value = t.getValueNode();
            if (!allowed.contains(key)) {
                String where = !onPlay && PLAY_KEYS.contains(key) ? " ('" + key + "' is set by the play's verify:, which measures all its tasks)"
                        : Suggest.didYouMean(key, allowed);
                r.error(t.getKeyNode(), "unknown key '" + key + "' in verify: (known: " + String.join(", ", allowed) + ")" + where);
                ok = false;
                continue;
            }
            ok &= switch (key) {
                case "benchmarks" -> !(value instanceof MappingNode) || fail(r, value, "verify: 'benchmarks' must be a benchmark name or a list of names");
                case "vars" -> vars(value, r);
                case "runs" -> whole(value, "runs", MIN_RUNS, r, "measured runs per side; a verdict needs two");
                case "warmup" -> whole(value, "warmup", 0, r, "warm-up runs");
                case "threshold" -> fraction(value, "threshold", 0, true, 1, r, "a fraction: 0.05 is 5%");
                case "confidence" -> fraction(value, "confidence", 0.5, false, 1, r, "0.95 is 95%");
                default -> true;
            };
        }
        return ok ? YamlDocument.toJava(v) : null;
    }

    private static boolean vars(Node value, NodeReader r) {
        if (!(value instanceof MappingNode m)) return fail(r, value, "verify: 'vars' must be a mapping of benchmark variables, got a "
                + YamlDocument.typeName(value));
        boolean ok = true;
        for (NodeTuple t : m.getValue()) {
            if (!(t.getValueNode() instanceof ScalarNode)) {
                ok = fail(r, t.getValueNode(), "verify: benchmark variable '" + ((ScalarNode) t.getKeyNode()).getValue()
                        + "' must be a single value, got a " + YamlDocument.typeName(t.getValueNode()));
            }
        }
        return ok;
    }

    private static boolean whole(Node value, String key, int min, NodeReader r, String meaning) {
        Object n = value instanceof ScalarNode s ? YamlDocument.scalar(s) : null;
        if ((n instanceof Long || n instanceof Integer) && ((Number) n).longValue() >= min && ((Number) n).longValue() <= MAX_REPETITIONS) return true;
        return fail(r, value, "verify: '" + key + "' must be a whole number from " + min + " to " + MAX_REPETITIONS + " (" + meaning
                + "), got " + shown(value));
    }

    private static boolean fraction(Node value, String key, double low, boolean lowIncluded, double high, NodeReader r, String meaning) {
        Object n = value instanceof ScalarNode s ? YamlDocument.scalar(s) : null;
        if (n instanceof Number num) {
            double d = num.doubleValue();
            if ((lowIncluded ? d >= low : d > low) && d < high) return true;
        }
        String range = (lowIncluded ? "from " + fmt(low) + " to" : "above " + fmt(low) + " and") + " below " + fmt(high);
        return fail(r, value, "verify: '" + key + "' must be a number " + range + " (" + meaning + "), got " + shown(value));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String shown(Node n) {
        return n instanceof ScalarNode s ? "'" + s.getValue() + "'" : "a " + YamlDocument.typeName(n);
    }

    private static boolean fail(NodeReader r, Node at, String message) {
        r.error(at, message);
        return false;
    }
}
