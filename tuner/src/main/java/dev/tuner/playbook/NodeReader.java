package dev.tuner.playbook;

import dev.tuner.diag.Diagnostics;
import dev.tuner.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Typed reads of YAML nodes that report a wrong type at the node's file:line:col and carry on. */
final class NodeReader {
    private final YamlDocument doc;
    private final Diagnostics diags;

    NodeReader(YamlDocument doc, Diagnostics diags) {
        this.doc = doc;
        this.diags = diags;
    }

    void error(Node at, String message) {
        diags.error(doc.at(at), message);
    }

    /** A string (numbers and booleans given as scalars are taken as their text), or null after an error. */
    String string(Node n, String what) {
        if (n instanceof ScalarNode s && YamlDocument.scalar(s) != null) return s.getValue();
        error(n, what + " must be a string, got a " + YamlDocument.typeName(n));
        return null;
    }

    /** Ansible accepts a single string or a list of strings (tags, notify, vars_files). */
    List<String> stringList(Node n, String what) {
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s) {
            Object v = YamlDocument.scalar(s);
            if (v == null) return out;
            for (String part : s.getValue().split(",")) if (!part.isBlank()) out.add(part.trim());
            return out;
        }
        if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String v = string(item, what + " entries");
                if (v != null) out.add(v);
            }
            return out;
        }
        error(n, what + " must be a string or a list of strings, got a " + YamlDocument.typeName(n));
        return out;
    }

    Boolean bool(Node n, String what) {
        if (n instanceof ScalarNode s && YamlDocument.scalar(s) instanceof Boolean b) return b;
        error(n, what + " must be true or false, got " + describe(n));
        return null;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> mapping(Node n, String what) {
        if (n instanceof MappingNode) return (Map<String, Object>) YamlDocument.toJava(n);
        if (n instanceof ScalarNode s && YamlDocument.scalar(s) == null) return Map.of();
        error(n, what + " must be a mapping, got a " + YamlDocument.typeName(n));
        return null;
    }

    private static String describe(Node n) {
        if (n instanceof ScalarNode s) return "'" + s.getValue() + "'";
        return "a " + YamlDocument.typeName(n);
    }
}
