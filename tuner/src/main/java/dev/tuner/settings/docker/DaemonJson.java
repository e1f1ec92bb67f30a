package dev.tuner.settings.docker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.settings.files.Trees;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing daemon.json: strict JSON (no comments, no duplicate keys — dockerd's Go
 * decoder would silently take the last one), an object at the top. An existing file is edited in
 * place: the keys a plan does not touch keep their text byte for byte (an inline {@code ["a"]}
 * stays inline), so the diff a reviewer reads shows only the keys that change; changed and new
 * values are written pretty-printed with the file's own indentation (two spaces for a new file).
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

    /** A top-level member's place in the file's text: the key's first character, the value's first and one past its last. */
    private record Member(String key, int keyStart, int valueStart, int valueEnd) {}

    /**
     * {@code before} turned into {@code merged}: untouched members keep their text and the
     * separators around them; a changed value is rewritten where it stands, a removed member goes
     * with its separator, new members follow the last one. A file with no member yet, or left
     * with none, is written whole.
     */
    static String edit(String before, ObjectNode merged, String path) {
        ObjectNode original = parse(before, path);
        List<Member> members = members(before);
        String unit = indentOf(before);
        List<String> added = new ArrayList<>();
        merged.fieldNames().forEachRemaining(k -> {
            if (!original.has(k)) added.add(k);
        });
        boolean anyKept = members.stream().anyMatch(m -> merged.has(m.key()));
        if (members.isEmpty() || (!anyKept && added.isEmpty())) return write(merged, unit);

        String separator = members.size() > 1 ? before.substring(members.get(0).valueEnd(), members.get(1).keyStart())
                : ",\n" + lineIndent(before, members.get(0).keyStart());
        StringBuilder out = new StringBuilder(before.substring(0, members.get(0).keyStart()));
        boolean first = true;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (!merged.has(m.key())) continue;
            // A kept member after another keeps the separator it had (the one after a removed member is the same text).
            if (!first) out.append(before, members.get(i - 1).valueEnd(), m.keyStart());
            first = false;
            out.append(before, m.keyStart(), m.valueStart());
            JsonNode want = merged.get(m.key());
            if (Trees.same(original.get(m.key()), want)) out.append(before, m.valueStart(), m.valueEnd());
            else write(want, unit, lineIndent(before, m.keyStart()), out);
        }
        String at = lineIndent(before, members.get(0).keyStart());
        for (String k : added) {
            if (!first) out.append(separator);
            first = false;
            out.append(quoted(k)).append(": ");
            write(merged.get(k), unit, at, out);
        }
        return out.append(before.substring(members.get(members.size() - 1).valueEnd())).toString();
    }

    private static String lineIndent(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        String lead = text.substring(lineStart, offset);
        return lead.isBlank() ? lead : "";
    }

    private static List<Member> members(String text) {
        List<Member> out = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return out;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int keyStart = (int) p.currentTokenLocation().getCharOffset();
                String key = p.currentName();
                p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                p.finishToken(); // a string's end is known only once its text is read
                int valueEnd = (int) p.currentLocation().getCharOffset();
                out.add(new Member(key, keyStart, valueStart, valueEnd));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("daemon.json parsed once already: " + e.getMessage(), e);
        }
        return out;
    }

    private static String quoted(String key) {
        return MAPPER.getNodeFactory().textNode(key).toString();
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
                sb.append(at).append(unit).append(quoted(e.getKey())).append(": ");
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
