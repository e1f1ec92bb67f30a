package dev.tuner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.diag.Problem;
import java.util.List;
import java.util.Locale;

/**
 * The validation document of docs/json-output.md: what {@code validate --format json} prints, and
 * what any command asked for JSON prints when bad input stops it before it contacts a host.
 */
final class ProblemsJson {
    private ProblemsJson() {}

    static String render(List<Problem> problems) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("valid", problems.stream().noneMatch(Problem::isError));
        ArrayNode list = root.putArray("problems");
        for (Problem p : problems) {
            ObjectNode n = list.addObject();
            n.put("file", p.location().file());
            n.put("line", p.location().line());
            n.put("column", p.location().column());
            n.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            n.put("message", p.message());
        }
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
