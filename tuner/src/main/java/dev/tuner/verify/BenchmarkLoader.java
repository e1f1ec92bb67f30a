package dev.tuner.verify;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.diag.Suggest;
import dev.tuner.verify.stats.Better;
import dev.tuner.yaml.Durations;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one {@code verify/*.yml} file into a {@link BenchmarkDef}. Every problem goes to the
 * {@link Diagnostics} with file:line:column, and checking goes on, so a user fixes a file in one
 * pass. Checks that need every file (fallback names, duplicates) are in {@link BenchmarkCatalog}.
 */
public final class BenchmarkLoader {
    static final List<String> TOP_KEYS = List.of("name", "description", "command", "requires", "check", "vars",
            "timeout", "warmup", "fallback", "setup", "cleanup", "metrics");
    static final List<String> METRIC_KEYS = List.of("regex", "json", "scale", "unit", "better", "description");
    static final List<String> STEP_KEYS = List.of("run", "on");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    static final Pattern BINARY = Pattern.compile("[A-Za-z0-9_.+-]+");
    static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final YamlDocument doc;
    private final Diagnostics diags;

    private BenchmarkLoader(YamlDocument doc, Diagnostics diags) {
        this.doc = doc;
        this.diags = diags;
    }

    /** Loads one file; returns null (with errors in {@code diags}) when it cannot be used. */
    public static BenchmarkDef load(Path file, String displayName, Diagnostics diags) {
        YamlDocument doc = YamlDocument.load(file, displayName, "benchmark definition", diags);
        if (doc == null) return null;
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return new BenchmarkLoader(doc, diags).read(stem);
    }

    /** Loads YAML text (for tests and for definitions embedded elsewhere). */
    public static BenchmarkDef parse(String yaml, String displayName, String defaultName, Diagnostics diags) {
        YamlDocument doc = YamlDocument.parse(yaml, displayName, diags);
        if (doc == null) return null;
        return new BenchmarkLoader(doc, diags).read(defaultName);
    }

    private BenchmarkDef read(String defaultName) {
        int before = diags.errorCount();
        Node root = doc.root().orElse(null);
        if (!(root instanceof MappingNode map)) {
            diags.error(root == null ? Location.of(doc.file()) : doc.at(root),
                    "a benchmark file is a mapping with at least 'command' and 'metrics'"
                            + (root == null ? " (the file is empty)" : ", not a " + YamlDocument.typeName(root)));
            return null;
        }
        String name = defaultName;
        String description = "";
        String command = null;
        List<String> requires = List.of();
        String check = null;
        Map<String, String> vars = new LinkedHashMap<>();
        Duration timeout = DEFAULT_TIMEOUT;
        int warmup = 1;
        String fallback = null;
        List<Step> setup = List.of();
        List<Step> cleanup = List.of();
        List<MetricDef> metrics = new ArrayList<>();
        Node commandNode = null;
        Node metricsNode = null;
        Node nameNode = null;

        for (NodeTuple t : map.getValue()) {
            String key = keyOf(t);
            if (key == null) continue;
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> { name = string(v, "name"); nameNode = v; }
                case "description" -> description = string(v, "description");
                case "command" -> { command = string(v, "command"); commandNode = v; }
                case "requires" -> requires = binaries(v);
                case "check" -> check = string(v, "check");
                case "vars" -> vars = vars(v);
                case "timeout" -> timeout = duration(v, "timeout");
                case "warmup" -> warmup = nonNegativeInt(v, "warmup");
                case "fallback" -> fallback = string(v, "fallback");
                case "setup" -> setup = steps(v, "setup");
                case "cleanup" -> cleanup = steps(v, "cleanup");
                case "metrics" -> { metrics = metrics(v); metricsNode = v; }
                default -> diags.error(doc.at(t.getKeyNode()), "unknown key '" + key + "' in a benchmark"
                        + Suggest.didYouMean(key, TOP_KEYS) + "; known keys: " + String.join(", ", TOP_KEYS));
            }
        }
        Location at = doc.at(root);
        if (name != null && !NAME.matcher(name).matches()) {
            diags.error(nameNode != null ? doc.at(nameNode) : at, "benchmark name '" + name
                    + "' must be lower case letters, digits, '-' and '_' (it is used on the command line)");
        }
        if (command == null && commandNode == null) diags.error(at, "missing key 'command': the shell command that runs the benchmark");
        else if (command != null && command.isBlank()) diags.error(doc.at(commandNode), "'command' is empty");
        if (metricsNode == null) diags.error(at, "missing key 'metrics': at least one figure to read from the output");
        else if (metrics.isEmpty() && metricsNode instanceof MappingNode m && m.getValue().isEmpty()) {
            diags.error(doc.at(metricsNode), "'metrics' is empty: name at least one figure to read from the output");
        }
        // Every {{ variable }} must be declared, so a typo is caught when the file is loaded,
        // not on the fiftieth host halfway through a run.
        checkVariables(command, commandNode, vars, at);
        checkVariables(check, null, vars, at);
        for (Step s : setup) checkVariables(s.run(), null, vars, at);
        for (Step s : cleanup) checkVariables(s.run(), null, vars, at);

        if (diags.errorCount() > before) return null;
        return new BenchmarkDef(name, description, command, requires, check, java.util.Collections.unmodifiableMap(vars), timeout, warmup,
                fallback, setup, cleanup, List.copyOf(metrics), at);
    }

    private void checkVariables(String text, Node node, Map<String, String> vars, Location fallbackAt) {
        if (text == null) return;
        for (String var : Template.variables(text)) {
            if (vars.containsKey(var) || BenchmarkDef.BUILTIN_VARS.contains(var)) continue;
            List<String> known = new ArrayList<>(vars.keySet());
            known.addAll(BenchmarkDef.BUILTIN_VARS);
            diags.error(node != null ? doc.at(node) : fallbackAt, "variable '{{ " + var + " }}' is not declared under 'vars'"
                    + Suggest.didYouMean(var, known) + " (built in: " + String.join(", ", BenchmarkDef.BUILTIN_VARS) + ")");
        }
    }

    private String keyOf(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode k) return k.getValue();
        diags.error(doc.at(t.getKeyNode()), "keys must be plain names, not a " + YamlDocument.typeName(t.getKeyNode()));
        return null;
    }

    private String string(Node v, String key) {
        if (v instanceof ScalarNode s && !"null".equals(YamlDocument.typeName(v))) return s.getValue();
        diags.error(doc.at(v), "'" + key + "' must be a string, not a " + YamlDocument.typeName(v));
        return null;
    }

    private int nonNegativeInt(Node v, String key) {
        if (v instanceof ScalarNode s && YamlDocument.scalar(s) instanceof Long l && l >= 0 && l <= 1000) return l.intValue();
        diags.error(doc.at(v), "'" + key + "' must be a whole number from 0 to 1000, not " + describe(v));
        return 0;
    }

    private Duration duration(Node v, String key) {
        Duration d = v instanceof ScalarNode s ? Durations.parse(s.getValue()) : null;
        if (d != null) return d;
        diags.error(doc.at(v), "'" + key + "' must be " + Durations.FORMS + ", not " + describe(v));
        return DEFAULT_TIMEOUT;
    }

    private List<String> binaries(Node v) {
        List<String> out = new ArrayList<>();
        if (v instanceof ScalarNode s && BINARY.matcher(s.getValue()).matches()) {
            out.add(s.getValue()); // a single binary written without brackets
            return out;
        }
        if (!(v instanceof SequenceNode seq)) {
            diags.error(doc.at(v), "'requires' must be a list of program names, like [sysbench], not " + describe(v));
            return out;
        }
        for (Node n : seq.getValue()) {
            if (n instanceof ScalarNode s && BINARY.matcher(s.getValue()).matches()) out.add(s.getValue());
            else diags.error(doc.at(n), "'requires' lists program names (letters, digits, . _ + -), not " + describe(n));
        }
        return List.copyOf(out);
    }

    private Map<String, String> vars(Node v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(v instanceof MappingNode map)) {
            diags.error(doc.at(v), "'vars' must be a mapping of name: default value, not " + describe(v));
            return out;
        }
        for (NodeTuple t : map.getValue()) {
            String k = keyOf(t);
            if (k == null) continue;
            if (!VAR_NAME.matcher(k).matches()) {
                diags.error(doc.at(t.getKeyNode()), "variable name '" + k + "' must be letters, digits and '_', not starting with a digit");
                continue;
            }
            if (BenchmarkDef.BUILTIN_VARS.contains(k)) {
                diags.error(doc.at(t.getKeyNode()), "variable '" + k + "' is built in and set by tuner; choose another name");
                continue;
            }
            Node val = t.getValueNode();
            if (val instanceof ScalarNode s) {
                out.put(k, "null".equals(YamlDocument.typeName(s)) ? null : s.getValue());
            } else {
                diags.error(doc.at(val), "default of variable '" + k + "' must be a single value, not a " + YamlDocument.typeName(val));
            }
        }
        return out;
    }

    private List<Step> steps(Node v, String key) {
        List<Step> out = new ArrayList<>();
        List<Node> items;
        if (v instanceof ScalarNode) items = List.of(v);
        else if (v instanceof SequenceNode seq) items = seq.getValue();
        else {
            diags.error(doc.at(v), "'" + key + "' must be a command or a list of commands, not a " + YamlDocument.typeName(v));
            return out;
        }
        for (Node n : items) {
            if (n instanceof ScalarNode s && "string".equals(YamlDocument.typeName(s))) {
                out.add(new Step(s.getValue(), Step.Where.TARGET));
            } else if (n instanceof MappingNode m) {
                String run = null;
                Step.Where on = Step.Where.TARGET;
                for (NodeTuple t : m.getValue()) {
                    String k = keyOf(t);
                    if (k == null) continue;
                    switch (k) {
                        case "run" -> run = string(t.getValueNode(), "run");
                        case "on" -> {
                            String w = string(t.getValueNode(), "on");
                            if ("target".equals(w)) on = Step.Where.TARGET;
                            else if ("peer".equals(w)) on = Step.Where.PEER;
                            else if (w != null) diags.error(doc.at(t.getValueNode()), "'on' must be 'target' or 'peer', not '" + w + "'");
                        }
                        default -> diags.error(doc.at(t.getKeyNode()), "unknown key '" + k + "' in a " + key + " step"
                                + Suggest.didYouMean(k, STEP_KEYS) + "; known keys: run, on");
                    }
                }
                if (run == null) diags.error(doc.at(n), "a " + key + " step needs 'run': the command");
                else out.add(new Step(run, on));
            } else {
                diags.error(doc.at(n), "a " + key + " step is a command string or {run: ..., on: target|peer}, not " + describe(n));
            }
        }
        return List.copyOf(out);
    }

    private List<MetricDef> metrics(Node v) {
        List<MetricDef> out = new ArrayList<>();
        if (!(v instanceof MappingNode map)) {
            diags.error(doc.at(v), "'metrics' must be a mapping of metric name to {regex|json, unit, better}, not " + describe(v));
            return out;
        }
        for (NodeTuple t : map.getValue()) {
            String name = keyOf(t);
            if (name == null) continue;
            if (!NAME.matcher(name).matches()) {
                diags.error(doc.at(t.getKeyNode()), "metric name '" + name + "' must be lower case letters, digits, '-' and '_'");
            }
            MetricDef m = metric(name, t.getKeyNode(), t.getValueNode());
            if (m != null) out.add(m);
        }
        return out;
    }

    private MetricDef metric(String name, Node keyNode, Node v) {
        if (!(v instanceof MappingNode map)) {
            diags.error(doc.at(v), "metric '" + name + "' must be a mapping with regex or json, unit and better, not " + describe(v));
            return null;
        }
        int before = diags.errorCount();
        Extractor extractor = null;
        boolean sawExtractor = false;
        double scale = 1;
        String unit = null;
        Better better = null;
        String description = "";
        boolean sawUnit = false, sawBetter = false;
        for (NodeTuple t : map.getValue()) {
            String k = keyOf(t);
            if (k == null) continue;
            Node val = t.getValueNode();
            switch (k) {
                case "regex", "json" -> {
                    if (sawExtractor) {
                        diags.error(doc.at(t.getKeyNode()), "metric '" + name + "' has both 'regex' and 'json'; keep one");
                        continue;
                    }
                    sawExtractor = true;
                    String text = string(val, k);
                    if (text == null) continue;
                    try {
                        extractor = k.equals("regex") ? Extractor.Regex.of(text) : new Extractor.Json(JsonPath.parse(text));
                    } catch (PatternSyntaxException e) {
                        diags.error(doc.at(val), "metric '" + name + "': bad regex: " + e.getDescription() + " near index " + e.getIndex());
                    } catch (IllegalArgumentException e) {
                        diags.error(doc.at(val), "metric '" + name + "': " + e.getMessage());
                    }
                }
                case "scale" -> {
                    Object o = val instanceof ScalarNode s ? YamlDocument.scalar(s) : null;
                    if (o instanceof Number n && n.doubleValue() > 0) scale = n.doubleValue();
                    else diags.error(doc.at(val), "'scale' must be a positive number, not " + describe(val));
                }
                case "unit" -> { unit = string(val, "unit"); sawUnit = true; }
                case "better" -> {
                    sawBetter = true;
                    String b = string(val, "better");
                    if ("higher".equals(b)) better = Better.HIGHER;
                    else if ("lower".equals(b)) better = Better.LOWER;
                    else if (b != null) diags.error(doc.at(val), "'better' must be 'higher' or 'lower', not '" + b + "'"
                            + Suggest.didYouMean(b, List.of("higher", "lower")));
                }
                case "description" -> description = string(val, "description");
                default -> diags.error(doc.at(t.getKeyNode()), "unknown key '" + k + "' in metric '" + name + "'"
                        + Suggest.didYouMean(k, METRIC_KEYS) + "; known keys: " + String.join(", ", METRIC_KEYS));
            }
        }
        if (!sawExtractor) diags.error(doc.at(keyNode), "metric '" + name + "' needs 'regex' or 'json' to find its figure in the output");
        if (!sawUnit) diags.error(doc.at(keyNode), "metric '" + name + "' needs 'unit' (like MB/s, IOPS, usec)");
        if (!sawBetter) diags.error(doc.at(keyNode), "metric '" + name + "' needs 'better: higher' or 'better: lower'");
        if (diags.errorCount() > before || extractor == null) return null;
        return new MetricDef(name, extractor, scale, unit, better, description);
    }

    private static String describe(Node n) {
        if (n instanceof ScalarNode s) return YamlDocument.typeName(n) + " '" + s.getValue() + "'";
        return "a " + YamlDocument.typeName(n);
    }
}
