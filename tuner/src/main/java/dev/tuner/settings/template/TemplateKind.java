package dev.tuner.settings.template;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Suggest;
import dev.tuner.settings.ApplyException;
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
import dev.tuner.settings.kit.TaskValues;
import dev.tuner.settings.kit.ManagedHeader;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.InputFile;
import dev.tuner.yaml.YamlDocument;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A file rendered from a FreeMarker template with the host's variables and facts:
 * <pre>
 * template: {src: templates/crictl.yaml.ftl, dest: /etc/crictl.yaml, mode: "0644", owner: root, group: root}
 * </pre>
 * {@code src} is looked up relative to the playbook's directory, then the repository root above
 * it (so {@code templates/x.ftl} finds the shipped templates/ directory). The model is the host's
 * variables ({@code facts.*} included) plus {@code tuner_managed}, a one-line "managed by" notice.
 * Content, mode, owner and group are each a change in the plan; the file is written atomically
 * with its mode and owner set before it appears.
 */
public final class TemplateKind implements SettingKind {
    public static final String NAME = "template";
    private static final KindInfo INFO = new KindInfo(NAME, "a file rendered from a FreeMarker template with host vars and facts, with mode/owner/group",
            DefaultBenchmarks.none());
    static final Set<String> OPTIONS = new LinkedHashSet<>(List.of("src", "dest", "mode", "owner", "group"));
    /** Target fields of a change: the file, and what of it the change is about (see {@link Change#inContentOf}). */
    static final String TARGET_PATH = Change.TARGET_PATH;
    static final String TARGET_ATTRIBUTE = Change.TARGET_ATTRIBUTE;
    static final String CONTENT = Change.CONTENT;
    static final String MODE = "mode";
    static final String OWNER = "owner";
    static final String GROUP = "group";
    static final Set<String> ATTRIBUTES = Set.of(MODE, OWNER, GROUP);

    /** Parses templates to check their syntax. Built on first use: FreeMarker's configuration costs start-up time every run would pay. */
    private static final class Syntax {
        static final Configuration CONFIG = new Configuration(Configuration.VERSION_2_3_34);
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    /** Templates see the host's facts, and what a template file reads is not known before it renders. */
    @Override
    public boolean readsFacts() {
        return true;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        MappingNode map = TaskValues.mapping(spec, doc, diags, "template: expected {src, dest, mode, owner, group}");
        if (map == null) return;
        Set<String> seen = new LinkedHashSet<>();
        for (NodeTuple t : map.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            seen.add(k);
            Node v = t.getValueNode();
            if (!OPTIONS.contains(k)) {
                diags.error(doc.at(t.getKeyNode()), "template: unknown option '" + k + "'" + Suggest.didYouMean(k, OPTIONS)
                        + "; known: " + String.join(", ", OPTIONS));
                continue;
            }
            if (!(v instanceof ScalarNode s) || YamlDocument.scalar(s) == null) {
                diags.error(doc.at(v), "template: '" + k + "' must be a string");
                continue;
            }
            String value = s.getValue();
            if (Templater.isTemplated(value)) continue;
            String err = check(k, value);
            if (err != null) {
                diags.error(doc.at(v), "template: " + err);
                continue;
            }
            if (k.equals("src")) checkSource(value, doc, v, diags);
        }
        if (!seen.contains("src")) diags.error(doc.at(spec), "template: 'src' (the template file) is required");
        if (!seen.contains("dest")) diags.error(doc.at(spec), "template: 'dest' (the absolute path on the host) is required");
    }

    /** What is wrong with one option's value, or null. Owner, group and mode reach a shell: strict. */
    static String check(String option, String value) {
        return switch (option) {
            case "dest" -> {
                try {
                    HostFiles.checkPath(value);
                    yield value.endsWith("/") ? "'dest' must name a file, not a directory: " + value : null;
                } catch (SpecException e) {
                    yield "'dest' " + e.getMessage();
                }
            }
            case "mode" -> HostFiles.validMode(value) ? null : "'mode' must be octal like \"0644\" (quote it in YAML), got '" + value + "'";
            case "owner", "group" -> HostFiles.validAccount(value) ? null
                    : "'" + option + "' must be a user/group name or numeric id, got '" + value + "'";
            case "src" -> value.isBlank() ? "'src' is empty" : null;
            default -> null;
        };
    }

    /** The template must exist and parse: a typo in it is found before any host is touched. */
    private static void checkSource(String src, YamlDocument doc, Node at, Diagnostics diags) {
        Path playbookFile = Path.of(doc.file()).toAbsolutePath();
        List<Path> candidates = candidates(src, playbookFile.getParent());
        Optional<Path> found = candidates.stream().filter(Files::exists).findFirst();
        if (found.isEmpty()) {
            diags.error(doc.at(at), "template: '" + src + "' not found (looked for " + String.join(", ", candidates.stream().map(Path::toString).toList()) + ")");
            return;
        }
        try {
            new Template(src, new StringReader(InputFile.read(found.get(), "template")), Syntax.CONFIG);
        } catch (ParseException e) {
            diags.error(doc.at(at), "template: " + found.get() + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": "
                    + e.getEditorMessage().lines().findFirst().orElse("syntax error"));
        } catch (InputFile.Unreadable e) {
            diags.error(doc.at(at), "template: " + e.at(found.get().toString()) + ": " + e.getMessage());
        } catch (IOException e) {
            diags.error(doc.at(at), "template: cannot read " + found.get() + ": " + e.getMessage());
        }
    }

