package dev.tuner.settings.docker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Reading and writing daemon.json: strict JSON (no comments, no duplicate keys — dockerd's Go
 * decoder would silently take the last one), an object at the top; written pretty-printed with
 * the file's own indentation (two spaces for a new file), keys in their order.
 */
final class DaemonJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private DaemonJson() {}

    /** One value as a plan carries it, e.g. {@code "json-file"} or {@code {"max-size":"100m"}}; {@code what} names it in errors. */
    static JsonNode value(String text, String what) {
        return parse("{\"v\":" + text + "}", what).get("v");
    }

    /** The top-level object; an empty or blank file is an empty configuration, as dockerd reads it. */
    static ObjectNode parse(String text, String path) {
        if (text == null || text.isBlank()) return MAPPER.createObjectNode();
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? path : path + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(where + ": not valid JSON: " + readable(e.getOriginalMessage()));
        }
        if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException(path + ": must hold a JSON object {...}, not " + n.getNodeType().name().toLowerCase());
        return o;
    }

    /**
     * Jackson's message without its parser-internal source description: "(start marker at [Source:
     * REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1])" becomes "(start marker at line 1, column 1)".
     */
    static String readable(String message) {
        if (message == null) return "";
        return message.replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    }

    /** The indentation unit of an existing file: the leading whitespace of its first indented line. */
    static String indentOf(String text) {
        if (text != null) {
            for (String line : text.split("\n")) {
                int i = 0;
                while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
                if (i > 0 && i < line.length()) return line.substring(0, i);
            }
        }
        return "  ";
    }

    static String write(JsonNode root, String indent) {
        StringBuilder sb = new StringBuilder();
        write(root, indent, "", sb);
        return sb.append('\n').toString();
    }

    private static void write(JsonNode n, String unit, String at, StringBuilder sb) {
        if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(at).append(unit).append(MAPPER.getNodeFactory().textNode(e.getKey()).toString()).append(": ");
                write(e.getValue(), unit, at + unit, sb);
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            sb.append(at).append('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                sb.append(at).append(unit);
                write(n.get(i), unit, at + unit, sb);
                sb.append(i + 1 < n.size() ? ",\n" : "\n");
            }
            sb.append(at).append(']');
        } else {
            sb.append(n.toString());
        }
    }
}
