package dev.tuner.settings.containerd;

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
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.files.TomlKey;
import dev.tuner.settings.files.TomlSpec;
import dev.tuner.settings.files.TomlText;
import dev.tuner.settings.files.TomlValues;
import dev.tuner.settings.files.Trees;
import dev.tuner.settings.kit.ManagedHeader;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * containerd's TOML configuration. Settings go to a drop-in the tool owns (default
 * {@code /etc/containerd/conf.d/60-tuner.toml}, host var {@code tuner_containerd_dropin}) that the
 * main config ({@code /etc/containerd/config.toml}, host var {@code tuner_containerd_config})
 * imports; the main config gets only an {@code imports} entry, everything else in it byte for byte.
 *
 * <p>Where a drop-in cannot work the main config is edited in place instead, keeping everything
 * else: containerd replaces a plugin's whole section with the one from an imported file (checked
 * with containerd 1.6's {@code config dump}), so a key of a plugin the main config already
 * configures — Debian's default config.toml sets the CRI plugin's CNI bin_dir — must be written
 * there, or the import would silently reset the rest of that plugin. Likewise a top-level key the
 * main config sets or a zero value (imports only override with non-zero values).
 *
 * <p>Plugin names follow the host's config version (2 or 3); see {@link ContainerdNames}.
 */
public final class ContainerdKind implements SettingKind {
    public static final String NAME = "containerd";
    private static final KindInfo INFO = new KindInfo(NAME, "containerd config.toml settings as dotted keys, in an imported drop-in (or in place where a drop-in cannot work)",
            DefaultBenchmarks.always("container"));
    public static final String DEFAULT_CONFIG = "/etc/containerd/config.toml";
    public static final String DEFAULT_DROPIN = "/etc/containerd/conf.d/60-tuner.toml";
    /** Top-level sections and keys of containerd's config (both versions). */
    static final Set<String> ROOT_KEYS = new LinkedHashSet<>(List.of("version", "root", "state", "temp", "plugin_dir", "grpc", "ttrpc",
            "debug", "metrics", "disabled_plugins", "required_plugins", "oom_score", "imports", "cgroup", "proxy_plugins",
            "timeouts", "plugins", "stream_processors"));
    private static final Pattern VERSION = Pattern.compile("\\sv?(\\d+)\\.\\d+");

    static String mainPath(HostContext host) {
        return host.var("tuner_containerd_config", DEFAULT_CONFIG);
    }

