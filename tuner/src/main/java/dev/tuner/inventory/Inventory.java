package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import dev.tuner.diag.TunerException;
import dev.tuner.inventory.InventoryData.GroupNode;
import dev.tuner.inventory.InventoryData.HostNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Ansible-compatible inventory: hosts, groups and merged variables from one or more {@code -i}
 * sources (YAML or INI files, directories, group_vars/ and host_vars/), and Ansible's host patterns
 * over them. Immutable once loaded.
 */
public final class Inventory {
    private final Path baseDir;
    private final List<Path> sources;
    private final Map<String, Host> hosts;
    private final Map<String, Group> groups;
    private final List<Problem> warnings;
    private final Map<String, Object> implicitLocalhostVars;
    private Host implicitLocalhost;

    private Inventory(Path baseDir, List<Path> sources, Map<String, Host> hosts, Map<String, Group> groups,
                      List<Problem> warnings, Map<String, Object> implicitLocalhostVars) {
        this.baseDir = baseDir;
        this.sources = List.copyOf(sources);
        this.hosts = Collections.unmodifiableMap(hosts);
        this.groups = Collections.unmodifiableMap(groups);
        this.warnings = List.copyOf(warnings);
        this.implicitLocalhostVars = implicitLocalhostVars;
    }

    /**
     * Loads and merges the inventories named by {@code specs} (as given to -i, resolved against
     * {@code baseDir}); later sources win where they set the same variable.
     *
     * @throws InputException carrying every problem (warnings included) when any is an error
     */
    public static Inventory load(List<String> specs, Path baseDir) {
        return load(specs, baseDir, null);
    }

    /**
     * As {@link #load(List, Path)}, with the group_vars/ and host_vars/ beside a playbook too
     * ({@code playbookDir}, null for none), which win over the inventory's at each level as
     * ansible-playbook (and ansible-inventory --playbook-dir) merge them.
     */
    public static Inventory load(List<String> specs, Path baseDir, Path playbookDir) {
        Diagnostics diags = new Diagnostics();
        Optional<Inventory> inv = validate(specs, baseDir, playbookDir, diags);
        diags.throwIfErrors();
        return inv.orElseThrow();
    }

