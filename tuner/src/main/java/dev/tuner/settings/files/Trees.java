package dev.tuner.settings.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Playbook values as JSON trees (the common form of daemon.json and TOML files once parsed), and
 * comparison the way a daemon reads them: 3, 3.0 and a TOML integer 3 are the same number.
 */
public final class Trees {
    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    private Trees() {}

    /** A YAML value (Map, List, String, Number, Boolean, null) as a tree; {@code what} names it in errors. */
    public static JsonNode of(Object v, String what) {
        if (v == null) return F.nullNode();
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return F.numberNode(((Number) v).longValue());
        if (v instanceof BigInteger bi) return F.numberNode(bi);
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new IllegalArgumentException(what + ": " + d + " is not a number JSON or TOML daemons accept");
            return F.numberNode(BigDecimal.valueOf(d));
        }
        if (v instanceof BigDecimal bd) return F.numberNode(bd);
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), of(x, what + "." + k)));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < l.size(); i++) a.add(of(l.get(i), what + "[" + i + "]"));
            return a;
        }
        throw new IllegalArgumentException(what + ": unsupported value " + v.getClass().getSimpleName());
    }

    /** Deep equality with numbers compared by value and object keys in any order. */
    public static boolean same(JsonNode a, JsonNode b) {
        if (a == null || a.isMissingNode()) return b == null || b.isMissingNode();
        if (b == null || b.isMissingNode()) return false;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!same(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isValueNode() && b.isValueNode() && !a.isNumber() && !b.isNumber()) return a.equals(b) || a.asText().equals(b.asText()) && a.getNodeType() == b.getNodeType();
        return false;
    }

    /**
     * Two values as plans carry them, as text (null: removed), compared as {@link #same} trees once
     * {@code read} has parsed them; text that does not parse is compared as text.
     */
    public static boolean same(String a, String b, Function<String, JsonNode> read) {
        if (a == null || b == null) return a == b;
        try {
            return same(read.apply(a), read.apply(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    /** The node at a path of object keys, or null. */
    public static JsonNode get(JsonNode root, List<String> path) {
        JsonNode n = root;
        for (String seg : path) {
            if (n == null || !n.isObject()) return null;
            n = n.get(seg);
        }
        return n;
    }

    /** Sets the node at a path, creating objects on the way; false if a non-object is in the way. */
    public static boolean set(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode n = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode next = n.get(path.get(i));
            if (next == null) {
                next = F.objectNode();
                n.set(path.get(i), next);
            }
            if (!(next instanceof ObjectNode o)) return false;
            n = o;
        }
        n.set(path.get(path.size() - 1), value);
        return true;
    }

    /**
     * Every value of a tree that is not a table, by its path of keys, in the tree's order. A table
     * with nothing in it has no leaves: a daemon merging files key by key reads nothing from it.
     */
    public static LinkedHashMap<List<String>, JsonNode> leaves(JsonNode tree) {
        LinkedHashMap<List<String>, JsonNode> out = new LinkedHashMap<>();
        collectLeaves(tree, new ArrayList<>(), out);
        return out;
    }

    private static void collectLeaves(JsonNode n, List<String> path, LinkedHashMap<List<String>, JsonNode> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                path.add(e.getKey());
                collectLeaves(e.getValue(), path, out);
                path.remove(path.size() - 1);
            });
        } else if (!path.isEmpty()) {
            out.put(List.copyOf(path), n);
        }
    }

    /** Compact one-line JSON of a value, for plans and the journal. */
    public static String compact(JsonNode n) {
        return n == null ? null : n.toString();
    }
}
