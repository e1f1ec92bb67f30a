package dev.tuner.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4, what node_exporter's
 * textfile collector reads), written from the format's specification: every line is a
 * {@code # HELP}, a {@code # TYPE}, another comment, empty, or a sample
 * {@code name{label="value",...} value [timestamp]}. It rejects what Prometheus rejects: bad metric
 * or label names, unescaped quotes, a second TYPE or HELP for a family, a TYPE after the family's
 * first sample, a family's samples split by another family, the same label set twice.
 */
public final class ExpositionFormat {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    public record Sample(String name, Map<String, String> labels, double value, Long timestamp) {}

    public record Family(String name, String type, String help, List<Sample> samples) {}

    private ExpositionFormat() {}

    /** The families in order of appearance; an AssertionError naming the line for anything malformed. */
    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("the last line does not end in \\n");
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> seenSeries = new HashSet<>();
        String current = null;
        Set<String> finished = new HashSet<>();
        Set<String> order = new java.util.LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "'";
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                String[] f = line.substring(1).strip().split("[ \\t]+", 3);
                if (f.length >= 2 && (f[0].equals("HELP") || f[0].equals("TYPE"))) {
                    String name = f[1];
                    if (!METRIC_NAME.matcher(name).matches()) throw new AssertionError(where + ": bad metric name " + name);
                    if (f[0].equals("TYPE")) {
                        String type = f.length > 2 ? f[2].strip() : "";
                        if (!TYPES.contains(type)) throw new AssertionError(where + ": unknown type '" + type + "'");
                        if (types.put(name, type) != null) throw new AssertionError(where + ": second TYPE for " + name);
                        if (samples.containsKey(name)) throw new AssertionError(where + ": TYPE after samples of " + name);
                    } else if (helps.put(name, f.length > 2 ? unescapeHelp(f[2], where) : "") != null) {
                        throw new AssertionError(where + ": second HELP for " + name);
                    }
                    current = switchFamily(current, name, finished, where);
                    order.add(name);
                }
                continue;
            }
            Sample s = sample(line, where);
            current = switchFamily(current, s.name(), finished, where);
            order.add(s.name());
            if (!seenSeries.add(s.name() + s.labels())) throw new AssertionError(where + ": the same series twice");
            samples.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        for (String n : order) {
            out.put(n, new Family(n, types.getOrDefault(n, "untyped"), helps.get(n), samples.getOrDefault(n, List.of())));
        }
        return out;
    }

    /**
     * The families node_exporter's textfile collector exposes from several files of one directory
     * (name → text), with what it refuses: a family of one name with another type or help text in
     * another file, and the same series (name and labels) from two files, which its registry
     * rejects as "collected before with the same name and label values".
     */
    public static Map<String, Family> textfileCollector(Map<String, String> files) {
        Map<String, Family> out = new LinkedHashMap<>();
        Map<String, String> seriesFrom = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            for (Family f : parse(file.getValue()).values()) {
                Family before = out.get(f.name());
                if (before != null && (!before.type().equals(f.type()) || !java.util.Objects.equals(before.help(), f.help()))) {
                    throw new AssertionError(file.getKey() + ": " + f.name() + " has another TYPE or HELP than in an earlier file");
                }
                for (Sample s : f.samples()) {
                    String other = seriesFrom.put(s.name() + new java.util.TreeMap<>(s.labels()), file.getKey());
                    if (other != null) throw new AssertionError(file.getKey() + ": " + s.name() + s.labels() + " was collected before, from " + other);
                }
                List<Sample> all = new ArrayList<>(before == null ? List.of() : before.samples());
                all.addAll(f.samples());
                out.put(f.name(), new Family(f.name(), f.type(), f.help(), all));
            }
        }
        return out;
    }

    /** A family's lines must be one group: coming back to a family after another one is an error. */
    private static String switchFamily(String current, String next, Set<String> finished, String where) {
        if (next.equals(current)) return current;
        if (finished.contains(next)) throw new AssertionError(where + ": lines of " + next + " are not in one group");
        if (current != null) finished.add(current);
        return next;
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) throw new AssertionError(where + ": bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) throw new AssertionError(where + ": label without '='");
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__"))
                    throw new AssertionError(where + ": bad label name '" + label + "'");
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') throw new AssertionError(where + ": label value of " + label + " is not quoted");
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= n) throw new AssertionError(where + ": unterminated label value of " + label);
                    char c = line.charAt(i++);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (i >= n) throw new AssertionError(where + ": dangling backslash");
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError(where + ": unknown escape \\" + e + " in label " + label);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) throw new AssertionError(where + ": label " + label + " twice");
                if (i < n && line.charAt(i) == ',') i++;
                else if (i >= n || line.charAt(i) != '}') throw new AssertionError(where + ": expected ',' or '}' after label " + label);
            }
        }
        String[] rest = line.substring(i).strip().split("[ \\t]+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) throw new AssertionError(where + ": expected a value and an optional timestamp");
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!FLOAT.matcher(rest[0]).matches()) throw new AssertionError(where + ": value '" + rest[0] + "' is not a number");
                yield Double.parseDouble(rest[0]);
            }
        };
        Long timestamp = null;
        if (rest.length == 2) {
            if (!rest[1].matches("-?\\d+")) throw new AssertionError(where + ": timestamp '" + rest[1] + "' is not an integer");
            timestamp = Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value, timestamp);
    }

    private static String unescapeHelp(String s, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= s.length()) throw new AssertionError(where + ": dangling backslash in HELP");
            char e = s.charAt(i);
            if (e == '\\') out.append('\\');
            else if (e == 'n') out.append('\n');
            else throw new AssertionError(where + ": unknown escape \\" + e + " in HELP");
        }
        return out.toString();
    }
}
