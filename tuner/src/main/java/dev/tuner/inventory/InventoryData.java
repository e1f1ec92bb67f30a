package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mutable inventory the parsers fill, with the same rules as Ansible's InventoryData: groups
 * and hosts in creation order, 'all' and 'ungrouped' always present, a host added twice is one
 * host whose later variables win, a cycle between groups is refused.
 *
 * <p>Sizes are capped for all sources together: {@link #MAX_HOSTS} distinct hosts and
 * {@link #MAX_ENTRIES} host entries (a host named in ten groups is ten entries), so a typo like
 * {@code h[0:999]x[0:999]} or a generated file gone wrong ends in an error naming the pattern, not
 * in minutes of work or an exhausted heap. Adding a host costs the same however many there are.
 */
final class InventoryData {
    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";
    static final int MAX_HOSTS = 100_000;
    static final int MAX_ENTRIES = 1_000_000;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final class GroupNode {
        final String name;
        final Location declaredAt;
        final List<GroupNode> children = new ArrayList<>();
        final List<GroupNode> parents = new ArrayList<>();
        final Set<HostNode> hosts = new LinkedHashSet<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        int priority = 1;

        GroupNode(String name, Location declaredAt) {
            this.name = name;
            this.declaredAt = declaredAt;
        }

        Set<GroupNode> ancestors() {
            Set<GroupNode> out = new LinkedHashSet<>();
            Deque<GroupNode> todo = new ArrayDeque<>(parents);
            while (!todo.isEmpty()) {
                GroupNode g = todo.poll();
                if (out.add(g)) todo.addAll(g.parents);
            }
            return out;
        }
    }

    static final class HostNode {
        final String name;
        final Location declaredAt;
        final Map<String, Object> vars = new LinkedHashMap<>();
        final List<GroupNode> groups = new ArrayList<>();

        HostNode(String name, Location declaredAt) {
            this.name = name;
            this.declaredAt = declaredAt;
        }

        /** Direct groups and all their ancestors: the groups Ansible says the host is in. */
        Set<GroupNode> allGroups() {
            Set<GroupNode> out = new LinkedHashSet<>();
            for (GroupNode g : groups) {
                out.add(g);
                out.addAll(g.ancestors());
            }
            return out;
        }
    }

    final Map<String, GroupNode> groups = new LinkedHashMap<>();
    final Map<String, HostNode> hosts = new LinkedHashMap<>();
    private final Diagnostics diags;
    private long entries;
    private boolean full;

    InventoryData(Diagnostics diags) {
        this.diags = diags;
        GroupNode all = new GroupNode(ALL, null);
        GroupNode ungrouped = new GroupNode(UNGROUPED, null);
        groups.put(ALL, all);
        groups.put(UNGROUPED, ungrouped);
        link(all, ungrouped);
    }

    GroupNode group(String name) {
        return groups.get(name);
    }

    GroupNode addGroup(String name, Location at) {
        GroupNode g = groups.get(name);
        if (g != null) return g;
        if (!IDENTIFIER.matcher(name).matches()) {
            diags.warning(at, "group name '" + name + "' has characters Ansible calls invalid in group names"
                    + " (use letters, digits and '_'; '" + name.replaceAll("[^A-Za-z0-9_]", "_") + "' would do)");
        }
        g = new GroupNode(name, at);
        groups.put(name, g);
        return g;
    }

    /**
     * Adds every host of an entry to {@code group}, handing each to {@code withHost} (for its
     * variables). A pattern naming more hosts than the cap is refused before any is made; reaching
     * a cap part way stops the entry with one error for the whole inventory.
     */
    void addHosts(HostPatternSyntax.Expanded entry, GroupNode group, Location at, java.util.function.Consumer<HostNode> withHost) {
        if (full) return;
        long count = entry.names().count();
        if (count > MAX_HOSTS) {
            refuse(at, "host pattern '" + entry.pattern() + "' names " + (count == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : count)
                    + " hosts; an inventory holds at most " + MAX_HOSTS + " hosts (all -i sources together)");
            return;
        }
        for (String name : entry.names()) {
            HostNode h = addHost(name, group, entry.port(), at, entry.pattern());
            if (h == null) return;
            withHost.accept(h);
        }
    }

    /** One host named as it is (no pattern), counted against the limits like any other; null when refused. */
    HostNode addHost(String name, GroupNode group, Integer port, Location at) {
        return full ? null : addHost(name, group, port, at, name);
    }

    private HostNode addHost(String name, GroupNode group, Integer port, Location at, String pattern) {
        HostNode h = hosts.get(name);
        if (h == null && hosts.size() >= MAX_HOSTS) {
            return refuse(at, "host pattern '" + pattern + "' brings the inventory beyond " + MAX_HOSTS
                    + " hosts (all -i sources together; " + hosts.size() + " were read before '" + name + "')");
        }
        if (++entries > MAX_ENTRIES) {
            return refuse(at, "host pattern '" + pattern + "' brings the inventory beyond " + MAX_ENTRIES
                    + " host entries (a host named in several groups counts once per group; all -i sources together)");
        }
        if (h == null) {
            h = new HostNode(name, at);
            hosts.put(name, h);
            if (port != null) h.vars.put("ansible_port", port.longValue());
        }
        if (group != null && group.hosts.add(h)) h.groups.add(group);
        return h;
    }

    /** True once a cap was reached: the inventory is refused. */
    boolean full() {
        return full;
    }

    private HostNode refuse(Location at, String message) {
        full = true;
        diags.error(at, message);
        return null;
    }

    void setGroupVar(GroupNode g, String key, Object value, Location at) {
        if (!checkVarName(key, at)) return;
        if ("ansible_group_priority".equals(key)) {
            try {
                g.priority = Integer.parseInt(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                diags.error(at, "ansible_group_priority of group '" + g.name + "' must be a whole number, got '" + value + "'");
            }
            return;
        }
        g.vars.put(key, value);
    }

    void setHostVar(HostNode h, String key, Object value, Location at) {
        if (checkVarName(key, at)) h.vars.put(key, value);
    }

    /** Ansible loads odd names, but no template can refer to them: warn so the typo is found. */
    boolean checkVarName(String key, Location at) {
        if (key.isEmpty()) {
            diags.error(at, "empty variable name");
            return false;
        }
        if (!IDENTIFIER.matcher(key).matches()) {
            diags.warning(at, "variable name '" + key + "' is not a valid identifier (letters, digits and '_', not starting"
                    + " with a digit); playbooks cannot refer to it");
        }
        return true;
    }

    /** Makes {@code child} a child group of {@code parent}; refuses loops. Returns false on error. */
    boolean addChild(GroupNode parent, GroupNode child, Location at) {
        if (parent == child) {
            diags.error(at, "group '" + parent.name + "' cannot be a child of itself");
            return false;
        }
        if (parent.children.contains(child)) return true;
        if (parent.ancestors().contains(child)) {
            diags.error(at, "adding group '" + child.name + "' as a child of '" + parent.name
                    + "' creates a loop ('" + child.name + "' is already above '" + parent.name + "')");
            return false;
        }
        link(parent, child);
        return true;
    }

    private static void link(GroupNode parent, GroupNode child) {
        parent.children.add(child);
        if (!child.parents.contains(parent)) child.parents.add(parent);
    }

    /** Ansible's reconcile_inventory: top groups under 'all', hosts without a group in 'ungrouped'. */
    void reconcile() {
        GroupNode all = groups.get(ALL);
        GroupNode ungrouped = groups.get(UNGROUPED);
        for (GroupNode g : groups.values()) {
            if (g != all && g.parents.isEmpty()) link(all, g);
        }
        for (HostNode h : hosts.values()) {
            boolean inRealGroup = h.groups.stream().anyMatch(g -> g != all && g != ungrouped);
            if (inRealGroup) {
                if (ungrouped.hosts.remove(h)) h.groups.remove(ungrouped);
            } else if (!ungrouped.hosts.contains(h)) {
                ungrouped.hosts.add(h);
                h.groups.add(ungrouped);
            }
        }
        for (HostNode h : hosts.values()) {
            GroupNode same = groups.get(h.name);
            if (same != null) {
                diags.warning(h.declaredAt, "'" + h.name + "' is both a host and a group"
                        + (same.declaredAt != null ? " (group declared at " + same.declaredAt + ")" : "")
                        + "; patterns naming it select the host only");
            }
        }
    }

    /** Longest path from 'all', as Ansible's group depth (the first key of variable precedence). */
    Map<GroupNode, Integer> depths() {
        Map<GroupNode, Integer> depth = new LinkedHashMap<>();
        Deque<GroupNode> todo = new ArrayDeque<>();
        depth.put(groups.get(ALL), 0);
        todo.add(groups.get(ALL));
        while (!todo.isEmpty()) {
            GroupNode g = todo.poll();
            int d = depth.get(g);
            for (GroupNode c : g.children) {
                if (depth.getOrDefault(c, -1) < d + 1) {
                    depth.put(c, d + 1);
                    todo.add(c);
                }
            }
        }
        return depth;
    }
}
