package dev.tuner.settings.files;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing TOML files to trees, and writing single values and whole documents back as TOML text. */
public final class TomlValues {
    private static final TomlMapper MAPPER = new TomlMapper();

    private TomlValues() {}

    /** A TOML document as a tree; throws IllegalArgumentException with the parser's line and column. */
    public static ObjectNode parse(String text, String file) {
        if (text == null || text.isBlank()) return MAPPER.createObjectNode();
        try {
            JsonNode n = MAPPER.readTree(text);
            return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? file : file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(where + ": not valid TOML: " + e.getOriginalMessage());
        }
    }

    /** The value a TOML value text stands for, e.g. {@code "systemd"} or {@code [1, 2]}. */
    public static JsonNode parseValue(String valueText) {
        return parse("v = " + valueText + "\n", "value").get("v");
    }

    /** A tree value as TOML value text; maps become inline tables (only nested in arrays). */
    public static String value(JsonNode v) {
        if (v.isTextual()) return string(v.textValue());
        if (v.isBoolean()) return v.booleanValue() ? "true" : "false";
        if (v.isIntegralNumber()) return v.bigIntegerValue().toString();
        if (v.isNumber()) {
            String s = v.decimalValue().toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) sb.append(i == 0 ? "" : ", ").append(value(v.get(i)));
            return sb.append(']').toString();
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(i == 0 ? " " : ", ").append(TomlKey.segment(e.getKey())).append(" = ").append(value(e.getValue()));
            }
            return sb.append(i == 0 ? "}" : " }").toString();
        }
        throw new IllegalArgumentException("TOML has no null: give a value or leave the key out");
    }

    /** A TOML basic string with the escapes TOML requires. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04X", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * A whole document from leaf assignments (dotted path → value text): root keys first, then one
     * [table] per parent path in first-seen order, indented two spaces per level as containerd and
     * CRI-O write their own configs.
     */
    public static String document(String header, Map<List<String>, String> leaves) {
        StringBuilder sb = new StringBuilder(header);
        Map<List<String>, StringBuilder> tables = new LinkedHashMap<>();
        leaves.forEach((path, v) -> {
            List<String> table = path.subList(0, path.size() - 1);
            if (table.isEmpty()) sb.append(TomlKey.segment(path.get(path.size() - 1))).append(" = ").append(v).append('\n');
        });
        leaves.forEach((path, v) -> {
            List<String> table = List.copyOf(path.subList(0, path.size() - 1));
            if (table.isEmpty()) return;
            String indent = "  ".repeat(table.size());
            tables.computeIfAbsent(table, t -> new StringBuilder())
                    .append(indent).append(TomlKey.segment(path.get(path.size() - 1))).append(" = ").append(v).append('\n');
        });
        tables.forEach((table, body) -> sb.append('\n').append("  ".repeat(table.size() - 1))
                .append('[').append(TomlKey.format(table)).append("]\n").append(body));
        return sb.toString();
    }
}
