package dev.tuner.inventory;

import java.util.List;
import java.util.Map;

/**
 * One inventory group: its child group names and direct host names in inventory order, and its own
 * variables (inventory file plus group_vars, as {@code ansible-inventory --graph --vars} shows them).
 */
public record Group(String name, List<String> children, List<String> hosts, Map<String, Object> vars) {
    public Group {
        children = List.copyOf(children);
        hosts = List.copyOf(hosts);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }
}
