package dev.tuner.playbook;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.diag.Suggest;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.TaskOption;
import dev.tuner.settings.registry.KindOptions;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.template.Templater;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
    /** Keys of every play; the kinds' task options come on top, as defaults for the play's tasks. */
    static final Set<String> BASE_PLAY_KEYS = keys("name", "hosts", "vars", "vars_files", "tasks", "handlers", "tags", "serial",
            "gather_facts", "rollback_on_regression", "verify", Play.MAX_FAIL_PERCENTAGE, Play.ANY_ERRORS_FATAL, Task.NO_LOG);
    /** Keys of every task beside its one setting kind; the options of its kind come on top. */
    static final Set<String> BASE_TASK_KEYS = keys("name", "when", "tags", "notify", "verify", "rollback_on_regression", Task.NO_LOG);
    private static final KindOptions OPTIONS = KindOptions.registered();
    static final Set<String> PLAY_KEYS = withOptions(BASE_PLAY_KEYS);
    static final Set<String> TASK_KEYS = withOptions(BASE_TASK_KEYS);
    static final Set<String> HANDLER_KEYS = new LinkedHashSet<>(List.of("name", "listen", "service"));
    static final Set<String> SERVICE_KEYS = new LinkedHashSet<>(List.of("name", "state"));
    static final Set<String> SERVICE_STATES = new LinkedHashSet<>(List.of("restarted", "reloaded", "started", "stopped"));
    /** Kinds planned for later versions: named so the error says they are not available yet rather than unknown. */
    static final Set<String> FUTURE_KINDS = Set.of();
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SERIAL = Pattern.compile("\\d+%?");
    private static final Pattern PERCENTAGE = Pattern.compile("(\\d+(\\.\\d+)?)%?");

    private PlaybookParser() {}

    private static Set<String> keys(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** Base keys plus every kind's task options; an option may not take the name of a base key or a kind. */
    private static Set<String> withOptions(Set<String> base) {
        Set<String> out = new LinkedHashSet<>(base);
        for (KindOptions.Declared o : OPTIONS.all()) {
            if (base.contains(o.name()) || SettingKinds.names().contains(o.name()))
                throw new IllegalStateException("task option '" + o.name() + "' of " + o.kindsInWords()
                        + " is already a playbook key or a setting kind: give it another name");
            out.add(o.name());
        }
        return Collections.unmodifiableSet(out);
    }

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
        YamlDocument doc = YamlDocument.load(path, display, "playbook", diags);
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

    /** How messages and reports name a playbook file: relative to the working directory when under it. */
    public static String displayName(Path path) {
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
                case "rollback_on_regression" -> option(options, key, r.bool(v, "play 'rollback_on_regression'"));
                case Task.NO_LOG -> option(options, key, r.bool(v, "play 'no_log'"));
                case "verify" -> option(options, key, verify(v, true, r));
                case Play.MAX_FAIL_PERCENTAGE -> option(options, key, percentage(v, r));
                case Play.ANY_ERRORS_FATAL -> option(options, key, r.bool(v, "play '" + key + "'"));
                default -> {
                    // A kind's option on a play is the default for the play's tasks of that kind.
                    KindOptions.Declared declared = OPTIONS.get(key).orElse(null);
                    if (declared != null) {
                        option(options, key, optionValue(declared, v, "play", r));
                    } else {
                        Suggest.closest(key, PLAY_KEYS).ifPresent(suggested::add);
                        r.error(t.getKeyNode(), "unknown play key '" + key + "'" + Suggest.didYouMean(key, PLAY_KEYS)
                                + (TASK_KEYS.contains(key) || SettingKinds.names().contains(key) ? " (task keys belong under 'tasks:')" : ""));
                    }
                }
            }
        }
        if (hosts == null && !suggested.contains("hosts") && map.getValue().stream().noneMatch(t -> "hosts".equals(keyOf(t, null))))
            r.error(map, "play " + (name != null ? "'" + name + "' " : "") + "has no 'hosts' (a host pattern such as all, db, web:&prod)");
        if (tasksNode == null) {
            if (!suggested.contains("tasks")) r.error(map, "play " + (name != null ? "'" + name + "' " : "") + "has no 'tasks'");
        } else tasks.addAll(parseTasks(tasksNode, doc, r, diags));
        tasks.replaceAll(t -> t.withDefault(Task.NO_LOG, options.get(Task.NO_LOG)));
        Set<String> handlerNames = new LinkedHashSet<>();
        if (handlersNode != null) handlers.addAll(parseHandlers(handlersNode, doc, r, handlerNames));
        checkNotifications(tasks, handlerNames, diags);
        Map<String, Object> fromFiles = new LinkedHashMap<>();
        for (int k = 0; k < varsFiles.size(); k++)
            fromFiles.putAll(loadVarsFile(varsFiles.get(k), path, k < varsFileNodes.size() ? varsFileNodes.get(k) : map, r, diags));
        Play play = new Play(index, name, hosts == null ? "" : hosts, vars, varsFiles, fromFiles, tasks, handlers, tags, serial,
                gatherFacts, options, doc.at(map));
        for (String problem : play.hostVarProblems(Map.of())) diags.error(play.at(), "play '" + play.label() + "': " + problem);
        return play;
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

    /** max_fail_percentage: a number from 0 to 100, with or without a '%' as Ansible takes it; null after an error. */
    private static Double percentage(Node v, NodeReader r) {
        var m = v instanceof ScalarNode s ? PERCENTAGE.matcher(s.getValue().strip()) : null;
        double p = m != null && m.matches() ? Double.parseDouble(m.group(1)) : -1;
        if (p < 0 || p > 100) {
            r.error(v, "'" + Play.MAX_FAIL_PERCENTAGE + "' must be a percentage from 0 to 100 (30 or \"30%\"), got "
                    + (v instanceof ScalarNode s ? "'" + s.getValue() + "'" : "a " + YamlDocument.typeName(v)));
            return null;
        }
        return p;
    }

    /** A task option's value as its descriptor allows: true/false, or one of its words; null after an error. */
    private static Object optionValue(KindOptions.Declared declared, Node v, String owner, NodeReader r) {
        TaskOption o = declared.option();
        if (o.isBoolean()) return r.bool(v, owner + " '" + o.name() + "'");
        String s = r.string(v, "'" + o.name() + "'");
        if (s == null) return null;
        if (!o.choices().contains(s)) {
            r.error(v, "'" + o.name() + "' must be " + alternatives(o.choices()) + ", got '" + s + "'" + Suggest.didYouMean(s, o.choices()));
            return null;
        }
        return s;
    }

    /** 'a' or 'b'; 'a', 'b' or 'c'. */
    private static String alternatives(List<String> words) {
        List<String> quoted = words.stream().map(w -> "'" + w + "'").toList();
        if (quoted.size() == 1) return quoted.get(0);
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    /** verify: none | a benchmark name | a list of names | a mapping ({@link VerifyKeys}), checked and kept as given. */
    private static Object verify(Node v, boolean ofPlay, NodeReader r) {
        if (v instanceof ScalarNode s) return s.getValue();
        if (v instanceof SequenceNode) return r.stringList(v, "'verify'");
        if (v instanceof MappingNode m) {
            VerifyKeys.check(m, ofPlay, r);
            return YamlDocument.toJava(v);
        }
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
        List<NodeTuple> optionTuples = new ArrayList<>();
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
                case "verify" -> verify = verify(v, false, r);
                case "rollback_on_regression" -> option(options, key, r.bool(v, "task 'rollback_on_regression'"));
                case Task.NO_LOG -> option(options, key, r.bool(v, "task 'no_log'"));
                default -> {
                    if (SettingKinds.names().contains(key)) kinds.add(t);
                    else if (OPTIONS.names().contains(key)) optionTuples.add(t);
                    else if (FUTURE_KINDS.contains(key))
                        r.error(t.getKeyNode(), "setting kind '" + key + "' is not available in this version of tuner (available: "
                                + String.join(", ", SettingKinds.names()) + ")");
                    else {
                        Set<String> known = new LinkedHashSet<>(TASK_KEYS);
                        known.addAll(SettingKinds.names());
                        if (Suggest.closest(key, known).filter(SettingKinds.names()::contains).isPresent()) kindMisspelt = true;
                        r.error(t.getKeyNode(), "unknown task key '" + key + "'" + Suggest.didYouMean(key, known)
                                + "; a task takes one setting kind (" + String.join(", ", SettingKinds.names()) + ") and "
                                + String.join(", ", BASE_TASK_KEYS) + kindsOptionsInWords());
                    }
                }
            }
        }
        String label = name != null ? "'" + name + "'" : "#" + (index + 1);
        String kindName = kinds.size() == 1 ? keyOf(kinds.get(0), null) : null;
        // An option of another kind would silently do nothing on this one. Without a single kind
        // to judge by, the value is still checked, so the file's other mistakes show in one run.
        for (NodeTuple t : optionTuples) {
            KindOptions.Declared declared = OPTIONS.get(keyOf(t, null)).orElseThrow();
            if (kindName != null && !declared.takenBy(kindName))
                r.error(t.getKeyNode(), "task " + label + ": '" + declared.name() + "' applies to " + declared.kindsInWords()
                        + " tasks only, not to " + kindName);
            else option(options, declared.name(), optionValue(declared, t.getValueNode(), "task", r));
        }
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
        SettingKind kind = SettingKinds.require(kindName);
        int errorsBefore = diags.errorCount();
        kind.validate(kindTuple.getValueNode(), doc, diags);
        Object spec = YamlDocument.toJava(kindTuple.getValueNode());
        if (diags.errorCount() == errorsBefore) refusedByPlan(kind, index, spec, kindTuple.getValueNode(), r);
        return new Task(index, name, kindName, spec, when, tags, notify, verify, options, doc.at(map));
    }

    /**
     * What plan would refuse in a task value without asking a host: the kind's own reading of it.
     * A value without {{ }} is read at plan time exactly as written, so validate reads it now too;
     * a kind's validate may point closer to the problem, and then this adds nothing.
     */
    private static void refusedByPlan(SettingKind kind, int index, Object spec, Node at, NodeReader r) {
        if (Templater.isTemplatedDeep(spec)) return;
        try {
            kind.desired(index, spec);
        } catch (SpecException | IllegalArgumentException e) {
            r.error(at, e.getMessage());
        }
    }

    /** "; KIND tasks also take OPTION, ..." for each kind with options, for the unknown-key message. */
    private static String kindsOptionsInWords() {
        StringBuilder sb = new StringBuilder();
        for (String kind : SettingKinds.names()) {
            List<String> own = OPTIONS.takenBy(kind).stream().map(KindOptions.Declared::name).toList();
            if (!own.isEmpty()) sb.append("; ").append(kind).append(" tasks also take ").append(String.join(", ", own));
        }
        return sb.toString();
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
        if (!Files.exists(p)) {
            r.error(at, "vars_files entry '" + file + "' not found (looked for " + p + ")");
            return Map.of();
        }
        YamlDocument vd = YamlDocument.load(p, displayName(p), "vars file", diags);
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