    static String dropinPath(HostContext host) {
        return host.var("tuner_containerd_dropin", DEFAULT_DROPIN);
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        TomlSpec.validate(NAME, spec, doc, diags, (path, at) -> {
            String root = path.get(0);
            if (root.equals("version") || root.equals("imports")) {
                diags.error(doc.at(at), "containerd: '" + root + "' is managed by tuner (it follows the host's config and adds its drop-in to imports)");
            } else if (!ROOT_KEYS.contains(root)) {
                String hint = ContainerdNames.IMAGES_ROOT.contains(root) || ContainerdNames.RUNTIME_ROOT.contains(root)
                        || root.equals("sandbox_image")
                        ? " (did you mean plugins.\"" + ContainerdNames.CRI_V2 + "\"." + TomlKey.format(path) + "?)"
                        : Suggest.didYouMean(root, ROOT_KEYS);
                diags.warning(doc.at(at), "containerd: '" + root + "' is not a top-level key of containerd's config; containerd ignores unknown keys silently"
                        + hint);
            } else if (root.equals("plugins") && path.size() < 3) {
                diags.error(doc.at(at), "containerd: a plugin setting needs plugins.\"<plugin id>\".<key>");
            }
        });
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        List<Desired> out = new ArrayList<>();
        TomlSpec.flatten(NAME, spec).forEach((path, v) -> {
            if (path.get(0).equals("version") || path.get(0).equals("imports"))
                throw new SpecException("containerd: '" + path.get(0) + "' is managed by tuner");
            if (path.get(0).equals("plugins") && path.size() < 3)
                throw new SpecException("containerd: a plugin setting needs plugins.\"<plugin id>\".<key>");
            out.add(new Desired(task, TomlKey.format(path), TomlValues.value(v)));
        });
        return out;
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        script.file("containerd:main", mainPath(host));
        script.file("containerd:dropin", dropinPath(host));
        script.command("containerd:version", "containerd", "--version");
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        String mainPath = mainPath(host);
        String dropinPath = dropinPath(host);
        List<String> notes = new ArrayList<>();
        Map<String, Desired> byKey = SameKey.laterWins(wanted, (a, b) -> Trees.same(a, b, TomlValues::parseValue), notes);
        ReadOutput.Entry mainEntry = current.entry("containerd:main");
        ReadOutput.Entry dropEntry = current.entry("containerd:dropin");
        if (mainEntry.status() == ReadOutput.Status.ERROR) return failAll(byKey, "cannot read " + mainPath + ": " + mainEntry.text().strip(), notes);
        if (dropEntry.status() == ReadOutput.Status.ERROR) return failAll(byKey, "cannot read " + dropinPath + ": " + dropEntry.text().strip(), notes);
        String mainBefore = mainEntry.ok() ? mainEntry.text() : null;
        String dropBefore = dropEntry.ok() ? dropEntry.text() : null;
        ObjectNode main;
        ObjectNode drop;
        try {
            main = TomlValues.parse(mainBefore, mainPath);
            drop = TomlValues.parse(dropBefore, dropinPath);
        } catch (IllegalArgumentException e) {
            return failAll(byKey, e.getMessage() + "; nothing will be written", notes);
        }

        int version;
        if (mainBefore != null) {
            JsonNode v = main.get("version");
            version = v != null && v.canConvertToInt() ? v.intValue() : 1;
            if (version < 2 || version > 3)
                return failAll(byKey, mainPath + " is config version " + version + (v == null ? " (it has no 'version' line)" : "")
                        + "; tuner edits versions 2 and 3, whose plugin names differ from version 1: migrate it first "
                        + "(containerd 2.x: containerd config migrate; 1.x: add version = 2 and rename plugins.cri to plugins.\"io.containerd.grpc.v1.cri\")", notes);
        } else {
            version = hostMajor(current) >= 2 ? 3 : 2;
        }

        // Each wanted key under the name the host's version uses.
        Map<String, List<String>> mapped = new LinkedHashMap<>();
        Map<String, Change> failed = new LinkedHashMap<>();
        for (Desired d : byKey.values()) {
            try {
                mapped.put(d.key(), ContainerdNames.forVersion(TomlKey.parse(d.key()), version));
            } catch (IllegalArgumentException e) {
                failed.put(d.key(), new Change(d.task(), NAME, d.key(), null, d.value(), null, ChangeState.FAILED, Cost.RESTART, e.getMessage()));
            }
        }

        boolean imported = importsCover(main, mainPath, dropinPath);
        ObjectNode effectiveBefore = effective(main, imported ? drop : null);

        // Where each key goes: the drop-in, unless that would hide the main config's own settings.
        Set<String> mainPlugins = pluginsIn(main);
        LinkedHashMap<List<String>, String> dropLeaves = new LinkedHashMap<>();
        Trees.leaves(drop).forEach((path, v) -> dropLeaves.put(path, TomlValues.value(v)));
        dropLeaves.keySet().removeIf(p -> p.get(0).equals("version") || p.get(0).equals("imports"));
        LinkedHashMap<List<String>, String> mainEdits = new LinkedHashMap<>();
        Map<String, String> placeNotes = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : mapped.entrySet()) {
            List<String> path = e.getValue();
            String value = byKey.get(e.getKey()).value();
            if (inMain(path, main, mainPlugins, TomlValues.parseValue(value))) {
                mainEdits.put(path, value);
                dropLeaves.remove(path);
                placeNotes.put(e.getKey(), "set in " + mainPath + (path.get(0).equals("plugins")
                        ? ": it configures plugins." + TomlKey.segment(path.get(1)) + " and containerd replaces a plugin's whole section with an imported one"
                        : ": it is set there or is a zero value, which an import cannot override"));
            } else {
                dropLeaves.put(path, value);
            }
        }
        // Drop-in keys of plugins the main config has since come to configure move there too.
        for (Iterator<Map.Entry<List<String>, String>> it = dropLeaves.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<List<String>, String> e = it.next();
            if (e.getKey().get(0).equals("plugins") && mainPlugins.contains(e.getKey().get(1))) {
                mainEdits.putIfAbsent(e.getKey(), e.getValue());
                it.remove();
            }
        }

