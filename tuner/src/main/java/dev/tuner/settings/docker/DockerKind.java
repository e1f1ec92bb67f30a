package dev.tuner.settings.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Suggest;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.files.Trees;
import dev.tuner.settings.kit.TaskValues;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * dockerd's daemon.json (default {@code /etc/docker/daemon.json}, host var
 * {@code tuner_docker_config}). The task value is a mapping of daemon.json keys; each named key
 * gets exactly the value given (a nested mapping replaces the key's whole value, so a plan's
 * key-level change is what dockerd will see); keys the playbook does not name are kept as they are.
 * The reserved key {@code absent: [key, ...]} removes keys: dockerd has no option of that name and
 * refuses unknown keys, so it cannot clash with a real one.
 *
 * <pre>
 * docker:
 *   log-driver: json-file
 *   log-opts: {max-size: "100m", max-file: "3"}
 *   live-restore: true
 *   absent: [debug]
 * </pre>
 * The merged file is checked (valid JSON, an object, dockerd's types for the keys it knows) before
 * anything is written; an existing daemon.json that is not valid JSON fails the task untouched.
 */
public final class DockerKind implements SettingKind {
    public static final String NAME = "docker";
    private static final KindInfo INFO = new KindInfo(NAME, "dockerd daemon.json keys merged into the file (others kept), 'absent' removes keys",
            DefaultBenchmarks.always("container"));
    public static final String DEFAULT_CONFIG = "/etc/docker/daemon.json";
    public static final String ABSENT = "absent";
    static final String ABSENT_MARK = "(absent)";

    static String configPath(HostContext host) {
        return host.var("tuner_docker_config", DEFAULT_CONFIG);
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        MappingNode map = TaskValues.mapping(spec, doc, diags, "docker: expected a mapping of daemon.json keys");
        if (map == null) return;
        if (map.getValue().isEmpty()) diags.error(doc.at(spec), "docker: no keys given");
        Set<String> set = new LinkedHashSet<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && !k.getValue().equals(ABSENT)) set.add(k.getValue());
        }
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                diags.error(doc.at(t.getKeyNode()), "docker: a key must be a string");
                continue;
            }
            Node v = t.getValueNode();
            if (k.getValue().equals(ABSENT)) {
                List<Node> items = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                for (Node n : items) {
                    if (!(n instanceof ScalarNode s) || YamlDocument.scalar(s) == null) {
                        diags.error(doc.at(n), "docker: 'absent' lists daemon.json keys to remove, e.g. absent: [debug]");
                        continue;
                    }
                    if (Templater.isTemplated(s.getValue())) continue;
                    if (set.contains(s.getValue()))
                        diags.error(doc.at(n), "docker: '" + s.getValue() + "' is both set and listed in 'absent'");
                    warnUnknown(s.getValue(), s, doc, diags);
                }
                continue;
            }
            if (!Templater.isTemplated(k.getValue())) warnUnknown(k.getValue(), k, doc, diags);
            if (containsTemplate(v)) continue;
            try {
                JsonNode value = Trees.of(YamlDocument.toJava(v), k.getValue());
                if (value.isNull()) {
                    diags.error(doc.at(v), "docker: '" + k.getValue() + "' has no value; to remove the key use absent: [" + k.getValue() + "]");
                    continue;
                }
                String err = DockerKeys.typeError(k.getValue(), value);
                if (err != null) diags.error(doc.at(v), "docker: " + err);
            } catch (IllegalArgumentException e) {
                diags.error(doc.at(v), "docker: " + e.getMessage());
            }
        }
    }

    private static boolean containsTemplate(Node n) {
        if (n instanceof ScalarNode s) return Templater.isTemplated(s.getValue());
        if (n instanceof SequenceNode s) return s.getValue().stream().anyMatch(DockerKind::containsTemplate);
        if (n instanceof MappingNode m) return m.getValue().stream().anyMatch(t -> containsTemplate(t.getKeyNode()) || containsTemplate(t.getValueNode()));
        return false;
    }

    private static void warnUnknown(String key, Node at, YamlDocument doc, Diagnostics diags) {
        if (!DockerKeys.KEYS.containsKey(key))
            diags.warning(doc.at(at), "docker: '" + key + "' is not a daemon.json key dockerd documents" + Suggest.didYouMean(key, DockerKeys.KEYS.keySet())
                    + "; dockerd refuses to start with keys it does not know");
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        if (!(spec instanceof Map<?, ?> map) || map.isEmpty()) throw new SpecException("docker: expected a mapping of daemon.json keys");
        List<Desired> out = new ArrayList<>();
        Set<String> removed = new LinkedHashSet<>();
        Object absent = map.get(ABSENT);
        if (absent != null) {
            for (Object o : absent instanceof List<?> l ? l : List.of(absent)) removed.add(String.valueOf(o));
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals(ABSENT)) continue;
            if (removed.contains(key)) throw new SpecException("docker: '" + key + "' is both set and listed in 'absent'");
            JsonNode v;
            try {
                v = Trees.of(e.getValue(), key);
            } catch (IllegalArgumentException ex) {
                throw new SpecException("docker: " + ex.getMessage());
            }
            if (v.isNull()) throw new SpecException("docker: '" + key + "' has no value; to remove the key use absent: [" + key + "]");
            String err = DockerKeys.typeError(key, v);
            if (err != null) throw new SpecException("docker: " + err);
            out.add(new Desired(task, key, Trees.compact(v)));
        }
        for (String k : removed) out.add(new Desired(task, k, null, Map.of(ABSENT, true)));
        return out;
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        script.file("docker:config", configPath(host));
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        String path = configPath(host);
        List<String> notes = new ArrayList<>();
        Map<String, Desired> byKey = SameKey.laterWins(wanted, DockerKind::sameValue, notes);
        ReadOutput.Entry entry = current.entry("docker:config");
        if (entry.status() == ReadOutput.Status.ERROR) return failAll(byKey, "cannot read " + path + ": " + entry.text().strip(), notes);
        String before = entry.ok() ? entry.text() : null;
        ObjectNode now;
        try {
            now = DaemonJson.parse(before, path);
        } catch (IllegalArgumentException e) {
            return failAll(byKey, e.getMessage() + "; fix or remove the file: nothing will be written to it", notes);
        }

        ObjectNode merged = now.deepCopy();
        List<Change> changes = new ArrayList<>();
        for (Desired d : byKey.values()) {
            boolean remove = Boolean.TRUE.equals(d.options().get(ABSENT));
            JsonNode cur = now.get(d.key());
            String curText = Trees.compact(cur);
            Cost cost = cost(d);
            if (remove) {
                merged.remove(d.key());
                changes.add(new Change(d.task(), NAME, d.key(), curText, ABSENT_MARK, null,
                        cur == null ? ChangeState.OK : ChangeState.CHANGE, cost, cur == null ? null : "removed from " + path));
                continue;
            }
            JsonNode want = DaemonJson.value(d.value(), "value of " + d.key());
            String err = DockerKeys.typeError(d.key(), want);
            if (err != null) {
                changes.add(new Change(d.task(), NAME, d.key(), curText, d.value(), null, ChangeState.FAILED, cost, err));
                continue;
            }
            merged.set(d.key(), want);
            boolean same = Trees.same(cur, want);
            String note = null;
            if (!same && cur != null && DockerKeys.WARNINGS.containsKey(d.key())) note = DockerKeys.WARNINGS.get(d.key());
            if (!DockerKeys.KEYS.containsKey(d.key()))
                notes.add("'" + d.key() + "' is not a daemon.json key dockerd documents" + Suggest.didYouMean(d.key(), DockerKeys.KEYS.keySet()));
            changes.add(new Change(d.task(), NAME, d.key(), curText, d.value(), null, same ? ChangeState.OK : ChangeState.CHANGE, cost, note));
        }
        if (changes.stream().anyMatch(c -> c.state() == ChangeState.FAILED)) return Refusal.refuseWhole(NAME, changes, path, notes);

        String after = before;
        if (!Trees.same(now, merged) || before == null && changes.stream().anyMatch(Change::isChange)) {
            after = before == null || before.isBlank() ? DaemonJson.write(merged, DaemonJson.indentOf(before)) : DaemonJson.edit(before, merged, path);
            // The file as written must read back as the tree intended: proves it is JSON dockerd can load.
            try {
                if (!Trees.same(DaemonJson.parse(after, path), merged)) return Refusal.refuseWhole(NAME, failEach(changes, "the merged file does not read back as intended"), path, notes);
            } catch (IllegalArgumentException e) {
                return Refusal.refuseWhole(NAME, failEach(changes, "the merged file would not be valid JSON: " + e.getMessage()), path, notes);
            }
        }
        List<FileChange> files = new ArrayList<>();
        FileChange f = FileChange.of(-1, path, entry, after, null);
        if (f.changes()) files.add(f);
        // Every key is daemon.json's content: as secret as the file.
        return new KindPlan(NAME, changes.stream().map(c -> c.inContentOf(path)).toList(), files, notes);
    }

    private static List<Change> failEach(List<Change> changes, String why) {
        return changes.stream().map(c -> c.isChange() ? c.withState(ChangeState.FAILED, why) : c).toList();
    }

    private static KindPlan failAll(Map<String, Desired> byKey, String why, List<String> notes) {
        return Refusal.failAll(NAME, byKey.values(), DockerKind::cost, d -> d.value() == null ? ABSENT_MARK : d.value(), why, notes);
    }

    private static Cost cost(Desired d) {
        return DockerKeys.RELOADABLE.contains(d.key()) ? Cost.RELOAD : Cost.RESTART;
    }

    /** Two tasks ask for the same when both remove the key or both give values dockerd reads alike (3 and 3.0). */
    private static boolean sameValue(String a, String b) {
        return Trees.same(a, b, v -> DaemonJson.value(v, "value"));
    }

    // ---------------------------------------------------------------- apply

    /** Writes the planned file exactly (an inverse plan restores the previous bytes); values live only in the file. */
    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        List<FileChange> written = HostFiles.apply(connection, plan.files());
        return new ApplyReport(plan.changes(), written, List.of());
    }
}
