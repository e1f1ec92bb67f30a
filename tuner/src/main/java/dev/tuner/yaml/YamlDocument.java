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
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * A YAML file parsed to SnakeYAML's node tree, so every later check can name file:line:column.
 * Duplicate keys in a mapping are reported (SnakeYAML's composer accepts them silently).
 *
 * <p>Aliases are welcome, merge keys ({@code <<: *defaults}) above all, however many a file has.
 * What is bounded is the document as it is read with every alias expanded: at most
 * {@link #MAX_VALUES} values, counted before anything walks it. A "billion laughs" file (aliases
 * of aliases, each level ten times the last) stops there at once, as does a document that holds
 * itself through an alias.
 */
public final class YamlDocument {
    /** The most values (scalars, lists, mappings) a document may have with its aliases expanded. */
    public static final int MAX_VALUES = 2_000_000;
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
        // Aliases cost nothing to compose; their expansion is what is bounded (MAX_VALUES).
        options.setMaxAliasesForCollections(Integer.MAX_VALUE);
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
            if (root != null) {
                String tooBig = expandedSize(root);
                if (tooBig != null) {
                    diags.error(at(displayName, root), tooBig);
                    return null;
                }
                checkDuplicateKeys(displayName, root, diags, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
                flattenMerges(displayName, root, diags, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            }
            return new YamlDocument(displayName, root);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location loc = m == null ? Location.of(displayName) : new Location(displayName, m.getLine() + 1, m.getColumn() + 1);
            String msg = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) msg = e.getContext() + ": " + msg;
            diags.error(loc, "YAML syntax error: " + msg.replace('\n', ' ').trim());
            return null;
        } catch (ReaderException e) {
            diags.error(codePointLocation(text, e.getPosition(), displayName), "YAML syntax error: character U+"
                    + String.format("%04X", e.getCodePoint()) + " is not allowed in YAML; write control characters as escapes"
                    + " in double quotes (\"\\r\", \"\\u0001\")");
            return null;
        } catch (YAMLException e) {
            diags.error(Location.of(displayName), "YAML error: " + e.getMessage());
            return null;
        }
    }

    /** Line and column of the code point at {@code position} (the reader's count, from 0). */
    private static Location codePointLocation(String text, int position, String file) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; cp < position && i < text.length(); cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Location(file, line, column);
    }

    /**
     * Why the document is too large once its aliases are expanded, or null. Each distinct node is
     * sized once (an alias shares its anchor's node), so this costs the document's own size.
     */
    private static String expandedSize(Node root) {
        Map<Node, Long> sizes = new java.util.IdentityHashMap<>();
        Map<Node, Boolean> open = new java.util.IdentityHashMap<>();
        long total = size(root, sizes, open);
        if (total < 0) return "the document contains itself through an alias; tuner reads only documents that end";
        if (total > MAX_VALUES) {
            return "the document has more than " + MAX_VALUES + " values once its aliases are expanded"
                    + " (aliases of aliases multiply: a 'billion laughs' document?); tuner reads at most that many";
        }
        return null;
    }

    /** Values below and including {@code node} with aliases expanded, capped just above MAX_VALUES; -1 for a cycle. */
    private static long size(Node node, Map<Node, Long> sizes, Map<Node, Boolean> open) {
        Long known = sizes.get(node);
        if (known != null) return known;
        if (open.put(node, Boolean.TRUE) != null) return -1;
        long n = 1;
        List<Node> children = new ArrayList<>();
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                children.add(t.getKeyNode());
                children.add(t.getValueNode());
            }
        } else if (node instanceof SequenceNode seq) {
            children.addAll(seq.getValue());
        }
        for (Node c : children) {
            long s = size(c, sizes, open);
            if (s < 0) return -1;
            n = Math.min(n + s, MAX_VALUES + 1L);
        }
        open.remove(node);
        sizes.put(node, n);
        return n;
    }

    private static void checkDuplicateKeys(String file, Node node, Diagnostics diags, java.util.Set<Node> checked) {
        // A node an alias repeats is checked once, where it was written.
        if (!checked.add(node)) return;
        if (node instanceof MappingNode map) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !isMergeKey(k)) {
                    Node first = seen.putIfAbsent(k.getValue(), k);
                    if (first != null) {
                        diags.error(at(file, k), "duplicate key '" + k.getValue() + "' (first defined at line "
                                + at(file, first).line() + ")");
                    }
                }
                checkDuplicateKeys(file, t.getValueNode(), diags, checked);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) checkDuplicateKeys(file, n, diags, checked);
        }
    }

    private static boolean isMergeKey(Node key) {
        return key instanceof ScalarNode k && Tag.MERGE.equals(k.getTag());
    }

    /**
     * Resolves merge keys in the tree itself, as PyYAML (and so Ansible) reads them: the merged
     * mappings' entries first (of a list of them, the earlier wins), then the mapping's own
     * entries, which win over merged ones. Every reader of the tree then sees plain mappings, and
     * a merged entry keeps its own position, where its value is written.
     */
    private static void flattenMerges(String file, Node node, Diagnostics diags, java.util.Set<Node> done) {
        if (!done.add(node)) return;
        if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) flattenMerges(file, n, diags, done);
            return;
        }
        if (!(node instanceof MappingNode map)) return;
        // The mappings merged in are flattened first, so a merge of a merge works.
        for (NodeTuple t : map.getValue()) {
            flattenMerges(file, t.getKeyNode(), diags, done);
            flattenMerges(file, t.getValueNode(), diags, done);
        }
        if (map.getValue().stream().noneMatch(t -> isMergeKey(t.getKeyNode()))) return;
        Map<Object, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!isMergeKey(t.getKeyNode())) continue;
            Node v = t.getValueNode();
            for (Node source : v instanceof SequenceNode s ? s.getValue() : List.of(v)) {
                if (!(source instanceof MappingNode m)) {
                    diags.error(at(file, source), "a merge key '<<' takes a mapping or a list of mappings (such as *defaults), got a "
                            + typeName(source));
                    continue;
                }
                for (NodeTuple mt : m.getValue()) entries.putIfAbsent(mergeIdentity(mt.getKeyNode()), mt);
            }
        }
        for (NodeTuple t : map.getValue()) {
            if (!isMergeKey(t.getKeyNode())) entries.put(mergeIdentity(t.getKeyNode()), t);
        }
        map.setValue(new ArrayList<>(entries.values()));
    }

    /** What makes two keys the same key for merging: a scalar's text; any other key is only itself. */
    private static Object mergeIdentity(Node key) {
        return key instanceof ScalarNode s ? s.getValue() : key;
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
                Object key = toJava(t.getKeyNode());
                out.put(String.valueOf(key), toJava(t.getValueNode()));
            }
            return out;
        }
        return null;
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
