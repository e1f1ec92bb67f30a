package dev.tuner.playbook;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.diag.Suggest;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a playbook and checks everything that can be checked without a host: YAML syntax,
 * duplicate and unknown keys, types, setting kinds, each kind's own rules. Every problem of the
 * file is collected, with file:line:col, before anything else happens.
 */
public final class PlaybookParser {
    static final Set<String> PLAY_KEYS = new LinkedHashSet<>(List.of("name", "hosts", "vars", "vars_files", "tasks",
            "handlers", "tags", "serial", "gather_facts", "power_cycle", "force", "snapshot", "rollback_on_regression", "verify"));
    static final Set<String> TASK_KEYS = new LinkedHashSet<>(List.of("name", "when", "tags", "notify", "verify",
            "power_cycle", "force", "snapshot", "rollback_on_regression"));
    static final Set<String> HANDLER_KEYS = new LinkedHashSet<>(List.of("name", "listen", "service"));
    static final Set<String> SERVICE_KEYS = new LinkedHashSet<>(List.of("name", "state"));
    static final Set<String> SERVICE_STATES = new LinkedHashSet<>(List.of("restarted", "reloaded", "started", "stopped"));
    /** Kinds planned for later versions: named so the error says they are not available yet rather than unknown. */
    static final Set<String> FUTURE_KINDS = Set.of();
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SERIAL = Pattern.compile("\\d+%?");

    private PlaybookParser() {}

    /** Parses and validates; throws {@link InputException} with every problem found. */
    public static Playbook load(Path path) {
        Diagnostics diags = new Diagnostics();
        Playbook pb = parse(path, diags);
        diags.throwIfErrors();
        return pb;
    }

    /** Parses and validates into {@code diags}; returns what could be read (null if the file is unreadable YAML). */
    public static Playbook parse(Path path, Diagnostics diags) {
        String display = displayName(path);
        if (!Files.isRegularFile(path)) {
            diags.error(Location.of(display), "playbook not found");
            return null;
        }
        YamlDocument doc = YamlDocument.load(path, display, diags);
        if (doc == null) return null;
        NodeReader r = new NodeReader(doc, diags);
        Node root = doc.root().orElse(null);
        if (root == null) {
            diags.error(new Location(display, 1, 1), "playbook is empty: expected a list of plays");
            return new Playbook(path, display, List.of());
        }
        if (!(root instanceof SequenceNode plays)) {
            r.error(root, "a playbook is a list of plays (each starting with '- name: ...' and 'hosts:'), got a "
                    + YamlDocument.typeName(root));
            return new Playbook(path, display, List.of());
        }
        List<Play> out = new ArrayList<>();
        int i = 0;
        for (Node playNode : plays.getValue()) {
            Play p = parsePlay(i++, playNode, doc, r, diags, path);
            if (p != null) out.add(p);
        }
        if (plays.getValue().isEmpty()) r.error(root, "playbook has no plays");
        return new Playbook(path, display, out);
    }

    static String displayName(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = path.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : path.toString();
    }

