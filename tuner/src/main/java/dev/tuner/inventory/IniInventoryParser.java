package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.inventory.InventoryData.GroupNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory format: {@code [group]}, {@code [group:vars]}, {@code [group:children]},
 * host lines with inline {@code k=v} variables, values evaluated as Python literals. Unlike Ansible,
 * which stops at the first bad line, every bad line of the file is reported.
 */
final class IniInventoryParser {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    private final String file;
    private final InventoryData data;
    private final Diagnostics diags;

    /** A group used before it was defined: Ansible accepts it if a later section defines it. */
    private record Pending(String state, Location at, List<GroupNode> parents, List<Location> childLines) {}

    private final Map<String, Pending> pending = new LinkedHashMap<>();

    IniInventoryParser(String file, InventoryData data, Diagnostics diags) {
        this.file = file;
        this.data = data;
        this.diags = diags;
    }

    void parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        GroupNode group = data.group(InventoryData.UNGROUPED);
        String state = "hosts";
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int indent = 0;
            while (indent < raw.length() && Character.isWhitespace(raw.charAt(indent))) indent++;
            String line = raw.strip();
            Location at = new Location(file, i + 1, indent + 1);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') continue;
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    diags.error(new Location(file, i + 1, indent + name.length() + 3), "section [" + name + ":" + state
                            + "] has unknown type '" + state + "'; use [" + name + "], [" + name + ":vars] or [" + name + ":children]");
                    group = null;
                    continue;
                }
                group = openSection(name, state, at);
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                diags.error(at, "invalid section header '" + line + "': a group name has no spaces, ':' or ']'"
                        + " and may be followed by :vars or :children");
                group = null;
                continue;
            }
            if (group == null) continue; // lines of a section already reported as bad
            switch (state) {
                case "hosts" -> hostLine(raw, indent, i + 1, group);
                case "vars" -> varLine(line, at, group);
                default -> childLine(line, at, group);
            }
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.state.equals("vars")) {
                diags.error(p.at, "section [" + e.getKey() + ":vars] is for group '" + e.getKey()
                        + "', which is not defined in this file (add a [" + e.getKey() + "] section)");
            } else {
                for (int k = 0; k < p.parents.size(); k++) {
                    diags.error(p.childLines.get(k), "section [" + p.parents.get(k).name + ":children] includes undefined group '"
                            + e.getKey() + "'" + dev.tuner.diag.Suggest.didYouMean(e.getKey(), data.groups.keySet())
                            + " (define it with a [" + e.getKey() + "] section)");
                }
            }
        }
    }

    private GroupNode openSection(String name, String state, Location at) {
        boolean existed = data.group(name) != null;
        GroupNode g = data.addGroup(name, at);
        if (!existed && state.equals("vars") && !pending.containsKey(name)) {
            pending.put(name, new Pending("vars", at, List.of(), List.of()));
        }
        Pending p = pending.get(name);
        if (p != null && !state.equals("vars")) {
            if (p.state.equals("children")) resolvePendingChildren(name);
            else pending.remove(name);
        }
        return g;
    }

    private void resolvePendingChildren(String name) {
        Pending p = pending.remove(name);
        GroupNode child = data.group(name);
        for (int k = 0; k < p.parents.size(); k++) {
            GroupNode parent = p.parents.get(k);
            data.addChild(parent, child, p.childLines.get(k));
            Pending up = pending.get(parent.name);
            if (up != null && up.state.equals("children")) resolvePendingChildren(parent.name);
        }
    }

    private void hostLine(String raw, int indent, int lineNo, GroupNode group) {
        List<IniTokenizer.Token> tokens;
        try {
            tokens = IniTokenizer.split(raw);
        } catch (IniTokenizer.TokenException e) {
            diags.error(new Location(file, lineNo, e.column + 1), "cannot read host line: " + e.getMessage());
            return;
        }
        if (tokens.isEmpty()) return;
        IniTokenizer.Token hostToken = tokens.get(0);
        Location hostAt = new Location(file, lineNo, hostToken.column() + 1);
        Map<String, Object> vars = new LinkedHashMap<>();
        List<Location> varAt = new ArrayList<>();
        boolean ok = true;
        for (IniTokenizer.Token t : tokens.subList(1, tokens.size())) {
            Location tAt = new Location(file, lineNo, t.column() + 1);
            int eq = t.text().indexOf('=');
            if (eq < 0) {
                diags.error(tAt, "expected key=value host variable after host '" + hostToken.text() + "', got '" + t.text() + "'");
                ok = false;
                continue;
            }
            vars.put(t.text().substring(0, eq), PythonLiteral.unwrap(PythonLiteral.valueOf(t.text().substring(eq + 1))));
            varAt.add(tAt);
        }
        HostPatternSyntax.Expanded hosts = HostPatternSyntax.expand(hostToken.text(), hostAt, diags);
        if (hosts == null || !ok) return;
        data.addHosts(hosts, group, hostAt, h -> {
            int k = 0;
            for (Map.Entry<String, Object> v : vars.entrySet()) data.setHostVar(h, v.getKey(), v.getValue(), varAt.get(k++));
        });
    }

    private void varLine(String line, Location at, GroupNode group) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            diags.error(at, "expected key=value in [" + group.name + ":vars], got '" + line + "'");
            return;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        data.setGroupVar(group, key, PythonLiteral.unwrap(PythonLiteral.valueOf(value)), at);
    }

    private void childLine(String line, Location at, GroupNode group) {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            diags.error(at, "expected a group name in [" + group.name + ":children], got '" + line + "'");
            return;
        }
        String child = m.group(1);
        GroupNode existing = data.group(child);
        if (existing != null) {
            data.addChild(group, existing, at);
            return;
        }
        Pending p = pending.get(child);
        if (p == null) {
            p = new Pending("children", at, new ArrayList<>(), new ArrayList<>());
            pending.put(child, p);
        }
        p.parents.add(group);
        p.childLines.add(at);
    }
}