    /** Loads one inventory file or directory; its directory is the base for messages. */
    public static Inventory fromFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = abs.getParent() == null ? abs : abs.getParent();
        return load(List.of(abs.toString()), base);
    }

    /**
     * Loads without throwing: every problem goes to {@code diags}; the inventory is returned only
     * when there was no error.
     */
    public static Optional<Inventory> validate(List<String> specs, Path baseDir, Diagnostics diags) {
        return validate(specs, baseDir, null, diags);
    }

    /** {@link #validate(List, Path, Diagnostics)} with a playbook's directory, as {@link #load(List, Path, Path)}. */
    public static Optional<Inventory> validate(List<String> specs, Path baseDir, Path playbookDir, Diagnostics diags) {
        Diagnostics mine = new Diagnostics();
        PathNames names = new PathNames(baseDir);
        InventoryData data = new InventoryData(mine);
        InventoryReader reader = new InventoryReader(data, mine, names);
        List<InventorySource> resolved = new ArrayList<>();
        if (specs.isEmpty()) mine.error(dev.tuner.diag.Location.of("-i"), "no inventory given");
        for (String spec : specs) InventorySource.resolve(spec, baseDir, mine).ifPresent(resolved::add);
        for (InventorySource s : resolved) reader.read(s);
        if (data.full()) {
            // Beyond the cap the inventory is refused as a whole: merging variables for its hosts would only cost time.
            diags.addAll(mine);
            return Optional.empty();
        }
        data.reconcile();
        List<Path> varsDirs = resolved.stream().flatMap(s -> s.varsDir().stream()).toList();
        List<Path> playbookDirs = playbookDir == null ? List.of() : List.of(playbookDir.toAbsolutePath().normalize());
        VarsPrecedence precedence = new VarsPrecedence(data, new VarsFiles(mine, names), varsDirs, playbookDirs);

        Map<String, Host> hosts = new LinkedHashMap<>();
        for (HostNode h : data.hosts.values()) {
            List<String> groupNames = h.allGroups().stream().map(g -> g.name)
                    .filter(n -> !n.equals(InventoryData.ALL)).sorted().toList();
            hosts.put(h.name, new Host(h.name, precedence.hostVars(h), groupNames, false));
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        for (GroupNode g : data.groups.values()) {
            groups.put(g.name, new Group(g.name, g.children.stream().map(c -> c.name).toList(),
                    g.hosts.stream().map(h -> h.name).toList(), precedence.groupVars(g)));
        }
        Map<String, Object> localVars = precedence.implicitLocalhostVars("localhost");
        diags.addAll(mine);
        if (mine.hasErrors()) return Optional.empty();
        Path first = resolved.stream().flatMap(s -> s.varsDir().stream()).findFirst().orElse(baseDir);
        List<Path> paths = resolved.stream().filter(s -> !s.isInline()).map(InventorySource::path).toList();
        List<Problem> warnings = mine.all().stream().filter(p -> !p.isError()).toList();
        return Optional.of(new Inventory(first.toAbsolutePath().normalize(), paths, hosts, groups, warnings, localVars));
    }

    /** Every host in the order Ansible creates them (first appearance in the sources). */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** Every group by name, 'all' and 'ungrouped' included, in creation order. */
    public Map<String, Group> groups() {
        return groups;
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The directory of the first inventory source (where a run's journal is kept). */
    public Path baseDir() {
        return baseDir;
    }

    /** The resolved inventory files and directories, in -i order. */
    public List<Path> sources() {
        return sources;
    }

    /** Warnings found while loading (odd names, a name used for both a host and a group). */
    public List<Problem> warnings() {
        return warnings;
    }

    /** Hosts of an Ansible host pattern. Parts matching nothing are ignored, as Ansible does; see {@link #match}. */
    public List<Host> select(String pattern) {
        return match(pattern, null).hosts();
    }

    /** Hosts of {@code pattern} that {@code limit} (a pattern too, as --limit takes) also selects. */
    public List<Host> select(String pattern, String limit) {
        return match(pattern, limit).hosts();
    }

    /**
     * Hosts of {@code pattern} narrowed by {@code limit} (null for none), and the parts of either
     * that matched nothing.
     *
     * @throws TunerException for an invalid regex or a subscript beyond the matched hosts
     */
    public PatternResult match(String pattern, String limit) {
        return new HostPatterns(hosts, hostsOfGroups(), this::implicitLocalhost).select(pattern, limit);
    }

    /**
     * This inventory with only the hosts {@code limit} selects (null or blank: unchanged); groups
     * keep their place and lose the other hosts, as {@code ansible-inventory --limit} lists them.
     *
     * @throws TunerException when the limit selects no host
     */
    public Inventory limitedTo(String limit) {
        if (limit == null || limit.isBlank()) return this;
        Set<String> kept = new LinkedHashSet<>(select("all", limit).stream().map(Host::name).toList());
        if (kept.isEmpty()) throw new TunerException("--limit " + limit + " selects no host of the inventory");
        Map<String, Host> limitedHosts = new LinkedHashMap<>();
        hosts.forEach((name, h) -> {
            if (kept.contains(name)) limitedHosts.put(name, h);
        });
        Map<String, Group> limitedGroups = new LinkedHashMap<>();
        groups.forEach((name, g) -> limitedGroups.put(name,
                new Group(name, g.children(), g.hosts().stream().filter(kept::contains).toList(), g.vars())));
        return new Inventory(baseDir, sources, limitedHosts, limitedGroups, warnings, implicitLocalhostVars);
    }

    /** All hosts of a group and of the groups below it, in Ansible's order. */
    public List<Host> hostsOf(String group) {
        Group g = groups.get(group);
        if (g == null) return List.of();
        Set<Host> out = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of(group));
        for (int i = 0; i < queue.size(); i++) {
            String name = queue.get(i);
            if (!seen.add(name)) continue;
            Group current = groups.get(name);
            for (String h : current.hosts()) out.add(hosts.get(h));
            queue.addAll(current.children());
        }
        return List.copyOf(out);
    }

    private Map<String, List<Host>> hostsOfGroups() {
        Map<String, List<Host>> out = new LinkedHashMap<>();
        for (String g : groups.keySet()) out.put(g, hostsOf(g));
        return out;
    }

    private synchronized Host implicitLocalhost(String name) {
        if (implicitLocalhost == null) implicitLocalhost = new Host(name, implicitLocalhostVars, List.of(), true);
        return implicitLocalhost;
    }

    /** JSON exactly as {@code ansible-inventory --list} prints it. */
    public String toListJson() {
        return InventoryJson.list(this);
    }

    /** Text exactly as {@code ansible-inventory --graph} prints it. */
    public String toGraph() {
        return InventoryGraph.graph(this, "all", false);
    }

    /**
     * The tree below {@code group}, with variables when {@code withVars} (as --graph GROUP --vars).
     *
     * @throws TunerException when the group does not exist
     */
    public String toGraph(String group, boolean withVars) {
        return InventoryGraph.graph(this, group, withVars);
    }
}
