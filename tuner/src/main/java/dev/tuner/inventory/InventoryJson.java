package dev.tuner.inventory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ansible-inventory --list} output: one entry per group with its hosts and children (empty
 * ones left out), {@code _meta.hostvars}, keys sorted and 4-space indented as Python's
 * {@code json.dumps(sort_keys=True, indent=4)} writes them, so the two can be diffed.
 */
final class InventoryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private InventoryJson() {}

    static String list(Inventory inv) {
        Map<String, Object> results = new LinkedHashMap<>();
        format(inv, inv.groups().get("all"), results, new HashSet<>());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (Host h : inv.hostsOf("all")) {
            if (!h.vars().isEmpty()) hostvars.put(h.name(), h.vars());
        }
        results.put("_meta", Map.of("hostvars", hostvars));
        try {
            return MAPPER.writer(new PythonStylePrinter()).writeValueAsString(results);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(Inventory inv, Group g, Map<String, Object> results, Set<String> seen) {
        Map<String, Object> entry = new LinkedHashMap<>();
        results.put(g.name(), entry);
        if (!g.name().equals("all") && !g.hosts().isEmpty()) entry.put("hosts", g.hosts());
        List<String> children = new ArrayList<>();
        for (String c : g.children()) {
            children.add(c);
            if (seen.add(c)) format(inv, inv.groups().get(c), results, seen);
        }
        if (!children.isEmpty()) entry.put("children", children);
        if (entry.isEmpty()) results.remove(g.name());
    }

    /** Python's json.dumps(indent=4) layout: "key": value, [] and {} for empty containers. */
    static final class PythonStylePrinter implements PrettyPrinter {
        private int level;

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("    ".repeat(level));
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            level++;
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            level--;
            if (entries > 0) newline(g);
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            level++;
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            level--;
            if (values > 0) newline(g);
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }
    }
}
