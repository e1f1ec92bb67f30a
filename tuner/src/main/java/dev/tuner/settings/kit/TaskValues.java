package dev.tuner.settings.kit;

import dev.tuner.diag.Diagnostics;
import dev.tuner.yaml.YamlDocument;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Checks of a task's value shared by the kinds' {@code validate}, reported at the value's position. */
public final class TaskValues {
    private TaskValues() {}

    /**
     * The task value as a mapping, or null after reporting "{@code expected}, got a TYPE" where the
     * value stands (e.g. "sysctl: expected a mapping of key: value, got a sequence").
     */
    public static MappingNode mapping(Node spec, YamlDocument doc, Diagnostics diags, String expected) {
        if (spec instanceof MappingNode map) return map;
        diags.error(doc.at(spec), expected + ", got a " + YamlDocument.typeName(spec));
        return null;
    }
}
