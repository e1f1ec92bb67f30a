package dev.tuner.settings.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.settings.SpecException;
import dev.tuner.template.Templater;
import dev.tuner.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The task value of the TOML kinds (containerd, crio): a mapping of dotted keys to values, where a
 * mapping value is a table whose keys continue the path. So these two mean the same:
 * <pre>
 * plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.SystemdCgroup: true
 * plugins."io.containerd.grpc.v1.cri": {containerd: {runtimes: {runc: {options: {SystemdCgroup: true}}}}}
 * </pre>
 */
public final class TomlSpec {
    private TomlSpec() {}

    /** Static checks; {@code keyCheck} gets each complete, untemplated key path with the node to blame. */
    public static void validate(String kind, Node spec, YamlDocument doc, Diagnostics diags, BiConsumer<List<String>, Node> keyCheck) {
        if (!(spec instanceof MappingNode map)) {
            diags.error(doc.at(spec), kind + ": expected a mapping of dotted key: value, got a " + YamlDocument.typeName(spec));
            return;
        }
        if (map.getValue().isEmpty()) diags.error(doc.at(spec), kind + ": no keys given");
        walk(kind, map, List.of(), false, doc, diags, keyCheck);
    }

    private static void walk(String kind, MappingNode map, List<String> prefix, boolean templated, YamlDocument doc, Diagnostics diags,
                             BiConsumer<List<String>, Node> keyCheck) {
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                diags.error(doc.at(t.getKeyNode()), kind + ": a key must be a string, got a " + YamlDocument.typeName(t.getKeyNode()));
                continue;
            }
            boolean tpl = templated || Templater.isTemplated(k.getValue());
            List<String> path = new ArrayList<>(prefix);
            if (!tpl) {
                try {
                    path.addAll(TomlKey.parse(k.getValue()));
                } catch (IllegalArgumentException e) {
                    diags.error(doc.at(k), kind + ": bad key " + e.getMessage());
                    continue;
                }
            }
            Node v = t.getValueNode();
            if (v instanceof MappingNode m) {
                if (m.getValue().isEmpty()) diags.error(doc.at(v), kind + ": '" + k.getValue() + "' is an empty table: give keys or leave it out");
                walk(kind, m, path, tpl, doc, diags, keyCheck);
                continue;
            }
            if (v instanceof ScalarNode s) {
                Object x = YamlDocument.scalar(s);
                if (x == null) {
                    diags.error(doc.at(v), kind + ": '" + k.getValue() + "' has no value (TOML has no null)");
                    continue;
                }
                if (x instanceof Double d && (d.isNaN() || d.isInfinite()))
                    diags.error(doc.at(v), kind + ": '" + k.getValue() + "' = " + s.getValue() + " is not a value containerd or CRI-O accept");
            } else if (v instanceof SequenceNode seq) {
                for (Node n : seq.getValue())
                    if (n instanceof ScalarNode s && YamlDocument.scalar(s) == null)
                        diags.error(doc.at(n), kind + ": list items of '" + k.getValue() + "' must not be empty");
            }
            if (!tpl) keyCheck.accept(List.copyOf(path), k);
        }
    }

    /** The resolved task value as dotted path → value, in the order written. */
    public static LinkedHashMap<List<String>, JsonNode> flatten(String kind, Object spec) {
        if (!(spec instanceof Map<?, ?> map)) throw new SpecException(kind + ": expected a mapping of dotted key: value");
        LinkedHashMap<List<String>, JsonNode> out = new LinkedHashMap<>();
        flatten(kind, map, List.of(), out);
        if (out.isEmpty()) throw new SpecException(kind + ": no keys given");
        return out;
    }

    private static void flatten(String kind, Map<?, ?> map, List<String> prefix, LinkedHashMap<List<String>, JsonNode> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            try {
                path.addAll(TomlKey.parse(String.valueOf(e.getKey())));
            } catch (IllegalArgumentException ex) {
                throw new SpecException(kind + ": bad key " + ex.getMessage());
            }
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(kind, m, path, out);
                continue;
            }
            String name = TomlKey.format(path);
            if (v == null) throw new SpecException(kind + ": '" + name + "' has no value (TOML has no null)");
            try {
                JsonNode node = Trees.of(v, name);
                TomlValues.value(node);
                out.put(List.copyOf(path), node);
            } catch (IllegalArgumentException ex) {
                throw new SpecException(kind + ": " + ex.getMessage());
            }
        }
    }

    /** TOML's idea of "nothing set" for Go daemons that merge files field by field. */
    public static boolean isZero(JsonNode v) {
        if (v == null) return true;
        if (v.isBoolean()) return !v.booleanValue();
        if (v.isNumber()) return v.decimalValue().signum() == 0;
        if (v.isTextual()) return v.textValue().isEmpty();
        if (v.isContainerNode()) return v.isEmpty();
        return false;
    }
}