    /** Where a relative src may be: beside the playbook, then the repository root above playbooks/. */
    static List<Path> candidates(String src, Path playbookDir) {
        Path p = Path.of(src);
        if (p.isAbsolute()) return List.of(p);
        List<Path> out = new ArrayList<>();
        Path dir = playbookDir == null ? Path.of("").toAbsolutePath() : playbookDir.toAbsolutePath();
        out.add(dir.resolve(src).normalize());
        if (dir.getParent() != null) out.add(dir.getParent().resolve(src).normalize());
        return out;
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        if (!(spec instanceof Map<?, ?> map)) throw new SpecException("template: expected {src, dest, mode, owner, group}");
        Map<String, Object> opts = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!OPTIONS.contains(k)) throw new SpecException("template: unknown option '" + k + "'");
            if (e.getValue() == null) throw new SpecException("template: '" + k + "' has no value");
            String v = String.valueOf(e.getValue());
            String err = check(k, v);
            if (err != null) throw new SpecException("template: " + err);
            opts.put(k, k.equals("mode") ? HostFiles.normalizeMode(v) : v);
        }
        if (!opts.containsKey("src")) throw new SpecException("template: 'src' is required");
        if (!opts.containsKey("dest")) throw new SpecException("template: 'dest' is required");
        return List.of(new Desired(task, String.valueOf(opts.get("dest")), String.valueOf(opts.get("src")), Map.copyOf(opts)));
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        // The read brings each file's mode, owner and group with its content.
        for (Desired d : wanted) script.file("template:content:" + d.key(), d.key());
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        List<String> notes = new ArrayList<>();
        Map<String, Desired> byDest = SameKey.laterWins(wanted, d -> Path.of(d.key()).normalize().toString(), TemplateKind::describeTask, notes);
        List<Change> changes = new ArrayList<>();
        List<FileChange> files = new ArrayList<>();
        for (Desired d : byDest.values()) {
            String dest = d.key();
            String mode = (String) d.options().get("mode");
            Map<String, String> content = target(dest, CONTENT);
            ReadOutput.Entry read = current.entry("template:content:" + dest);
            if (read.status() == ReadOutput.Status.ERROR) {
                changes.add(new Change(d.task(), NAME, dest, null, d.value(), null, ChangeState.FAILED, Cost.LIVE,
                        "cannot read " + dest + ": " + read.text().strip(), false, content));
                continue;
            }
            String before = read.ok() ? read.text() : null;
            String rendered;
            try {
                rendered = render(d.value(), host);
            } catch (SpecException | Templater.TemplateError e) {
                changes.add(new Change(d.task(), NAME, dest, null, d.value(), null, ChangeState.FAILED, Cost.LIVE, e.getMessage(), false, content));
                // Mode, owner and group are known without the content (a rollback reads them so): shown, never planned alone.
                List<Change> attributes = new ArrayList<>();
                attributes(attributes, d, read.file());
                attributes.forEach(a -> changes.add(a.isChange() ? a.withState(ChangeState.FAILED, "not planned: the content could not be rendered") : a));
                continue;
            }
            FileChange f = FileChange.of(d.task(), dest, read, rendered, mode);
            changes.add(new Change(d.task(), NAME, dest, describe(before), describe(rendered), null,
                    f.changes() ? ChangeState.CHANGE : ChangeState.OK, Cost.LIVE, f.changes() ? "rendered from " + d.value() : null, false, content));
            if (f.changes()) files.add(f);
            attributes(changes, d, read.file());
        }
        return new KindPlan(NAME, changes, files, notes);
    }

    /** The mode, owner and group the task names, each as the file has it now ({@code now}: null when there is none) and as wanted. */
    private static void attributes(List<Change> changes, Desired d, ReadOutput.Attributes now) {
        Map<String, Object> o = d.options();
        String mode = (String) o.get("mode");
        attribute(changes, d, MODE, mode == null ? null : HostFiles.normalizeMode(mode), now == null ? null : now.mode());
        attribute(changes, d, OWNER, (String) o.get(OWNER), now == null ? null : now.owner());
        attribute(changes, d, GROUP, (String) o.get(GROUP), now == null ? null : now.group());
    }

    /** The file and the attribute a change is about, journaled with it (see {@link Change}). */
    static Map<String, String> target(String path, String attribute) {
        return Map.of(TARGET_PATH, path, TARGET_ATTRIBUTE, attribute);
    }

    private static void attribute(List<Change> changes, Desired d, String attribute, String want, String now) {
        if (want == null) return;
        boolean ok = want.equals(now);
        // The key reads "/etc/x mode"; apply acts on the target, so a path with a space in it is no riddle.
        changes.add(new Change(d.task(), NAME, d.key() + " " + attribute, now, want, null, ok ? ChangeState.OK : ChangeState.CHANGE, Cost.LIVE,
                now == null ? "new file" : null, false, target(d.key(), attribute)));
    }

    /** A task's whole wish for its dest, to tell two tasks naming the same file apart in the plan's note. */
    private static String describeTask(Desired d) {
        StringBuilder sb = new StringBuilder("src ").append(d.value());
        for (String option : List.of(MODE, OWNER, GROUP)) {
            Object v = d.options().get(option);
            if (v != null) sb.append(", ").append(option).append(' ').append(v);
        }
        return sb.toString();
    }

    /** How a content appears in the change list; the FileChange carries the diff. */
    static String describe(String content) {
        if (content == null) return null;
        long lines = content.isEmpty() ? 0 : content.lines().count();
        return "sha256:" + HostFiles.sha256(content).substring(0, 12) + " (" + lines + " line" + (lines == 1 ? "" : "s") + ")";
    }

    String render(String src, HostContext host) {
        List<Path> candidates = candidates(src, host.playbookDir());
        Path file = candidates.stream().filter(Files::exists).findFirst()
                .orElseThrow(() -> new SpecException("template '" + src + "' not found (looked for "
                        + String.join(", ", candidates.stream().map(Path::toString).toList()) + ")"));
        String text;
        try {
            text = InputFile.read(file, "template");
        } catch (InputFile.Unreadable e) {
            throw new SpecException(e.at(file.toString()) + ": " + e.getMessage());
        }
        Map<String, Object> model = new LinkedHashMap<>(host.vars());
        model.putIfAbsent("facts", host.facts());
        model.putIfAbsent("inventory_hostname", host.hostName());
        model.put("tuner_managed", ManagedHeader.TEXT);
        return new Templater().renderTemplate(file.toString(), text, model);
    }

    // ---------------------------------------------------------------- apply

    /**
     * Writes each planned file (exactly as planned: an inverse plan restores the old bytes or
     * removes a file that did not exist), then mode/owner/group changes of files that stay. What a
     * file's mode, owner and group are to be comes from the plan's attribute changes, found by
     * their targets: a rollback plan carries the old ones there.
     *
     * <p>A journal written before changes carried targets gives a rollback plan whose attribute
     * changes name their file only in the key: the file's content is still restored byte for byte
     * from the journal, and each such attribute change fails, saying what to set by hand.
     */
    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        for (Change c : plan.changes()) {
            String path = c.target(TARGET_PATH);
            String attribute = c.target(TARGET_ATTRIBUTE);
            if (path != null && ATTRIBUTES.contains(attribute) && c.desired() != null)
                attributes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(attribute, c.desired());
        }
        List<FileChange> written = new ArrayList<>();
        Set<String> removed = new LinkedHashSet<>();
        for (FileChange planned : plan.files()) {
            Map<String, String> a = attributes.getOrDefault(planned.path(), Map.of());
            FileChange f = new FileChange(planned.task(), planned.path(), planned.before(), planned.after(), a.getOrDefault(MODE, planned.mode()),
                    planned.currentMode());
            boolean keeps = f.after() != null;
            if (!HostFiles.write(connection, f, keeps ? a.get(OWNER) : null, keeps ? a.get(GROUP) : null)) continue;
            if (!keeps) removed.add(f.path());
            written.add(planned);
        }
        Set<String> plannedPaths = new LinkedHashSet<>(plan.files().stream().map(FileChange::path).toList());
        Set<String> done = new LinkedHashSet<>(written.stream().map(FileChange::path).toList());
        List<Change> out = new ArrayList<>();
        for (Change c : plan.changes()) {
            String path = c.target(TARGET_PATH);
            String attribute = c.target(TARGET_ATTRIBUTE);
            if (!c.isChange() || CONTENT.equals(attribute)) {
                out.add(c);
            } else if (attribute == null) {
                // Without a target only a content change can be recognised: its key is a planned file's path.
                out.add(plannedPaths.contains(c.key()) ? c : c.withState(ChangeState.FAILED, "not restored: the journal names the file and attribute of '"
                        + c.key() + "' only in its text (it was written before changes carried them); set it by hand to " + c.desired()));
            } else {
                if (!done.contains(path) && !removed.contains(path) && c.desired() != null) {
                    try {
                        HostFiles.setAttributes(connection, path, attribute.equals(MODE) ? c.desired() : null,
                                attribute.equals(OWNER) ? c.desired() : null, attribute.equals(GROUP) ? c.desired() : null);
                    } catch (SpecException e) {
                        throw new ApplyException(e.getMessage());
                    }
                }
                out.add(c);
            }
        }
        return new ApplyReport(out, written, List.of());
    }
}
