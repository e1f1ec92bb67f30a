package dev.tuner.inventory;

import dev.tuner.inventory.InventoryData.GroupNode;
import dev.tuner.inventory.InventoryData.HostNode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a host's variables in the order Ansible's VariableManager does (its default
 * VARIABLE_PRECEDENCE), each later layer replacing whole top-level keys of the earlier:
 * <ol>
 *   <li>the 'all' group's vars from inventory files;</li>
 *   <li>the host's other groups' vars from inventory files, sorted by depth, then ansible_group_priority, then name;</li>
 *   <li>group_vars/all of each source, then of the playbook's directory;</li>
 *   <li>group_vars/GROUP of each source, then of the playbook's directory, groups sorted as in 2;</li>
 *   <li>the host's vars from inventory files, then host_vars/HOST of each source, then of the
 *       playbook's directory.</li>
 * </ol>
 * So any group_vars file beats every group var written inside an inventory file, and the
 * playbook's group_vars/ and host_vars/ beat the inventory's at each level, as in Ansible.
 */
final class VarsPrecedence {
    private final InventoryData data;
    private final VarsFiles files;
    private final List<Path> varsDirs;
    private final List<Path> playbookDirs;
    private final Map<GroupNode, Integer> depth;

    /**
     * @param varsDirs     the inventory sources' directories, in -i order
     * @param playbookDirs the playbook's directory (empty without a playbook), whose group_vars/ and
     *                     host_vars/ come after the inventory's at each level
     */
    VarsPrecedence(InventoryData data, VarsFiles files, List<Path> varsDirs, List<Path> playbookDirs) {
        this.data = data;
        this.files = files;
        this.varsDirs = varsDirs;
        this.playbookDirs = playbookDirs;
        this.depth = data.depths();
    }

    /** The inventory's directories, then the playbook's. */
    private List<Path> allDirs() {
        List<Path> out = new java.util.ArrayList<>(varsDirs);
        out.addAll(playbookDirs);
        return out;
    }

    List<GroupNode> sorted(Collection<GroupNode> groups) {
        return groups.stream()
                .filter(g -> !g.name.equals(InventoryData.ALL))
                .sorted(Comparator.comparingInt((GroupNode g) -> depth.getOrDefault(g, 0))
                        .thenComparingInt(g -> g.priority)
                        .thenComparing(g -> g.name))
                .toList();
    }

    Map<String, Object> hostVars(HostNode host) {
        GroupNode all = data.group(InventoryData.ALL);
        List<GroupNode> groups = sorted(host.allGroups());
        Map<String, Object> v = new LinkedHashMap<>(all.vars);
        for (GroupNode g : groups) v.putAll(g.vars);
        for (Path dir : allDirs()) v.putAll(files.groupVars(dir, InventoryData.ALL));
        for (Path dir : allDirs()) for (GroupNode g : groups) v.putAll(files.groupVars(dir, g.name));
        v.putAll(host.vars);
        for (Path dir : allDirs()) v.putAll(files.hostVars(dir, host.name));
        return v;
    }

    /** The implicit localhost: no groups, so only the 'all' layers, then ansible_connection=local, then its host_vars. */
    Map<String, Object> implicitLocalhostVars(String name) {
        Map<String, Object> v = new LinkedHashMap<>(data.group(InventoryData.ALL).vars);
        for (Path dir : allDirs()) v.putAll(files.groupVars(dir, InventoryData.ALL));
        v.put("ansible_connection", "local");
        for (Path dir : allDirs()) v.putAll(files.hostVars(dir, name));
        return v;
    }

    /** A group's own vars as ansible-inventory --graph --vars shows them: inventory file, then group_vars files. */
    Map<String, Object> groupVars(GroupNode g) {
        Map<String, Object> v = new LinkedHashMap<>(g.vars);
        for (Path dir : allDirs()) v.putAll(files.groupVars(dir, g.name));
        if (g.priority != 1) v.put("ansible_group_priority", (long) g.priority);
        return v;
    }
}
