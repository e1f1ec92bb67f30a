package dev.tuner.settings.sysfs;

import dev.tuner.diag.Diagnostics;
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
import dev.tuner.settings.KindPlans;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.kit.TaskValues;
import dev.tuner.settings.kit.KernelFiles;
import dev.tuner.settings.kit.Persistence;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.settings.sysfs.TmpfilesConf.WriteLine;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Kernel attributes under /sys that operators tune next to sysctls: transparent hugepages, block
 * device queues, ...
 *
 * <pre>
 * sysfs:
 *   kernel/mm/transparent_hugepage/enabled: madvise
 *   "block/sd*&#47;queue/scheduler": mq-deadline
 *   "block/sd*&#47;queue/read_ahead_kb": 4096
 * </pre>
 *
 * Keys are paths relative to /sys, with {@code *} and {@code ?} allowed. A glob is expanded on the
 * host when it is read; every attribute it matches is a change of its own, keyed by its path
 * relative to /sys. Values are read the way the kernel prints them (see {@link SysfsValue}); a value
 * an attribute does not offer among its choices is refused at plan time, since the kernel would
 * refuse it, and nothing of the host's sysfs work is written then. Runtime writes go through
 * {@link KernelFiles} (values on stdin, read back); a value the kernel refuses or changes is
 * reported with its answer and the attribute put back.
 *
 * <p>Persisted the way systemd does it: {@code w} lines in a tmpfiles.d drop-in tuner owns
 * (default {@value #DEFAULT_FILE}, host var {@value #FILE_VAR}), which systemd-tmpfiles-setup.service
 * writes into /sys at boot. The lines carry the expanded paths, not the playbook's globs:
 * <ul>
 *   <li>a line reaches the drop-in only after the kernel accepted its value on that attribute, so a
 *       boot never writes a value nobody tried there (a disk added later whose scheduler list lacks
 *       the wanted one);</li>
 *   <li>each attribute's persisted value is one line, which drift names; two overlapping patterns
 *       are settled once, by the plan's later-wins rule, not by the order tmpfiles happens to apply
 *       overlapping globs in;</li>
 *   <li>rollback restores each attribute's line.</li>
 * </ul>
 * A device that appears later matches the glob at the next plan, which shows it as not persisted.
 */
public final class SysfsKind implements SettingKind {
    public static final String NAME = "sysfs";
    private static final KindInfo INFO = new KindInfo(NAME, "kernel attributes under /sys (transparent hugepages, block queues, ...), globs expanded on the host, "
                + "persisted in a managed tmpfiles.d drop-in",
            DefaultBenchmarks.firstOf(
            DefaultBenchmarks.rule("memory", "kernel/mm/transparent_hugepage/*", c -> c.key().startsWith("kernel/mm/transparent_hugepage/")),
            DefaultBenchmarks.rule("disk", "block/*/queue/*", c -> c.key().matches("(.*/)?block/[^/]+/queue/.*"))));
    public static final String DEFAULT_FILE = "/etc/tmpfiles.d/60-tuner-sysfs.conf";
    public static final String FILE_VAR = "tuner_sysfs_file";
    /** The change's target: the absolute path of the one attribute apply writes. */
    static final String ATTRIBUTE = "attribute";
    /** The Desired option naming the playbook's pattern an attribute was expanded from. */
    private static final String PATTERN = "pattern";

    /** Whether something applies tmpfiles.d at boot: systemd-tmpfiles, or OpenRC's opentmpfiles. */
    private static final String TMPFILES_PROBE = "if command -v systemd-tmpfiles >/dev/null 2>&1 || command -v tmpfiles >/dev/null 2>&1; "
            + "then echo yes; else echo no; fi";

    static String managedFile(HostContext host) {
        return host.var(FILE_VAR, DEFAULT_FILE);
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        MappingNode map = TaskValues.mapping(spec, doc, diags, "sysfs: expected a mapping of path (relative to /sys): value");
        if (map == null) return;
        if (map.getValue().isEmpty()) diags.error(doc.at(spec), "sysfs: no attributes given");
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : "?";
            if (!(keyNode instanceof ScalarNode)) {
                diags.error(doc.at(keyNode), "sysfs: a path must be a string, got a " + YamlDocument.typeName(keyNode));
            } else if (!Templater.isTemplated(key)) {
                String err = SysfsPath.syntaxError(key);
                if (err != null) diags.error(doc.at(keyNode), "sysfs: " + err);
            }
            Node value = t.getValueNode();
            if (!(value instanceof ScalarNode s)) {
                diags.error(doc.at(value), "sysfs: value of '" + key + "' must be a single value, got a " + YamlDocument.typeName(value));
                continue;
            }
            if (Templater.isTemplated(s.getValue()) && s.getValue().indexOf('\n') < 0) continue;
            Object v = YamlDocument.scalar(s);
            try {
                // Say what the user wrote (yes, on, ...), not the boolean YAML made of it.
                if (v instanceof Boolean) throw new IllegalArgumentException(SysfsValue.booleanRefusal(s.getValue()));
                SysfsValue.fromYaml(v);
            } catch (IllegalArgumentException e) {
                diags.error(doc.at(value), "sysfs: value of '" + key + "': " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        if (!(spec instanceof Map<?, ?> map)) throw new SpecException("sysfs: expected a mapping of path (relative to /sys): value");
        if (map.isEmpty()) throw new SpecException("sysfs: no attributes given");
        List<Desired> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String err = SysfsPath.syntaxError(key);
            if (err != null) throw new SpecException("sysfs: " + err);
            try {
                out.add(new Desired(task, key, SysfsValue.fromYaml(e.getValue())));
            } catch (IllegalArgumentException ex) {
                throw new SpecException("sysfs: value of '" + key + "': " + ex.getMessage());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- read and plan

    /** The prefix of the attributes a key matched; a space cannot occur in a key, so no key's prefix starts another's. */
    private static String probeId(String key) {
        return "sysfs:attr:" + key + " ";
    }

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        // Each pattern is expanded on the host; every attribute it matches is read under probeId + its absolute path.
        for (Desired d : wanted) script.matching(probeId(d.key()), SysfsPath.absolute(d.key()));
        for (String dir : TmpfilesConf.DIRS) script.glob("sysfs:conf:", dir, "*.conf");
        script.file("sysfs:managed", managedFile(host));
        script.shell("sysfs:tmpfiles", TMPFILES_PROBE);
    }

    /** One playbook key on this host: the attributes it matched, or why it matched none. */
    private record Expansion(Desired pattern, Map<String, ReadOutput.Entry> attributes, String failure) {}

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        String managedPath = managedFile(host);
        HostFiles.checkPath(managedPath);
        List<String> notes = new ArrayList<>();
        ReadOutput.Entry managedEntry = current.entry("sysfs:managed");
        if (managedEntry.status() == ReadOutput.Status.ERROR)
            return Refusal.failAll(NAME, wanted, d -> Cost.LIVE, Desired::value,
                    "cannot read " + managedPath + " (" + managedEntry.text().strip() + "), so nothing is written");
        String before = managedEntry.ok() ? managedEntry.text() : null;
        Map<String, String> confFiles = new LinkedHashMap<>();
        current.withPrefix("sysfs:conf:").forEach((path, e) -> {
            if (e.ok()) confFiles.put(path, e.text());
        });
        Map<String, List<WriteLine>> bootNow = TmpfilesConf.effective(confFiles);
        String cannotPersist = current.entry("sysfs:tmpfiles").text().strip().equals("yes") ? null
                : "not persisted: nothing on this host applies tmpfiles.d at boot (no systemd-tmpfiles); the value lasts until reboot";

        List<Expansion> expansions = new ArrayList<>();
        List<Desired> attributes = new ArrayList<>();
        for (Desired d : wanted) {
            String where = SysfsPath.absolute(d.key());
            Map<String, ReadOutput.Entry> found = current.withPrefix(probeId(d.key()) + SysfsPath.ROOT);
            if (found.isEmpty()) {
                expansions.add(new Expansion(d, Map.of(), SysfsPath.isGlob(d.key())
                        ? "no attribute matches " + where + " on this host" : where + " does not exist on this host"));
                continue;
            }
            expansions.add(new Expansion(d, found, null));
            for (String rel : found.keySet()) attributes.add(new Desired(d.task(), rel, d.value(), Map.of(PATTERN, d.key())));
        }
        Map<String, Desired> winners = SameKey.laterWins(attributes, SysfsValue::same, notes);

        LinkedHashMap<String, String> managed = TmpfilesConf.managedLines(managedPath, before);
        List<Change> changes = new ArrayList<>();
        Set<String> notOffered = new HashSet<>();
        Set<String> planned = new HashSet<>();
        for (Expansion x : expansions) {
            Desired p = x.pattern();
            if (x.failure() != null) {
                changes.add(new Change(p.task(), NAME, p.key(), null, p.value(), null, ChangeState.FAILED, Cost.LIVE, x.failure()));
                continue;
            }
            for (Map.Entry<String, ReadOutput.Entry> a : x.attributes().entrySet()) {
                Desired d = winners.get(a.getKey());
                boolean thisPatternWins = d != null && d.task() == p.task() && p.key().equals(d.options().get(PATTERN));
                if (!thisPatternWins || !planned.add(a.getKey())) continue;
                changes.add(judge(d, a.getValue(), bootNow, cannotPersist, managed, notOffered));
            }
        }
        if (!notOffered.isEmpty()) {
            // The refusal names the first value not offered, not an attribute that merely is missing here.
            changes.sort(Comparator.comparing(c -> !notOffered.contains(c.key())));
            return Refusal.refuseWhole(NAME, changes, "the host (its sysfs attributes and " + managedPath + ")", notes);
        }

        List<FileChange> files = new ArrayList<>();
        boolean anyChange = changes.stream().anyMatch(Change::isChange);
        if (cannotPersist == null && anyChange && !(managed.isEmpty() && before == null)) {
            FileChange file = FileChange.of(-1, managedPath, managedEntry, TmpfilesConf.render(managed), null);
            if (file.changes()) files.add(file);
        }
        if (!files.isEmpty()) changes = overriddenAtBoot(changes, confFiles, managedPath, files.get(0).after());
        if (cannotPersist == null && anyChange && TmpfilesConf.PERSISTENT_DIRS.stream().noneMatch(d -> managedPath.startsWith(d + "/")))
            notes.add(managedPath + " is not in a directory systemd-tmpfiles reads at boot (" + String.join(", ", TmpfilesConf.PERSISTENT_DIRS)
                    + "); values will not persist");
        return new KindPlan(NAME, changes, files, notes);
    }

    /**
     * One attribute: its value against the wanted one, running and persisted; records its drop-in
     * line, or its key in {@code notOffered} when the attribute does not offer the wanted value.
     */
    private static Change judge(Desired d, ReadOutput.Entry entry, Map<String, List<WriteLine>> boot, String cannotPersist,
                                Map<String, String> managed, Set<String> notOffered) {
        String path = SysfsPath.absolute(d.key());
        Map<String, String> target = Map.of(ATTRIBUTE, path);
        if (!entry.ok())
            return new Change(d.task(), NAME, d.key(), null, d.value(), null, ChangeState.FAILED, Cost.LIVE,
                    "cannot read " + path + ": " + entry.text().strip(), false, target);
        SysfsValue now = SysfsValue.read(entry.text());
        WriteLine persisted = TmpfilesConf.bootValue(boot, path);
        String persistedValue = persisted == null ? null : persisted.value();
        if (!now.offers(d.value())) {
            notOffered.add(d.key());
            return new Change(d.task(), NAME, d.key(), now.value(), d.value(), persistedValue, ChangeState.FAILED, Cost.LIVE,
                    "'" + d.value() + "' is not offered by " + path + ": the choices are " + String.join(", ", now.choices())
                            + " (the kernel would refuse it)", false, target);
        }
        Change c = Persistence.judge(d.task(), NAME, d.key(), d.value(),
                new Persistence.Reading(now.value(), persistedValue, persisted == null ? null : persisted.where()),
                cannotPersist, SysfsValue::same, Cost.LIVE, target);
        boolean persistedRight = persistedValue != null && SysfsValue.same(persistedValue, d.value());
        if (cannotPersist == null && (!persistedRight || managed.containsKey(path))) managed.put(path, TmpfilesConf.line(path, d.value()));
        return c;
    }

    /** A file sorting before ours that writes the same path, or one after it whose glob matches, still wins at boot: say so. */
    private static List<Change> overriddenAtBoot(List<Change> changes, Map<String, String> confFiles, String managedPath, String after) {
        Map<String, String> afterFiles = new LinkedHashMap<>(confFiles);
        afterFiles.put(managedPath, after);
        Map<String, List<WriteLine>> bootAfter = TmpfilesConf.effective(afterFiles);
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            WriteLine w = c.isChange() ? TmpfilesConf.bootValue(bootAfter, c.target(ATTRIBUTE)) : null;
            if (w != null && !w.file().equals(managedPath) && !SysfsValue.same(w.value(), c.desired()))
                c = c.withState(ChangeState.CHANGE, c.note() + "; still overridden at boot by " + w.where() + " (" + w.value() + ")");
            out.add(c);
        }
        return out;
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        List<Change> runtime = plan.changes().stream()
                .filter(c -> c.isChange() && !SysfsValue.same(c.current(), c.desired()))
                .toList();
        Map<String, String> failed = runtime.isEmpty() ? Map.of() : writeRuntime(connection, runtime);

        List<Change> result = new ArrayList<>();
        Set<String> refusedPaths = new HashSet<>();
        for (Change c : plan.changes()) {
            String why = c.isChange() ? failed.get(c.key()) : null;
            if (why != null) refusedPaths.add(attribute(c));
            result.add(why == null ? c : c.withState(ChangeState.FAILED, why));
        }
        // A value the kernel did not take stays out of the drop-in: its line stays as it was.
        List<FileChange> written = new ArrayList<>();
        for (FileChange f : plan.files()) {
            String content = refusedPaths.isEmpty() ? f.after() : withLinesAsBefore(f, refusedPaths);
            if (Objects.equals(content, f.before())) continue;
            FileChange planned = f.withContents(f.before(), content);
            if (HostFiles.write(connection, planned, null, null)) written.add(planned);
        }
        return new ApplyReport(result, written, List.of());
    }

    /**
     * Writes the values and reads each back. Returns key → why, for each value the kernel refused
     * or stored differently; those attributes are put back to the value they had, once (an
     * attribute that will not take its old value back either is reported, not retried).
     */
    private static Map<String, String> writeRuntime(Connection c, List<Change> changes) {
        List<KernelFiles.Outcome> outcomes = KernelFiles.write(c, changes.stream()
                .map(ch -> new KernelFiles.Write(attribute(ch), ch.desired())).toList());
        Map<String, String> failed = new LinkedHashMap<>();
        List<Change> putBack = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change ch = changes.get(i);
            KernelFiles.Outcome o = outcomes.get(i);
            String stored = o.readBack().ok() ? SysfsValue.read(o.readBack().text()).value() : null;
            boolean moved = stored == null || !SysfsValue.same(stored, ch.current());
            if (o.refused()) {
                failed.put(ch.key(), "kernel refused " + ch.key() + " = " + ch.desired() + ": " + o.refusal()
                        + (moved ? "; put back '" + ch.current() + "'" : "; it keeps '" + ch.current() + "'"));
            } else if (stored == null || !SysfsValue.same(stored, ch.desired())) {
                failed.put(ch.key(), "kernel stored " + (stored == null ? "nothing readable" : "'" + stored + "'") + " for " + ch.key()
                        + " instead of '" + ch.desired() + "'; put back '" + ch.current() + "'");
            } else {
                continue;
            }
            if (moved) putBack.add(ch);
        }
        if (putBack.isEmpty()) return failed;
        List<KernelFiles.Outcome> again = KernelFiles.write(c, putBack.stream()
                .map(ch -> new KernelFiles.Write(attribute(ch), ch.current())).toList());
        for (int i = 0; i < putBack.size(); i++) {
            Change ch = putBack.get(i);
            KernelFiles.Outcome o = again.get(i);
            String stored = o.readBack().ok() ? SysfsValue.read(o.readBack().text()).value() : null;
            if (o.refused() || stored == null || !SysfsValue.same(stored, ch.current()))
                failed.put(ch.key(), failed.get(ch.key()) + " (failed: " + (o.refused() ? o.refusal() : "it holds '" + stored + "'") + ")");
        }
        return failed;
    }

    private static String attribute(Change c) {
        String path = c.target(ATTRIBUTE);
        return SysfsPath.checkedAttribute(path != null ? path : SysfsPath.absolute(c.key()));
    }

    /**
     * Undoes only the given tasks: their attributes go back, and their lines in the drop-in return
     * to what they were before (or leave it); the other tasks' attributes stay applied.
     */
    @Override
    public KindPlan undoTasks(ApplyReport applied, Set<Integer> tasks) {
        boolean everything = applied.changes().stream().filter(Change::isChange).allMatch(c -> tasks.contains(c.task()));
        if (everything) return KindPlans.inverse(NAME, applied);
        List<Change> mine = applied.changes().stream().filter(c -> tasks.contains(c.task())).toList();
        Set<String> paths = new HashSet<>();
        mine.stream().filter(Change::isChange).forEach(c -> paths.add(attribute(c)));
        List<FileChange> files = new ArrayList<>();
        for (FileChange f : applied.filesWritten()) files.add(f.withContents(f.after(), withLinesAsBefore(f, paths)));
        return new KindPlan(NAME, KindPlans.inverse(NAME, mine, List.of()).changes(), files, List.of());
    }

    /** The file's new content with the lines of the given attributes as they were before (or absent, as before). */
    private static String withLinesAsBefore(FileChange f, Set<String> paths) {
        if (f.after() == null) return null;
        LinkedHashMap<String, String> after = TmpfilesConf.managedLines(f.path(), f.after());
        LinkedHashMap<String, String> before = TmpfilesConf.managedLines(f.path(), f.before());
        for (String p : paths) {
            if (before.containsKey(p)) after.put(p, before.get(p));
            else after.remove(p);
        }
        if (after.equals(before) && f.before() != null) return f.before();
        // Nothing the kernel accepted and no file before: create none (not one with only the notice).
        if (after.isEmpty() && f.before() == null) return null;
        return TmpfilesConf.render(after);
    }
}
