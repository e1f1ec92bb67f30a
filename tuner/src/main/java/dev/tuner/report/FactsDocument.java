package dev.tuner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.slice.SliceSet;
import java.util.List;
import java.util.Map;

/** The facts document ({@code tuner facts --format json}), described in docs/json-output.md. */
public final class FactsDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FactsDocument() {}

    /** One host's facts, or the error ({@code type} {@code unreachable} or {@code failed}) that kept them from being gathered. */
    public record HostFacts(String host, Map<String, Object> facts, String type, String error) {}

    /** The hosts in the order given; {@code slices}: the slices of the selected hosts they are (none named for every host). */
    public static String render(List<HostFacts> hosts, SliceSet slices) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", JsonReport.FORMAT_VERSION);
        Documents.putSlices(root, slices);
        ObjectNode facts = root.putObject("hosts");
        ArrayNode errors = root.putArray("errors");
        for (HostFacts h : hosts) {
            if (h.error() == null) facts.set(h.host(), JSON.valueToTree(h.facts()));
            else errors.addObject().put("host", h.host()).put("type", h.type()).put("error", h.error());
        }
        return JsonReport.write(root);
    }
}
