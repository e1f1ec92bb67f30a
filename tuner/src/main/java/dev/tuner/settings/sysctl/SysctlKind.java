package dev.tuner.settings.sysctl;

import dev.tuner.diag.Diagnostics;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlans;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.kit.TaskValues;
import dev.tuner.settings.kit.KernelFiles;
import dev.tuner.settings.kit.ManagedHeader;
import dev.tuner.settings.kit.Persistence;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Kernel parameters: written at runtime through /proc/sys and persisted in one drop-in the tool
 * owns (default {@code /etc/sysctl.d/60-tuner.conf}, host var {@code tuner_sysctl_file}).
 * A value reaches the drop-in only after the kernel accepted it, so a bad key never breaks a boot.
 *
 * <pre>
 * sysctl:
 *   vm.swappiness: 10
 *   net.ipv4.tcp_rmem: "4096 87380 16777216"
 * </pre>
 * Ansible's form {@code {name: vm.swappiness, value: 10}} is accepted too.
 */
public final class SysctlKind implements SettingKind {
    public static final String NAME = "sysctl";
    private static final KindInfo INFO = new KindInfo(NAME, "kernel parameters through /proc/sys, persisted in a managed sysctl.d drop-in",
            DefaultBenchmarks.firstOf(
            DefaultBenchmarks.rule("disk", "vm.dirty_*", c -> c.key().startsWith("vm.dirty_")),
            DefaultBenchmarks.rule("memory", "vm.swappiness", c -> c.key().equals("vm.swappiness")),
            DefaultBenchmarks.rule("network", "net.*", c -> c.key().startsWith("net."))));
    public static final String DEFAULT_FILE = "/etc/sysctl.d/60-tuner.conf";
    private static final Set<String> ANSIBLE_FORM = Set.of("name", "value");

    static String managedFile(HostContext host) {
        return host.var("tuner_sysctl_file", DEFAULT_FILE);
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        MappingNode map = TaskValues.mapping(spec, doc, diags, "sysctl: expected a mapping of key: value");
        if (map == null) return;
        if (isAnsibleForm(map)) {
            for (NodeTuple t : map.getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                if (k.equals("name")) checkKey(t.getValueNode(), doc, diags);
                else checkValue(t.getValueNode(), doc, diags, "value");
            }
            return;
        }
        if (map.getValue().isEmpty()) diags.error(doc.at(spec), "sysctl: no keys given");
        for (NodeTuple t : map.getValue()) {
            checkKey(t.getKeyNode(), doc, diags);
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            checkValue(t.getValueNode(), doc, diags, key);
        }
    }

