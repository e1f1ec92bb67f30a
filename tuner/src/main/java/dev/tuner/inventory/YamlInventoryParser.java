package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Suggest;
import dev.tuner.inventory.InventoryData.GroupNode;
import dev.tuner.yaml.YamlDocument;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Ansible's YAML inventory: a mapping of group names, each with optional {@code hosts},
 * {@code vars} and {@code children} mappings; children are groups of the same shape. Where Ansible
 * only warns and skips (an unknown key, a group that is not a mapping), this is an error, because
 * the skipped part usually holds hosts the user meant to tune.
 */
final class YamlInventoryParser {
    private static final List<String> SECTIONS = List.of("vars", "children", "hosts");

    private final YamlDocument doc;
    private final InventoryData data;
    private final Diagnostics diags;

    YamlInventoryParser(YamlDocument doc, InventoryData data, Diagnostics diags) {
        this.doc = doc;
        this.data = data;
        this.diags = diags;
    }

    /** True when the text looks like a YAML inventory (a mapping), used to tell YAML from INI for files without extension. */
    static boolean looksLikeYamlInventory(String text) {
        YamlDocument d = YamlDocument.parse(text, "probe", new Diagnostics());
        return d != null && d.root().map(n -> n instanceof MappingNode).orElse(false);
    }

    void parse() {
        Node root = doc.root().orElse(null);
        if (root == null) {
            diags.error(dev.tuner.diag.Location.of(doc.file()), "the inventory file is empty");
            return;
        }
        if (!(root instanceof MappingNode map)) {
            diags.error(doc.at(root), "a YAML inventory is a mapping of group names (like 'all:'), got a "
                    + YamlDocument.typeName(root));
            return;
        }
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("plugin")) {
                diags.error(doc.at(k), "this is an inventory plugin configuration ('plugin:'), not an inventory;"
                        + " tuner reads only YAML and INI inventories");
                return;
            }
        }
        for (NodeTuple t : map.getValue()) parseGroup(t.getKeyNode(), t.getValueNode());
    }

    private GroupNode parseGroup(Node keyNode, Node value) {
        String name = stringKey(keyNode, "group name");
        if (name == null) return null;
        if (name.isEmpty()) {
            diags.error(doc.at(keyNode), "empty group name");
            return null;
        }
        if (!(value instanceof MappingNode) && !isNull(value)) {
            diags.error(doc.at(value), "group '" + name + "' must be a mapping with hosts, vars or children, got a "
                    + YamlDocument.typeName(value));
            return null;
        }
        GroupNode group = data.addGroup(name, doc.at(keyNode));
        if (!(value instanceof MappingNode body)) return group;
        for (NodeTuple t : body.getValue()) {
            String key = stringKey(t.getKeyNode(), "key");
            if (key == null) continue;
            Node v = t.getValueNode();
            if (!SECTIONS.contains(key)) {
                diags.error(doc.at(t.getKeyNode()), "unknown key '" + key + "' in group '" + name + "': only hosts, vars and children are allowed"
                        + Suggest.didYouMean(key, SECTIONS));
                continue;
            }
            if (isNull(v)) continue;
            if (v instanceof ScalarNode s) {
                // Ansible reads "hosts: web1" as a mapping with one entry.
                entry(key, group, s, null);
                continue;
            }
            if (!(v instanceof MappingNode entries)) {
                diags.error(doc.at(v), "'" + key + "' of group '" + name + "' must be a mapping, got a " + YamlDocument.typeName(v)
                        + (key.equals("hosts") ? " (write 'hosts:' entries as 'name:' keys, not '- name' items)" : ""));
                continue;
            }
            for (NodeTuple e : entries.getValue()) entry(key, group, e.getKeyNode(), e.getValueNode());
        }
        return group;
    }

    private void entry(String section, GroupNode group, Node key, Node value) {
        switch (section) {
            case "vars" -> {
                String var = stringKey(key, "variable name");
                if (var != null) data.setGroupVar(group, var, YamlDocument.toJava(value), doc.at(key));
            }
            case "children" -> {
                GroupNode child = parseGroup(key, value);
                if (child != null) data.addChild(group, child, doc.at(key));
            }
            default -> host(group, key, value);
        }
    }

    private void host(GroupNode group, Node key, Node value) {
        if (key instanceof ScalarNode s && !(YamlDocument.scalar(s) instanceof String) && YamlDocument.scalar(s) != null) {
            diags.error(doc.at(key), "host name " + s.getValue() + " must be a string: enclose numbers in quotes");
            return;
        }
        String pattern = stringKey(key, "host name");
        if (pattern == null) return;
        if (!(value instanceof MappingNode) && !isNull(value)) {
            diags.error(doc.at(value), "variables of host '" + pattern + "' must be a mapping, got a " + YamlDocument.typeName(value));
            return;
        }
        HostPatternSyntax.Expanded hosts = HostPatternSyntax.expand(pattern, doc.at(key), diags);
        if (hosts == null) return;
        data.addHosts(hosts, group, doc.at(key), h -> {
            if (value instanceof MappingNode vars) {
                for (NodeTuple t : vars.getValue()) {
                    String var = stringKey(t.getKeyNode(), "variable name");
                    if (var != null) data.setHostVar(h, var, YamlDocument.toJava(t.getValueNode()), doc.at(t.getKeyNode()));
                }
            }
        });
    }

    private String stringKey(Node key, String what) {
        if (key instanceof ScalarNode s) return s.getValue();
        diags.error(doc.at(key), what + " must be a plain string, got a " + YamlDocument.typeName(key));
        return null;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && YamlDocument.scalar(s) == null;
    }

}