        String dropAfter = dropBefore;
        boolean needDropin = !dropLeaves.isEmpty() || dropBefore != null;
        if (needDropin) {
            Map<List<String>, String> doc = new LinkedHashMap<>();
            doc.put(List.of("version"), String.valueOf(version));
            doc.putAll(dropLeaves);
            dropAfter = TomlValues.document(ManagedHeader.hashComment(), doc);
        }
        String mainAfter;
        try {
            mainAfter = editMain(mainBefore, mainPath, main, version, mainEdits, needDropin && !imported ? dropinPath : null);
        } catch (IllegalArgumentException e) {
            return failAll(byKey, e.getMessage(), notes);
        }
        ObjectNode mainNew = TomlValues.parse(mainAfter, mainPath);
        ObjectNode dropNew = dropAfter == null ? null : TomlValues.parse(dropAfter, dropinPath);
        ObjectNode effectiveAfter = effective(mainNew, importsCover(mainNew, mainPath, dropinPath) ? dropNew : null);

        List<Change> changes = new ArrayList<>();
        for (Desired d : byKey.values()) {
            if (failed.containsKey(d.key())) {
                changes.add(failed.get(d.key()));
                continue;
            }
            List<String> path = mapped.get(d.key());
            JsonNode want = TomlValues.parseValue(d.value());
            JsonNode now = Trees.get(effectiveBefore, path);
            String cur = now == null ? null : TomlValues.value(now);
            List<String> why = new ArrayList<>();
            if (!path.equals(TomlKey.parse(d.key()))) why.add("written as " + TomlKey.format(path) + " (config version " + version + ")");
            if (placeNotes.containsKey(d.key())) why.add(placeNotes.get(d.key()));
            if (!Trees.same(Trees.get(effectiveAfter, path), want)) {
                changes.add(new Change(d.task(), NAME, d.key(), cur, d.value(), null, ChangeState.FAILED, Cost.RESTART,
                        "the merged configuration would not hold this value; nothing will be written"));
                continue;
            }
            boolean ok = Trees.same(now, want);
            if (now == null) why.add(0, "not set (containerd's default applies)");
            changes.add(new Change(d.task(), NAME, d.key(), cur, d.value(), null, ok ? ChangeState.OK : ChangeState.CHANGE, Cost.RESTART,
                    why.isEmpty() ? null : String.join("; ", why)));
        }
        if (changes.stream().anyMatch(c -> c.state() == ChangeState.FAILED)) {
            return Refusal.refuseWhole(NAME, changes, "containerd's configuration (" + mainPath + ", " + dropinPath + ")", notes);
        }
        List<FileChange> files = new ArrayList<>();
        FileChange dropFile = FileChange.of(-1, dropinPath, dropEntry, dropAfter, null);
        FileChange mainFile = FileChange.of(-1, mainPath, mainEntry, mainAfter, null);
        // The drop-in first: the main config never imports a file that is not there yet.
        if (dropFile.changes()) files.add(dropFile);
        if (mainFile.changes()) files.add(mainFile);
        JsonNode imports = mainNew.get("imports");
        if (imports != null && imports.size() > 1) notes.add(mainPath + " imports other files too; they may override these settings (not read by tuner)");
        // Each key is the content of the file it is written to (a key set in the main config is edited there): as secret as that file.
        List<Change> inFiles = changes.stream().map(c -> c.inContentOf(mainEdits.containsKey(mapped.get(c.key())) ? mainPath : dropinPath)).toList();
        return new KindPlan(NAME, inFiles, files, notes);
    }

    private static KindPlan failAll(Map<String, Desired> byKey, String why, List<String> notes) {
        return Refusal.failAll(NAME, byKey.values(), d -> Cost.RESTART, Desired::value, why, notes);
    }

    /** The major version of the host's containerd (0 if not installed), from "containerd github.com/... v2.0.0 ...". */
    static int hostMajor(ReadOutput current) {
        ReadOutput.Entry e = current.entry("containerd:version");
        if (!e.ok()) return 0;
        String[] words = e.text().trim().split("\\s+");
        if (words.length >= 3) {
            Matcher m = VERSION.matcher(" " + words[2]);
            if (m.find()) return Integer.parseInt(m.group(1));
        }
        return 0;
    }

    private static boolean inMain(List<String> path, ObjectNode main, Set<String> mainPlugins, JsonNode value) {
        if (path.get(0).equals("plugins")) return mainPlugins.contains(path.get(1));
        return Trees.get(main, path) != null || TomlSpec.isZero(value);
    }

    private static Set<String> pluginsIn(ObjectNode tree) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode p = tree.get("plugins");
        if (p != null && p.isObject()) p.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** True when the main config's imports name the drop-in (paths relative to the config's directory, globs as containerd expands them). */
    static boolean importsCover(ObjectNode main, String mainPath, String dropinPath) {
        JsonNode imports = main.get("imports");
        if (imports == null || !imports.isArray()) return false;
        Path dir = Path.of(mainPath).getParent();
        for (JsonNode i : imports) {
            String entry = i.asText();
            boolean glob = entry.matches(".*[*?\\[].*");
            // containerd joins a relative path to the config's directory, but expands a glob as
            // given, i.e. from its working directory: "/" under systemd.
            Path p = glob ? Path.of("/").resolve(entry) : dir == null ? Path.of(entry) : dir.resolve(entry);
            String abs = p.normalize().toString();
            if (abs.equals(Path.of(dropinPath).normalize().toString())) return true;
            if (glob) {
                try {
                    if (FileSystems.getDefault().getPathMatcher("glob:" + abs).matches(Path.of(dropinPath))) return true;
                } catch (IllegalArgumentException ignored) {
                    // not a glob Java understands: containerd would not match it either
                }
            }
        }
        return false;
    }

    /** The configuration containerd ends up with: the main file, then the drop-in over it as containerd merges imports. */
    static ObjectNode effective(ObjectNode main, ObjectNode dropin) {
        ObjectNode out = main.deepCopy();
        if (dropin == null) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = dropin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("version") || k.equals("imports")) continue;
            if (k.equals("plugins") && e.getValue().isObject()) {
                ObjectNode plugins = out.get("plugins") instanceof ObjectNode o ? o : out.putObject("plugins");
                e.getValue().fields().forEachRemaining(p -> plugins.set(p.getKey(), p.getValue().deepCopy()));
            } else {
                overrideNonZero(out, k, e.getValue());
            }
        }
        return out;
    }

    private static void overrideNonZero(ObjectNode into, String key, JsonNode v) {
        if (v.isObject() && into.get(key) instanceof ObjectNode o) {
            v.fields().forEachRemaining(e -> overrideNonZero(o, e.getKey(), e.getValue()));
        } else if (!TomlSpec.isZero(v)) {
            into.set(key, v.deepCopy());
        }
    }

    /**
     * The main config after the edits: keys set in place, the drop-in added to imports (or a
     * minimal config created). The result is parsed and compared with the intended tree, so an
     * edit that would change anything else is refused with the reason.
     */
    static String editMain(String before, String mainPath, ObjectNode main, int version, Map<List<String>, String> edits, String addImport) {
        String text;
        if (before == null) {
            text = "version = " + version + "\n";
        } else {
            text = before;
        }
        ObjectNode expected = main.deepCopy();
        if (before == null) expected.put("version", version);
        for (Map.Entry<List<String>, String> e : edits.entrySet()) {
            text = TomlText.of(text).set(e.getKey(), e.getValue());
            if (!Trees.set(expected, e.getKey(), TomlValues.parseValue(e.getValue())))
                throw new IllegalArgumentException("cannot set " + TomlKey.format(e.getKey()) + " in " + mainPath + ": a value that is not a table is in the way");
        }
        if (addImport != null) {
            String edited = TomlText.of(text).appendToRootArray("imports", TomlValues.string(addImport));
            if (edited == null) throw new IllegalArgumentException(mainPath + ": 'imports' is not a list; fix it by hand");
            text = edited;
            JsonNode imports = expected.get("imports");
            if (imports == null || !imports.isArray()) expected.putArray("imports").add(addImport);
            else ((com.fasterxml.jackson.databind.node.ArrayNode) imports).add(addImport);
        }
        ObjectNode got;
        try {
            got = TomlValues.parse(text, mainPath + " (as tuner would write it)");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot edit " + mainPath + " safely (" + e.getMessage()
                    + "): the keys are written in a form tuner does not edit (inline table or dotted keys); set them by hand");
        }
        if (!Trees.same(got, expected))
            throw new IllegalArgumentException("cannot edit " + mainPath + " safely: the edit would change more than the wanted keys "
                    + "(a table written inline or as dotted keys); set them by hand");
        return text;
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        for (FileChange f : plan.files()) HostFiles.checkPath(f.path());
        List<FileChange> written = HostFiles.apply(connection, plan.files());
        return new ApplyReport(plan.changes(), written, List.of());
    }
}
