package dev.tuner.yaml;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML file parsed to SnakeYAML's node tree, so every later check can name file:line:column.
 * Duplicate keys in a mapping are reported (SnakeYAML's composer accepts them silently).
 */
public final class YamlDocument {
    private static final Pattern FLOAT_DECIMAL = Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?");
    private static final Pattern FLOAT_BASE60 = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*");
    private static final Pattern FLOAT_INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern FLOAT_NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private final String file;
    private final Node root;

    private YamlDocument(String file, Node root) {
        this.file = file;
        this.root = root;
    }

    /** The file name used in messages. */
    public String file() {
        return file;
    }

    /** The root node, or empty for an empty document. */
    public Optional<Node> root() {
        return Optional.ofNullable(root);
    }

    public Location at(Node node) {
        return at(file, node);
    }

    public static Location at(String file, Node node) {
        if (node == null || node.getStartMark() == null) return Location.of(file);
        Mark m = node.getStartMark();
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** Reads and parses a file; syntax errors and duplicate keys go to {@code diags}. Returns null on a syntax error. */
    public static YamlDocument load(Path path, String displayName, Diagnostics diags) {
        return load(path, displayName, "YAML file", diags);
    }

    /**
     * Reads (see {@link InputFile}) and parses a file; {@code what} names it in messages about the
     * file itself ("playbook is a directory, not a file"). Returns null when unreadable or on a syntax error.
     */
    public static YamlDocument load(Path path, String displayName, String what, Diagnostics diags) {
        String text = InputFile.read(path, displayName, what, diags);
        return text == null ? null : parse(text, displayName, diags);
    }

    public static YamlDocument parse(String text, String displayName, Diagnostics diags) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(InputFile.MAX_BYTES);
        Yaml yaml = new Yaml(options);
        try {
            List<Node> docs = new ArrayList<>();
            for (Node n : yaml.composeAll(new StringReader(text))) docs.add(n);
            if (docs.size() > 1) {
                diags.error(at(displayName, docs.get(1)), "only one YAML document per file is supported");
            }
            Node root = docs.isEmpty() ? null : docs.get(0);
            if (root != null) checkDuplicateKeys(displayName, root, diags);
            return new YamlDocument(displayName, root);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location loc = m == null ? Location.of(displayName) : new Location(displayName, m.getLine() + 1, m.getColumn() + 1);
            String msg = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) msg = e.getContext() + ": " + msg;
            diags.error(loc, "YAML syntax error: " + msg.replace('\n', ' ').trim());
            return null;
        } catch (YAMLException e) {
            diags.error(Location.of(displayName), "YAML error: " + e.getMessage());
            return null;
        }
    }

    private static void checkDuplicateKeys(String file, Node node, Diagnostics diags) {
        if (node instanceof MappingNode map) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !"<<".equals(k.getValue())) {
                    Node first = seen.putIfAbsent(k.getValue(), k);
                    if (first != null) {
                        diags.error(at(file, k), "duplicate key '" + k.getValue() + "' (first defined at line "
                                + at(file, first).line() + ")");
                    }
                }
                checkDuplicateKeys(file, t.getValueNode(), diags);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) checkDuplicateKeys(file, n, diags);
        }
    }

    // ---- conversion of nodes to plain Java values (Map, List, String, Long, Double, Boolean, null) ----

    /** Plain Java value of a node, resolving scalars by their YAML 1.1 tag as SnakeYAML does. */
    public static Object toJava(Node node) {
        if (node == null) return null;
        if (node instanceof ScalarNode s) return scalar(s);
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node n : seq.getValue()) list.add(toJava(n));
            return list;
        }
        if (node instanceof MappingNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && "<<".equals(k.getValue())) {
                    Object merged = toJava(t.getValueNode());
                    mergeInto(out, merged);
                    continue;
                }
                Object key = toJava(t.getKeyNode());
                out.put(String.valueOf(key), toJava(t.getValueNode()));
            }
            return out;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> out, Object merged) {
        if (merged instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach(out::putIfAbsent);
        } else if (merged instanceof List<?> l) {
            for (Object o : l) mergeInto(out, o);
        }
    }

    /** Scalar value by tag: int, float, bool, null, else the string. */
    public static Object scalar(ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue();
        try {
            if (Tag.NULL.equals(tag)) return null;
            if (Tag.BOOL.equals(tag)) return parseBool(v);
            if (Tag.INT.equals(tag)) return parseInt(v);
            if (Tag.FLOAT.equals(tag)) return parseFloat(v);
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    /**
     * A float as YAML 1.1 (and so Ansible's PyYAML) reads it: a dot is required and an exponent has a
     * sign ({@code 1e3} is a string there, though SnakeYAML tags it float), plus {@code .inf},
     * {@code -.inf}, {@code .nan} and base 60 ({@code 1:30.5}).
     */
    private static Object parseFloat(String v) {
        if (FLOAT_NAN.matcher(v).matches()) return Double.NaN;
        if (FLOAT_INF.matcher(v).matches()) return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (FLOAT_BASE60.matcher(v).matches()) {
            String s = v.replace("_", "");
            double sign = s.startsWith("-") ? -1 : 1;
            double value = 0;
            for (String part : s.replaceFirst("^[-+]", "").split(":")) value = value * 60 + Double.parseDouble(part);
            return sign * value;
        }
        if (FLOAT_DECIMAL.matcher(v).matches()) return Double.parseDouble(v.replace("_", ""));
        return v;
    }

    private static Boolean parseBool(String v) {
        return switch (v.toLowerCase()) {
            case "true", "yes", "on", "y" -> Boolean.TRUE;
            default -> Boolean.FALSE;
        };
    }

    private static Object parseInt(String v) {
        String s = v.replace("_", "");
        int sign = 1;
        if (s.startsWith("-")) { sign = -1; s = s.substring(1); }
        else if (s.startsWith("+")) s = s.substring(1);
        long value;
        if (s.startsWith("0x")) value = Long.parseLong(s.substring(2), 16);
        else if (s.startsWith("0b")) value = Long.parseLong(s.substring(2), 2);
        else if (s.startsWith("0o")) value = Long.parseLong(s.substring(2), 8);
        else if (s.length() > 1 && s.startsWith("0")) value = Long.parseLong(s.substring(1), 8);
        else if (s.contains(":")) {
            value = 0;
            for (String part : s.split(":")) value = value * 60 + Long.parseLong(part);
        } else value = Long.parseLong(s);
        return sign * value;
    }

    /** The YAML type name of a node for error messages: mapping, list, string, number, boolean, null. */
    public static String typeName(Node node) {
        if (node instanceof MappingNode) return "mapping";
        if (node instanceof SequenceNode) return "list";
        if (node instanceof ScalarNode s) {
            Object v = scalar(s);
            if (v == null) return "null";
            if (v instanceof Boolean) return "boolean";
            if (v instanceof Number) return "number";
            return "string";
        }
        return "unknown";
    }
}
