package dev.tuner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.run.RunResult;
import dev.tuner.slice.SliceSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents tuner writes, read back: to merge the documents of the slices of one fleet
 * into the report one run over all of them gives, or to turn a document into another format.
 */
public final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {}

    /**
     * Several documents of one command and playbook, merged: a drift report, or a run with the
     * slices it covers and, when a signal stopped one of them, the first such signal.
     */
    public record Merged(String command, DriftReport drift, RunResult run, SliceSet slices, Interruption interrupted) {
        public boolean isDrift() {
            return drift != null;
        }

        /** The exit code one run over every merged host would have had: an interrupted one's, as a run stopped by that signal. */
        public int exitCode() {
            if (drift != null) return drift.exitCode();
            return interrupted != null ? interrupted.exitCode() : run.exitCode();
        }
    }

    /**
     * Merges documents, each keyed by where it came from (a file name) for messages.
     *
     * @throws IllegalArgumentException naming the document that is not a tuner JSON document, or
     *     the documents that do not belong together: other commands, other playbooks, slices that
     *     overlap or are missing
     */
    public static Merged merge(Map<String, String> documents) {
        if (documents.isEmpty()) throw new IllegalArgumentException("no documents to merge");
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        Map<String, String> commands = new LinkedHashMap<>();
        Map<String, SliceSet> slices = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : documents.entrySet()) {
            String name = e.getKey();
            JsonNode doc;
            try {
                doc = JSON.readTree(e.getValue());
            } catch (JsonProcessingException ex) {
                throw new IllegalArgumentException(name + ": not JSON (" + ex.getOriginalMessage() + "): give the output of --format json");
            }
            if (doc == null || !doc.isObject()) throw new IllegalArgumentException(name + ": not a JSON object: give the output of --format json");
            try {
                commands.put(name, command(doc));
                int version = new Fields(doc, "$").integer("format_version");
                if (version != JsonReport.FORMAT_VERSION) {
                    throw new IllegalArgumentException("format_version " + version + " is not one this tuner reads (" + JsonReport.FORMAT_VERSION + ")");
                }
                slices.put(name, slices(doc));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(name + ": " + ex.getMessage());
            }
            docs.put(name, doc);
        }
        sameFor(commands, "command", "merge documents of one command");
        Map<String, String> playbooks = new LinkedHashMap<>();
        docs.forEach((name, doc) -> playbooks.put(name, doc.path("playbook").asText()));
        sameFor(playbooks, "playbook", "merge the slices of one playbook's run");
        SliceSet all = SliceSet.union(slices);
        String command = commands.values().iterator().next();
        if (command.equals("drift")) {
            List<DriftReport> parts = new ArrayList<>();
            docs.forEach((name, doc) -> parts.add(read(name, () -> DriftReport.read(doc))));
            return new Merged(command, DriftReport.merge(parts, all), null, all, null);
        }
        List<RunResult> parts = new ArrayList<>();
        Interruption interrupted = null;
        for (Map.Entry<String, JsonNode> e : docs.entrySet()) {
            parts.add(read(e.getKey(), () -> RunDocument.read(e.getValue())));
            Interruption i = read(e.getKey(), () -> RunDocument.interruption(e.getValue()));
            if (interrupted == null) interrupted = i;
        }
        return new Merged(command, null, read("the documents", () -> RunDocument.merge(parts)), all, interrupted);
    }

    private static <T> T read(String name, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** {@code drift} for a drift document, the run's mode ({@code plan}, {@code apply}) for a run document. */
    private static String command(JsonNode doc) {
        if (DriftReport.isDriftDocument(doc)) return "drift";
        if (doc.has("mode") && doc.has("plays")) return new Fields(doc, "$").text("mode");
        throw new IllegalArgumentException("not a document of tuner plan, apply or drift --format json (no 'mode' and 'plays', nor 'settings')");
    }

    private static void sameFor(Map<String, String> values, String what, String advice) {
        Map.Entry<String, String> first = values.entrySet().iterator().next();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getValue().equals(first.getValue())) {
                throw new IllegalArgumentException(first.getKey() + " is of " + what + " '" + first.getValue() + "' and " + e.getKey()
                        + " of " + what + " '" + e.getValue() + "': " + advice);
            }
        }
    }

    /**
     * The {@code slices} field every document of a command that takes {@code --slice} carries
     * (run, drift and facts documents): the slices it covers as {@code K/N}, in order; empty for
     * every host. {@link #slices(JsonNode)} reads it back.
     */
    public static void putSlices(ObjectNode document, SliceSet slices) {
        ArrayNode names = document.putArray("slices");
        slices.names().forEach(names::add);
    }

    /** The {@code slices} field: the whole fleet when it is absent or empty. */
    static SliceSet slices(JsonNode doc) {
        JsonNode s = doc.get("slices");
        if (s == null || s.isNull()) return SliceSet.WHOLE;
        if (!s.isArray()) throw new IllegalArgumentException("'slices' is not an array");
        List<String> names = new ArrayList<>();
        for (JsonNode n : s) names.add(n.asText());
        return SliceSet.parse(names);
    }

    /** Typed access to an object's fields; every failure names the field by its JSON path. */
    record Fields(JsonNode node, String path) {
        Fields {
            if (node == null || !node.isObject()) throw new IllegalArgumentException(path + " is not an object");
        }

        private JsonNode get(String name) {
            JsonNode v = node.get(name);
            if (v == null) throw new IllegalArgumentException(path + "." + name + " is missing");
            return v;
        }

        String text(String name) {
            JsonNode v = get(name);
            if (!v.isTextual()) throw new IllegalArgumentException(path + "." + name + " is not a string");
            return v.asText();
        }

        String textOrNull(String name) {
            JsonNode v = get(name);
            if (v.isNull()) return null;
            if (!v.isTextual()) throw new IllegalArgumentException(path + "." + name + " is not a string or null");
            return v.asText();
        }

        boolean bool(String name) {
            JsonNode v = get(name);
            if (!v.isBoolean()) throw new IllegalArgumentException(path + "." + name + " is not a boolean");
            return v.asBoolean();
        }

        int integer(String name) {
            JsonNode v = get(name);
            if (!v.isIntegralNumber()) throw new IllegalArgumentException(path + "." + name + " is not an integer");
            return v.asInt();
        }

        Instant instant(String name) {
            String t = text(name);
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + "." + name + " is not an ISO-8601 instant: " + t);
            }
        }

        Iterable<JsonNode> array(String name) {
            JsonNode v = get(name);
            if (!v.isArray()) throw new IllegalArgumentException(path + "." + name + " is not an array");
            return v;
        }

        List<String> strings(String name) {
            List<String> out = new ArrayList<>();
            int i = 0;
            for (JsonNode n : array(name)) {
                if (!n.isTextual()) throw new IllegalArgumentException(path + "." + name + "[" + i + "] is not a string");
                out.add(n.asText());
                i++;
            }
            return out;
        }
    }
}
