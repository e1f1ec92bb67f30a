package dev.tuner.inventory;

import dev.tuner.transport.ConnectionSpec;
import java.util.List;
import java.util.Map;

/**
 * One inventory host with its variables merged in Ansible's precedence (what
 * {@code ansible-inventory --list} prints under {@code _meta.hostvars}) and the groups it is in.
 */
public final class Host {
    private final String name;
    private final Map<String, Object> vars;
    private final List<String> groupNames;
    private final boolean implicit;

    Host(String name, Map<String, Object> vars, List<String> groupNames, boolean implicit) {
        this.name = name;
        this.vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        this.groupNames = List.copyOf(groupNames);
        this.implicit = implicit;
    }

    public String name() {
        return name;
    }

    /** Merged inventory variables; magic variables such as inventory_hostname are not included. */
    public Map<String, Object> vars() {
        return vars;
    }

    /** Ansible's {@code group_names}: every group the host is in, parents included, sorted, without 'all'. */
    public List<String> groupNames() {
        return groupNames;
    }

    /** True for the localhost Ansible adds when a pattern names it and the inventory does not. */
    public boolean isImplicit() {
        return implicit;
    }

    public ConnectionSpec connection() {
        return ConnectionSpec.fromVars(name, vars);
    }

    @Override
    public String toString() {
        return name;
    }
}