    private static Play parsePlay(int index, Node node, YamlDocument doc, NodeReader r, Diagnostics diags, Path path) {
        if (!(node instanceof MappingNode map)) {
            r.error(node, "a play must be a mapping with 'hosts' and 'tasks', got a " + YamlDocument.typeName(node));
            return null;
        }
        String name = null;
        String hosts = null;
        Map<String, Object> vars = new LinkedHashMap<>();
        List<String> varsFiles = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        List<Handler> handlers = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<String> serial = new ArrayList<>();
        boolean gatherFacts = true;
        Map<String, Object> options = new LinkedHashMap<>();
        Node tasksNode = null;
        Node handlersNode = null;
        List<Node> varsFileNodes = new ArrayList<>();
        // Keys a typo was taken for ('host' -> hosts): the typo's own error says it, "has no 'hosts'" would repeat it.
        Set<String> suggested = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            String key = keyOf(t, r);
            if (key == null) continue;
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = r.string(v, "play 'name'");
                case "hosts" -> {
                    if (v instanceof SequenceNode) hosts = String.join(":", r.stringList(v, "play 'hosts'"));
                    else hosts = r.string(v, "play 'hosts'");
                }
                case "vars" -> {
                    Map<String, Object> m = r.mapping(v, "play 'vars'");
                    if (m != null) {
                        checkVarNames(v, r);
                        vars.putAll(m);
                    }
                }
                case "vars_files" -> {
                    List<String> files = r.stringList(v, "play 'vars_files'");
                    varsFiles.addAll(files);
                    // Each entry's own node, so a missing file is reported where it is named.
                    for (int k = 0; k < files.size(); k++)
                        varsFileNodes.add(v instanceof SequenceNode s && files.size() == s.getValue().size() ? s.getValue().get(k) : v);
                }
                case "tasks" -> tasksNode = v;
                case "handlers" -> handlersNode = v;
                case "tags" -> tags.addAll(r.stringList(v, "play 'tags'"));
                case "serial" -> serial.addAll(serial(v, r));
                case "gather_facts" -> {
                    Boolean b = r.bool(v, "play 'gather_facts'");
                    if (b != null) gatherFacts = b;
                }
                case "power_cycle" -> option(options, key, powerCycle(v, r));
                // vmx: hard power-off when the guest does not shut down in time; snapshot before reconfiguring.
                case "force", "snapshot" -> option(options, key, r.bool(v, "play '" + key + "'"));
                case "rollback_on_regression" -> option(options, key, r.bool(v, "play 'rollback_on_regression'"));
                case "verify" -> option(options, key, verify(v, r));
                default -> {
                    Suggest.closest(key, PLAY_KEYS).ifPresent(suggested::add);
                    r.error(t.getKeyNode(), "unknown play key '" + key + "'" + Suggest.didYouMean(key, PLAY_KEYS)
                            + (TASK_KEYS.contains(key) || SettingKinds.names().contains(key) ? " (task keys belong under 'tasks:')" : ""));
                }
            }
        }
        if (hosts == null && !suggested.contains("hosts") && map.getValue().stream().noneMatch(t -> "hosts".equals(keyOf(t, null))))
            r.error(map, "play " + (name != null ? "'" + name + "' " : "") + "has no 'hosts' (a host pattern such as all, db, web:&prod)");
        if (tasksNode == null) {
            if (!suggested.contains("tasks")) r.error(map, "play " + (name != null ? "'" + name + "' " : "") + "has no 'tasks'");
        } else tasks.addAll(parseTasks(tasksNode, doc, r, diags));
        Set<String> handlerNames = new LinkedHashSet<>();
        if (handlersNode != null) handlers.addAll(parseHandlers(handlersNode, doc, r, handlerNames));
        checkNotifications(tasks, handlerNames, diags);
        Map<String, Object> fromFiles = new LinkedHashMap<>();
        for (int k = 0; k < varsFiles.size(); k++)
            fromFiles.putAll(loadVarsFile(varsFiles.get(k), path, k < varsFileNodes.size() ? varsFileNodes.get(k) : map, r, diags));
        return new Play(index, name, hosts == null ? "" : hosts, vars, varsFiles, fromFiles, tasks, handlers, tags, serial,
                gatherFacts, options, doc.at(map));
    }

    private static void option(Map<String, Object> options, String key, Object value) {
        if (value != null) options.put(key, value);
    }

    private static String keyOf(NodeTuple t, NodeReader r) {
        if (t.getKeyNode() instanceof ScalarNode s) return s.getValue();
        if (r != null) r.error(t.getKeyNode(), "keys must be strings, got a " + YamlDocument.typeName(t.getKeyNode()));
        return null;
    }

    private static List<String> serial(Node v, NodeReader r) {
        List<String> out = new ArrayList<>();
        List<Node> items = v instanceof SequenceNode s ? s.getValue() : List.of(v);
        for (Node n : items) {
            if (n instanceof ScalarNode s && SERIAL.matcher(s.getValue()).matches() && !s.getValue().equals("0") && !s.getValue().equals("0%")) {
                out.add(s.getValue());
            } else {
                r.error(n, "'serial' must be a positive number, a percentage like 30%, or a list of them");
            }
        }
        return out;
    }

    private static String powerCycle(Node v, NodeReader r) {
        String s = r.string(v, "'power_cycle'");
        if (s == null) return null;
        if (!s.equals("allowed") && !s.equals("refused")) {
            r.error(v, "'power_cycle' must be 'allowed' or 'refused', got '" + s + "'");
            return null;
        }
        return s;
    }

    /** verify: none | a benchmark name | a list of names | {benchmarks, runs, threshold, ...}: kept as given. */
    private static Object verify(Node v, NodeReader r) {
        if (v instanceof ScalarNode s) return s.getValue();
        if (v instanceof SequenceNode) return r.stringList(v, "'verify'");
        if (v instanceof MappingNode) return YamlDocument.toJava(v);
        r.error(v, "'verify' must be none, a benchmark name, a list of names or a mapping");
        return null;
    }

    private static void checkVarNames(Node vars, NodeReader r) {
        if (!(vars instanceof MappingNode m)) return;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && !VAR_NAME.matcher(k.getValue()).matches())
                r.error(k, "invalid variable name '" + k.getValue() + "': use letters, digits and '_', not starting with a digit");
        }
    }

    private static List<Task> parseTasks(Node node, YamlDocument doc, NodeReader r, Diagnostics diags) {
        List<Task> out = new ArrayList<>();
        if (node instanceof ScalarNode s && YamlDocument.scalar(s) == null) return out;
        if (!(node instanceof SequenceNode seq)) {
            r.error(node, "'tasks' must be a list of tasks, got a " + YamlDocument.typeName(node));
            return out;
        }
        int i = 0;
        for (Node n : seq.getValue()) {
            Task t = parseTask(i++, n, doc, r, diags);
            if (t != null) out.add(t);
        }
        return out;
    }

    private static Task parseTask(int index, Node node, YamlDocument doc, NodeReader r, Diagnostics diags) {
        if (!(node instanceof MappingNode map)) {
            r.error(node, "a task must be a mapping with 'name' and one setting kind (" + String.join(", ", SettingKinds.names())
                    + "), got a " + YamlDocument.typeName(node));
            return null;
        }
        String name = null;
        String when = null;
        List<String> tags = new ArrayList<>();
        List<String> notify = new ArrayList<>();
        Object verify = null;
        Map<String, Object> options = new LinkedHashMap<>();
        List<NodeTuple> kinds = new ArrayList<>();
        boolean kindMisspelt = false;
        List<NodeTuple> vmOnly = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String key = keyOf(t, r);
            if (key == null) continue;
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = r.string(v, "task 'name'");
                case "when" -> {
                    if (v instanceof SequenceNode) {
                        // Ansible: a list of conditions that must all hold.
                        List<String> conds = r.stringList(v, "task 'when'");
                        when = conds.isEmpty() ? null : "(" + String.join(") && (", conds) + ")";
                    } else if (v instanceof ScalarNode s && YamlDocument.scalar(s) instanceof Boolean b) {
                        when = b.toString();
                    } else {
                        when = r.string(v, "task 'when'");
                    }
                }
                case "tags" -> tags.addAll(r.stringList(v, "task 'tags'"));
                case "notify" -> notify.addAll(r.stringList(v, "task 'notify'"));
                case "verify" -> verify = verify(v, r);
                case "power_cycle" -> option(options, key, powerCycle(v, r));
                case "force", "snapshot" -> {
                    option(options, key, r.bool(v, "task '" + key + "'"));
                    vmOnly.add(t);
                }
                case "rollback_on_regression" -> option(options, key, r.bool(v, "task 'rollback_on_regression'"));
                default -> {
                    if (SettingKinds.names().contains(key)) kinds.add(t);
                    else if (FUTURE_KINDS.contains(key))
                        r.error(t.getKeyNode(), "setting kind '" + key + "' is not available in this version of tuner (available: "
                                + String.join(", ", SettingKinds.names()) + ")");
                    else {
                        Set<String> known = new LinkedHashSet<>(TASK_KEYS);
                        known.addAll(SettingKinds.names());
                        if (Suggest.closest(key, known).filter(SettingKinds.names()::contains).isPresent()) kindMisspelt = true;
                        r.error(t.getKeyNode(), "unknown task key '" + key + "'" + Suggest.didYouMean(key, known)
                                + "; a task takes one setting kind (" + String.join(", ", SettingKinds.names()) + ") and "
                                + String.join(", ", TASK_KEYS));
                    }
                }
            }
        }
        String label = name != null ? "'" + name + "'" : "#" + (index + 1);
        if (kinds.isEmpty()) {
            if (!kindMisspelt && map.getValue().stream().noneMatch(t -> {
                String k = keyOf(t, null);
                return k != null && FUTURE_KINDS.contains(k);
            })) {
                r.error(map, "task " + label + " has no setting kind: add one of " + String.join(", ", SettingKinds.names()));
            }
            return null;
        }
        if (kinds.size() > 1) {
            r.error(kinds.get(1).getKeyNode(), "task " + label + " has more than one setting kind ("
                    + String.join(", ", kinds.stream().map(t -> keyOf(t, null)).toList()) + "): split it into one task per kind");
            return null;
        }
        NodeTuple kindTuple = kinds.get(0);
        String kindName = keyOf(kindTuple, null);
        // force and snapshot act on a VM's power and snapshots: on any other kind they would silently do nothing.
        for (NodeTuple t : vmOnly) {
            if (!kindName.equals("vmx"))
                r.error(t.getKeyNode(), "task " + label + ": '" + keyOf(t, null) + "' applies to vmx tasks only, not to " + kindName);
        }
        SettingKind kind = SettingKinds.require(kindName);
        kind.validate(kindTuple.getValueNode(), doc, diags);
        Object spec = YamlDocument.toJava(kindTuple.getValueNode());
        return new Task(index, name, kindName, spec, when, tags, notify, verify, options, doc.at(map));
    }

    /** Parses handlers; {@code names} receives every name and listen topic declared, even of handlers with errors. */
    private static List<Handler> parseHandlers(Node node, YamlDocument doc, NodeReader r, Set<String> names) {
        List<Handler> out = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            r.error(node, "'handlers' must be a list, got a " + YamlDocument.typeName(node));
            return out;
        }
        for (Node n : seq.getValue()) {
            if (!(n instanceof MappingNode map)) {
                r.error(n, "a handler must be a mapping with 'name' and 'service', got a " + YamlDocument.typeName(n));
                continue;
            }
            String name = null;
            List<String> listen = new ArrayList<>();
            String service = null;
            String state = null;
            boolean hasService = false;
            for (NodeTuple t : map.getValue()) {
                String key = keyOf(t, r);
                if (key == null) continue;
                Node v = t.getValueNode();
                switch (key) {
                    case "name" -> name = r.string(v, "handler 'name'");
                    case "listen" -> listen.addAll(r.stringList(v, "handler 'listen'"));
                    case "service" -> {
                        hasService = true;
                        if (!(v instanceof MappingNode sm)) {
                            r.error(v, "handler 'service' must be a mapping {name, state}");
                            continue;
                        }
                        for (NodeTuple st : sm.getValue()) {
                            String sk = keyOf(st, r);
                            if (sk == null) continue;
                            switch (sk) {
                                case "name" -> {
                                    service = r.string(st.getValueNode(), "service 'name'");
                                    if (service != null && !service.matches("[A-Za-z0-9@_.:-]+")) {
                                        r.error(st.getValueNode(), "service name '" + service + "' is not a valid unit name");
                                        service = null;
                                    }
                                }
                                case "state" -> {
                                    state = r.string(st.getValueNode(), "service 'state'");
                                    if (state != null && !SERVICE_STATES.contains(state)) {
                                        r.error(st.getValueNode(), "service state '" + state + "' must be one of "
                                                + String.join(", ", SERVICE_STATES) + Suggest.didYouMean(state, SERVICE_STATES));
                                        state = null;
                                    }
                                }
                                default -> r.error(st.getKeyNode(), "unknown service key '" + sk + "'" + Suggest.didYouMean(sk, SERVICE_KEYS));
                            }
                        }
                        if (service == null && sm.getValue().stream().noneMatch(st -> "name".equals(keyOf(st, null))))
                            r.error(v, "handler 'service' needs a 'name'");
                    }
                    default -> r.error(t.getKeyNode(), "unknown handler key '" + key + "'" + Suggest.didYouMean(key, HANDLER_KEYS));
                }
            }
            if (name != null) names.add(name);
            names.addAll(listen);
            if (name == null) r.error(map, "a handler needs a 'name' for tasks to notify");
            if (!hasService) r.error(map, "handler " + (name == null ? "" : "'" + name + "' ") + "has no action: add 'service: {name, state}'");
            if (name != null && service != null)
                out.add(new Handler(name, listen, service, state == null ? "restarted" : state, doc.at(map)));
        }
        return out;
    }

    /**
     * Every notification must name a declared handler. A handler that has errors of its own still
     * counts as declared, so one mistake in it is not reported a second time at each notifying task.
     */
    private static void checkNotifications(List<Task> tasks, Set<String> names, Diagnostics diags) {
        Set<String> seen = new HashSet<>();
        for (Task t : tasks) {
            for (String n : t.notifies()) {
                if (!names.contains(n) && seen.add(n)) {
                    diags.error(t.at(), "task '" + t.label() + "' notifies '" + n + "' but no handler of this play answers to it"
                            + Suggest.didYouMean(n, names));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadVarsFile(String file, Path playbook, Node at, NodeReader r, Diagnostics diags) {
        if (file.contains("{{")) {
            r.error(at, "vars_files entry '" + file + "' uses a template; give a plain path");
            return Map.of();
        }
        Path base = playbook.toAbsolutePath().getParent();
        Path p = base.resolve(file).normalize();
        if (!Files.isRegularFile(p)) {
            r.error(at, "vars_files entry '" + file + "' not found (looked for " + p + ")");
            return Map.of();
        }
        YamlDocument vd = YamlDocument.load(p, displayName(p), diags);
        if (vd == null || vd.root().isEmpty()) return Map.of();
        Node root = vd.root().get();
        if (!(root instanceof MappingNode)) {
            diags.error(vd.at(root), "a vars file must be a mapping of variable: value, got a " + YamlDocument.typeName(root));
            return Map.of();
        }
        checkVarNames(root, new NodeReader(vd, diags));
        return (Map<String, Object>) YamlDocument.toJava(root);
    }
}