    private static boolean isAnsibleForm(MappingNode map) {
        if (map.getValue().isEmpty()) return false;
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !ANSIBLE_FORM.contains(k.getValue())) return false;
        }
        return true;
    }

    private static void checkKey(Node node, YamlDocument doc, Diagnostics diags) {
        if (!(node instanceof ScalarNode s)) {
            diags.error(doc.at(node), "sysctl: a key must be a string, got a " + YamlDocument.typeName(node));
            return;
        }
        if (Templater.isTemplated(s.getValue())) return;
        String err = SysctlKey.syntaxError(s.getValue());
        if (err != null) diags.error(doc.at(node), "sysctl: " + err);
    }

    private static void checkValue(Node node, YamlDocument doc, Diagnostics diags, String key) {
        if (node instanceof MappingNode) {
            diags.error(doc.at(node), "sysctl: value of '" + key + "' must be a string, number, boolean or list, got a mapping");
            return;
        }
        if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                if (!(n instanceof ScalarNode)) diags.error(doc.at(n), "sysctl: list values of '" + key + "' must be scalars");
            }
            return;
        }
        if (node instanceof ScalarNode s) {
            Object value = YamlDocument.scalar(s);
            if (value == null) {
                diags.error(doc.at(node), "sysctl: '" + key + "' has no value");
                return;
            }
            // The same reading as plan's, so validate refuses what plan would (a \r, a NUL, ...).
            try {
                SysctlValues.fromYaml(value);
            } catch (IllegalArgumentException e) {
                diags.error(doc.at(node), "sysctl: value of '" + key + "' " + e.getMessage().replaceFirst("^a sysctl value ", ""));
            }
        }
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        if (!(spec instanceof Map<?, ?> map)) throw new SpecException("sysctl: expected a mapping of key: value");
        Map<String, Object> pairs = new LinkedHashMap<>();
        if (!map.isEmpty() && ANSIBLE_FORM.containsAll(stringKeys(map))) {
            pairs.put(String.valueOf(map.get("name")), map.get("value"));
        } else {
            map.forEach((k, v) -> pairs.put(String.valueOf(k), v));
        }
        List<Desired> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : pairs.entrySet()) {
            String err = SysctlKey.syntaxError(e.getKey());
            if (err != null) throw new SpecException("sysctl: " + err);
            String value;
            try {
                value = SysctlValues.fromYaml(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new SpecException("sysctl: value of '" + e.getKey() + "': " + ex.getMessage());
            }
            out.add(new Desired(task, SysctlKey.of(e.getKey()).canonical(), value));
        }
        return out;
    }

    private static List<String> stringKeys(Map<?, ?> m) {
        return m.keySet().stream().map(String::valueOf).toList();
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        for (Desired d : wanted) script.file("sysctl:rt:" + d.key(), new SysctlKey(d.key()).procPath());
        for (String dir : SysctlConfFiles.DIRS) script.glob("sysctl:conf:", dir, "*.conf");
        script.file("sysctl:conf:" + SysctlConfFiles.SYSCTL_CONF, SysctlConfFiles.SYSCTL_CONF);
        script.file("sysctl:managed", managedFile(host));
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        List<String> notes = new ArrayList<>();
        Map<String, Desired> byKey = SameKey.laterWins(wanted, SysctlValues::same, notes);
        String managedPath = managedFile(host);
        ReadOutput.Entry managedEntry = current.entry("sysctl:managed");
        String unusable = unusableDropIn(managedPath, managedEntry);
        if (unusable != null) return Refusal.failAll(NAME, byKey.values(), d -> Cost.LIVE, Desired::value, unusable);
        String before = managedEntry.ok() ? managedEntry.text() : null;
        Map<String, String> confFiles = new LinkedHashMap<>();
        current.withPrefix("sysctl:conf:").forEach((path, e) -> {
            if (e.ok()) confFiles.put(path, e.text());
        });
        Map<String, SysctlConfFiles.Assignment> bootNow = SysctlConfFiles.effective(confFiles);

        LinkedHashMap<String, String> managed = entries(managedPath, before);
        List<Change> changes = new ArrayList<>();
        for (Desired d : byKey.values()) {
            ReadOutput.Entry rt = current.entry("sysctl:rt:" + d.key());
            SysctlConfFiles.Assignment boot = bootNow.get(d.key());
            String persisted = boot == null ? null : boot.value();
            if (rt.status() == ReadOutput.Status.MISSING) {
                changes.add(change(d, null, persisted, ChangeState.FAILED,
                        "no such key on this host (" + new SysctlKey(d.key()).procPath() + " does not exist)"));
                continue;
            }
            if (rt.status() == ReadOutput.Status.ERROR) {
                changes.add(change(d, null, persisted, ChangeState.FAILED, "cannot read: " + rt.text().strip()));
                continue;
            }
            Persistence.Reading reading = new Persistence.Reading(SysctlValues.normalize(rt.text()), persisted,
                    boot == null ? null : boot.file() + ":" + boot.line());
            Change c = Persistence.judge(d.task(), NAME, d.key(), d.value(), reading, null, SysctlValues::same, Cost.LIVE, Map.of());
            // A key the drop-in already holds follows the playbook there even when another file persists it.
            if (c.persistDrift() || managed.containsKey(d.key())) managed.put(d.key(), d.value());
            changes.add(c);
        }

        String after = render(managed);
        List<FileChange> files = new ArrayList<>();
        FileChange file = FileChange.of(-1, managedPath, managedEntry, after, null);
        boolean anyToPersist = changes.stream().anyMatch(c -> c.state() == ChangeState.CHANGE);
        if (file.changes() && anyToPersist) files.add(file);

        // A file sorting after ours can still override a key at boot: say so instead of looping forever.
        Map<String, String> afterFiles = new LinkedHashMap<>(confFiles);
        afterFiles.put(managedPath, after);
        Map<String, SysctlConfFiles.Assignment> bootAfter = SysctlConfFiles.effective(afterFiles);
        List<Change> finalChanges = new ArrayList<>();
        for (Change c : changes) {
            SysctlConfFiles.Assignment a = bootAfter.get(c.key());
            if (c.state() == ChangeState.CHANGE && a != null && !a.file().equals(managedPath) && !SysctlValues.same(a.value(), c.desired())) {
                c = c.withState(ChangeState.CHANGE, c.note() + "; still overridden at boot by " + a.file() + ":" + a.line()
                        + " (" + c.key() + " = " + a.value() + ")");
            }
            finalChanges.add(c);
        }
        if (!managedPath.startsWith("/etc/sysctl.d/") && !managedPath.startsWith("/run/sysctl.d/"))
            notes.add(managedPath + " is not in a directory read at boot; values will not persist");
        return new KindPlan(NAME, finalChanges, files, notes);
    }

    /** Why the drop-in cannot be merged into (a path no write would accept, a file that cannot be read), or null. */
    private static String unusableDropIn(String path, ReadOutput.Entry entry) {
        try {
            HostFiles.checkPath(path);
        } catch (SpecException e) {
            return "tuner_sysctl_file: " + e.getMessage() + "; nothing is changed";
        }
        if (entry.status() == ReadOutput.Status.ERROR)
            return "cannot read " + path + ": " + entry.text().strip() + "; nothing is changed, since its other keys must be kept";
        return null;
    }

    private static Change change(Desired d, String running, String persisted, ChangeState state, String note) {
        return new Change(d.task(), NAME, d.key(), running, d.value(), persisted, state, Cost.LIVE, note);
    }

    static LinkedHashMap<String, String> entries(String path, String content) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (SysctlConfFiles.Assignment a : SysctlConfFiles.parse(path, content)) m.put(a.key(), a.value());
        return m;
    }

    static String render(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder(ManagedHeader.hashComment());
        entries.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        List<Change> runtime = plan.changes().stream()
                .filter(c -> c.isChange() && !SysctlValues.same(c.current(), c.desired()))
                .toList();
        Map<String, String> refused = new HashMap<>();
        if (!runtime.isEmpty()) refused.putAll(writeRuntime(connection, runtime, true));

        List<Change> result = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (!c.isChange()) {
                result.add(c);
                continue;
            }
            String why = refused.get(c.key());
            result.add(why == null ? c : c.withState(ChangeState.FAILED, why));
        }

        List<FileChange> written = new ArrayList<>();
        for (FileChange f : plan.files()) {
            String content = f.after();
            if (!refused.isEmpty()) content = withoutRefused(f, refused.keySet());
            if (java.util.Objects.equals(content, f.before())) continue;
            FileChange planned = f.withContents(f.before(), content);
            try {
                if (HostFiles.write(connection, planned, null, null)) written.add(planned);
            } catch (ApplyException e) {
                List<Change> set = runtime.stream().filter(c -> !refused.containsKey(c.key())).toList();
                return new ApplyReport(putBack(connection, result, set, e.getMessage()), List.of(), List.of());
            }
        }
        return new ApplyReport(result, written, List.of());
    }

    /**
     * The drop-in could not be written (edited on the host since the plan read it, or the write
     * failed): the running values this apply set go back, so the host keeps, for sysctl, what it
     * had, and the drop-in stays as it is. Every change fails, naming the file's reason.
     */
    private static List<Change> putBack(Connection c, List<Change> result, List<Change> set, String why) {
        List<Change> back = set.stream()
                .map(ch -> new Change(ch.task(), NAME, ch.key(), ch.desired(), ch.current(), ch.persisted(), ChangeState.CHANGE, Cost.LIVE, null))
                .toList();
        Map<String, String> stuck = back.isEmpty() ? Map.of() : writeRuntime(c, back, false);
        Set<String> restored = new java.util.HashSet<>();
        set.forEach(ch -> {
            if (!stuck.containsKey(ch.key())) restored.add(ch.key());
        });
        return Refusal.fileRefused(result, why, restored, stuck);
    }

    /**
     * Undoes only the given tasks: their running values go back, and their lines in the drop-in
     * return to what they were before (or leave it); the other tasks' keys stay applied.
     */
    @Override
    public KindPlan undoTasks(ApplyReport applied, Set<Integer> tasks) {
        List<Change> mine = applied.changes().stream().filter(c -> tasks.contains(c.task())).toList();
        boolean everything = applied.changes().stream().filter(Change::isChange).allMatch(c -> tasks.contains(c.task()));
        if (everything) return KindPlans.inverse(NAME, applied);
        Set<String> keys = new java.util.HashSet<>();
        mine.stream().filter(Change::isChange).forEach(c -> keys.add(c.key()));
        List<FileChange> files = new ArrayList<>();
        for (FileChange f : applied.filesWritten()) {
            files.add(f.withContents(f.after(), withoutRefused(f, keys)));
        }
        KindPlan runtime = KindPlans.inverse(NAME, mine, List.of());
        return new KindPlan(NAME, runtime.changes(), files, List.of());
    }

    /** Keeps refused keys out of the persisted file: their lines stay as they were before. */
    private static String withoutRefused(FileChange f, Set<String> refused) {
        if (f.after() == null) return null;
        LinkedHashMap<String, String> after = entries(f.path(), f.after());
        LinkedHashMap<String, String> before = entries(f.path(), f.before());
        for (String k : refused) {
            if (before.containsKey(k)) after.put(k, before.get(k));
            else after.remove(k);
        }
        if (after.equals(before) && f.before() != null) return f.before();
        // Nothing the kernel accepted and no file before: create none (not one with only the header).
        if (after.isEmpty() && f.before() == null) return null;
        return render(after);
    }

    /**
     * Writes runtime values through the one kernel-file writer and reads each back. Returns key →
     * reason for each value the kernel refused or changed; a changed one is put back once (a value
     * the kernel would not take back is reported, not retried).
     */
    private static Map<String, String> writeRuntime(Connection c, List<Change> changes, boolean revertSurprises) {
        List<KernelFiles.Write> writes = changes.stream()
                .map(ch -> new KernelFiles.Write(SysctlKey.of(ch.key()).procPath(), ch.desired())).toList();
        List<KernelFiles.Outcome> outcomes = KernelFiles.write(c, writes);
        Map<String, String> failures = new HashMap<>();
        List<Change> revert = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change ch = changes.get(i);
            KernelFiles.Outcome o = outcomes.get(i);
            if (o.refused()) {
                failures.put(ch.key(), "kernel refused " + ch.key() + " = " + ch.desired() + ": " + o.refusal());
                continue;
            }
            String stored = o.readBack().ok() ? SysctlValues.normalize(o.readBack().text()) : null;
            if (stored == null || !SysctlValues.same(stored, ch.desired())) {
                failures.put(ch.key(), "kernel stored " + (stored == null ? "nothing readable" : "'" + stored + "'")
                        + " for " + ch.key() + " instead of '" + ch.desired() + "'; restored '" + ch.current() + "'");
                revert.add(new Change(ch.task(), NAME, ch.key(), stored, ch.current(), ch.persisted(), ChangeState.CHANGE, Cost.LIVE, null));
            }
        }
        if (revertSurprises && !revert.isEmpty()) writeRuntime(c, revert, false);
        return failures;
    }
}
