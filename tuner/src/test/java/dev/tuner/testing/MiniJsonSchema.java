package dev.tuner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Just enough of JSON Schema draft-07 to check playbooks against the playbook schema (no validator
 * library is available to the build). A keyword it does not implement is an error, so the schema
 * cannot grow a rule this checker silently ignores; so is a keyword beside {@code $ref}, which
 * draft-07 validators (editors) ignore while this checker would apply it.
 */
public final class MiniJsonSchema {
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description", "examples", "definitions");
    private static final Set<String> KEYWORDS = Set.of("$ref", "type", "enum", "pattern", "properties", "additionalProperties",
            "required", "propertyNames", "minProperties", "items", "minItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "anyOf", "oneOf");

    private final JsonNode root;

    public MiniJsonSchema(JsonNode root) {
        this.root = root;
    }

    /** Problems of {@code value} (plain Java: Map, List, String, Number, Boolean, null), each with its JSON path. */
    public List<String> validate(Object value) {
        return validate(root, value);
    }

    /** Problems of {@code value} against a part of the schema (its references resolve in the whole). */
    public List<String> validate(JsonNode schema, Object value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out);
        return out;
    }

    private void check(JsonNode schema, Object v, String path, List<String> out) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYWORDS.contains(k) && !ANNOTATIONS.contains(k))
                throw new IllegalStateException("schema keyword '" + k + "' at " + path + " is not supported by this checker");
        }
        if (schema.has("$ref")) {
            for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (KEYWORDS.contains(k) && !k.equals("$ref"))
                    throw new IllegalStateException("keyword '" + k + "' beside $ref at " + path + ": draft-07 ignores it there");
            }
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/definitions/")) throw new IllegalStateException("only local refs: " + ref);
            JsonNode target = root.get("definitions").get(ref.substring("#/definitions/".length()));
            if (target == null) throw new IllegalStateException("dangling $ref " + ref);
            check(target, v, path, out);
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            out.add(path + ": " + describe(v) + " is not of type " + schema.get("type"));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= same(e, v);
            if (!found) out.add(path + ": " + describe(v) + " is not one of " + schema.get("enum"));
        }
        if (schema.has("pattern") && v instanceof String s && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find())
            out.add(path + ": '" + s + "' does not match " + schema.get("pattern").asText());
        if (schema.has("minimum") && v instanceof Number n && n.doubleValue() < schema.get("minimum").asDouble())
            out.add(path + ": " + n + " is below " + schema.get("minimum"));
        if (schema.has("maximum") && v instanceof Number n && n.doubleValue() > schema.get("maximum").asDouble())
            out.add(path + ": " + n + " is above " + schema.get("maximum"));
        if (schema.has("exclusiveMinimum") && v instanceof Number n && n.doubleValue() <= schema.get("exclusiveMinimum").asDouble())
            out.add(path + ": " + n + " is not above " + schema.get("exclusiveMinimum"));
        if (schema.has("exclusiveMaximum") && v instanceof Number n && n.doubleValue() >= schema.get("exclusiveMaximum").asDouble())
            out.add(path + ": " + n + " is not below " + schema.get("exclusiveMaximum"));
        if (v instanceof Map<?, ?> map) object(schema, map, path, out);
        if (v instanceof List<?> list) {
            if (schema.has("minItems") && list.size() < schema.get("minItems").asInt()) out.add(path + ": too few items");
            if (schema.has("items") && !schema.get("items").isObject())
                throw new IllegalStateException("'items' at " + path + " must be one schema (tuple forms are not supported)");
            if (schema.has("items")) for (int i = 0; i < list.size(); i++) check(schema.get("items"), list.get(i), path + "[" + i + "]", out);
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode alt : schema.get("anyOf")) any |= valid(alt, v, path);
            if (!any) out.add(path + ": " + describe(v) + " matches none of the allowed forms");
        }
        if (schema.has("oneOf")) {
            int n = 0;
            for (JsonNode alt : schema.get("oneOf")) if (valid(alt, v, path)) n++;
            if (n != 1) out.add(path + ": must match exactly one of " + schema.get("oneOf") + ", matches " + n);
        }
    }

    private void object(JsonNode schema, Map<?, ?> map, String path, List<String> out) {
        if (schema.has("required"))
            for (JsonNode r : schema.get("required")) if (!map.containsKey(r.asText())) out.add(path + ": '" + r.asText() + "' is required");
        if (schema.has("minProperties") && map.size() < schema.get("minProperties").asInt()) out.add(path + ": too few properties");
        JsonNode props = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String p = path + "." + key;
            if (schema.has("propertyNames")) check(schema.get("propertyNames"), key, p + " (name)", out);
            if (props != null && props.has(key)) check(props.get(key), e.getValue(), p, out);
            else if (additional != null && additional.isBoolean() && !additional.asBoolean()) out.add(path + ": '" + key + "' is not allowed");
            else if (additional != null && additional.isObject()) check(additional, e.getValue(), p, out);
        }
    }

    private boolean valid(JsonNode schema, Object v, String path) {
        List<String> sub = new ArrayList<>();
        check(schema, v, path, sub);
        return sub.isEmpty();
    }

    private static boolean typeMatches(JsonNode type, Object v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v instanceof Map;
            case "array" -> v instanceof List;
            case "string" -> v instanceof String;
            case "boolean" -> v instanceof Boolean;
            case "null" -> v == null;
            case "number" -> v instanceof Number;
            case "integer" -> v instanceof Long || v instanceof Integer || v instanceof BigInteger;
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }

    /** JSON equality of an enum entry and a plain Java value: 1 and 1.0 are the same number. */
    private static boolean same(JsonNode e, Object v) {
        if (e.isNull()) return v == null;
        if (e.isTextual()) return e.asText().equals(v);
        if (e.isBoolean()) return Boolean.valueOf(e.asBoolean()).equals(v);
        if (e.isNumber() && v instanceof Number n) return e.decimalValue().compareTo(new BigDecimal(n.toString())) == 0;
        if (e.isContainerNode()) throw new IllegalStateException("enum entries that are objects or arrays are not supported");
        return false;
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
