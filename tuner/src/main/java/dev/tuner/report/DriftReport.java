package dev.tuner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.slice.SliceSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drift for scheduled checks: every difference named (host, kind, key, expected, running,
 * persisted, which of them drifted), as text, JSON, JUnit XML, Prometheus text format or Markdown.
 * A report is made from a run, or read back from its JSON document to merge the slices of a fleet.
 */
public final class DriftReport {
    /** One setting of one host as checked; {@code hidden}: its values read {@link Masking#HIDDEN}. */
    public record Item(String host, String task, String kind, String key, String expected, String running,
                       String persisted, boolean runningDrift, boolean persistDrift, String problem, boolean hidden) {
        public boolean drifted() {
            return runningDrift || persistDrift;
        }

        String what() {
            if (runningDrift && persistDrift) return "running and persisted";
            if (runningDrift) return "running";
            if (persistDrift) return "persisted";
            return "";
        }
    }

    /** A host that could not be checked: {@code type} is {@value #UNREACHABLE} or {@value #FAILED}. */
    public record HostError(String host, String type, String error) {}

    public static final String UNREACHABLE = "unreachable";
    public static final String FAILED = "failed";
    /** The JUnit error type of a setting that could not be read or is invalid on its host. */
    static final String UNREADABLE = "unreadable";

    /** Made on first use: a text or Prometheus report need not pay for setting up Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final String playbook;
    private final Instant started;
    private final Instant checkedAt;
    private final SliceSet slices;
    private final List<Item> items;
    private final List<HostError> errors;

    public DriftReport(RunResult run) {
        this(run, SliceSet.WHOLE, false);
    }

    /**
     * Drift is judged on the real values; only then are hidden ones masked ({@link Masking}), so a
     * {@code no_log} setting still reports that it drifted, not what to. {@code showSecrets}: mask nothing.
     */
    public DriftReport(RunResult run, SliceSet slices, boolean showSecrets) {
        List<Item> found = new ArrayList<>();
        List<HostError> failed = new ArrayList<>();
        for (RunResult.PlayResult p : run.plays()) {
            for (HostResult h : p.results()) {
                Masking m = Masking.of(h, showSecrets);
                if (h.status() == HostResult.Status.UNREACHABLE) {
                    failed.add(new HostError(h.host(), UNREACHABLE, "unreachable: " + m.text(h.error())));
                    continue;
                }
                for (TaskResult t : h.tasks()) {
                    if (t.status() == TaskResult.Status.FAILED && t.changes().isEmpty())
                        failed.add(new HostError(h.host(), FAILED, m.text(t.message())));
                    for (Change c : t.changes()) {
                        if (c.state() == ChangeState.UNSUPPORTED) continue;
                        String problem = c.state() == ChangeState.FAILED ? m.text(c.note()) : null;
                        found.add(new Item(h.host(), t.name(), c.kind(), c.key(), m.value(c, c.desired()), m.value(c, c.current()),
                                m.value(c, c.persisted()), c.runningDrift(), c.state() == ChangeState.CHANGE && c.persistDrift(), problem,
                                m.hides(c)));
                    }
                }
            }
        }
        this.playbook = run.playbook();
        this.started = run.started();
        this.checkedAt = run.finished();
        this.slices = slices;
        this.items = byHost(found, Item::host);
        this.errors = byHost(failed, HostError::host);
    }

    /**
     * Host by host, hosts sorted by name, each host's entries in playbook order (a stable sort): a
     * report reads host by host, and the merge of a fleet's slices lists them as one run does.
     */
    private static <T> List<T> byHost(List<T> entries, java.util.function.Function<T, String> host) {
        List<T> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(host));
        return List.copyOf(sorted);
    }

    public DriftReport(String playbook, Instant started, Instant checkedAt, SliceSet slices, List<Item> items, List<HostError> errors) {
        this.playbook = playbook;
        this.started = started;
        this.checkedAt = checkedAt;
        this.slices = slices;
        this.items = List.copyOf(items);
        this.errors = List.copyOf(errors);
    }

    public List<Item> items() {
        return items;
    }

    public List<HostError> errors() {
        return errors;
    }

    public String playbook() {
        return playbook;
    }

    public Instant started() {
        return started;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    public SliceSet slices() {
        return slices;
    }

    public long drifted() {
        return items.stream().filter(Item::drifted).count();
    }

    /** 0 in sync, 2 drifted, 1 a host or setting could not be checked. */
    public int exitCode() {
        if (!errors.isEmpty() || items.stream().anyMatch(i -> i.problem() != null)) return 1;
        return drifted() > 0 ? 2 : 0;
    }

    // ------------------------------------------------------------------ text

    public String text(Style style) {
        return text(style, "");
    }

    /** {@code headline}: a first line saying which hosts the check covers; empty for the report's own ({@link SliceSet#describe}). */
    public String text(Style style, String headline) {
        StringBuilder sb = new StringBuilder();
        String head = headline.isEmpty() ? slices.describe() : headline;
        if (!head.isEmpty()) sb.append(style.bold(head)).append('\n');
        for (Item i : items) {
            if (i.problem() != null) {
                sb.append(style.red("ERROR   ")).append(i.host()).append("  ").append(i.kind()).append(' ').append(i.key())
                        .append(": ").append(i.problem()).append('\n');
            } else if (i.drifted()) {
                sb.append(style.yellow("DRIFT   ")).append(i.host()).append("  ").append(i.kind()).append(' ').append(i.key())
                        .append("  expected=").append(i.expected()).append("  running=").append(show(i.running()))
                        .append("  persisted=").append(show(i.persisted())).append("  (").append(i.what()).append(" drifted)\n");
            }
        }
        for (HostError e : errors) sb.append(style.red("ERROR   ")).append(e.host()).append(": ").append(e.error()).append('\n');
        sb.append(drifted() == 0 && errorCount() == 0 ? style.green("in sync") : drifted() + " drifted setting(s)")
                .append(": ").append(summary()).append('\n');
        return sb.toString();
    }

    /** Every ERROR line counts: hosts that could not be checked and settings that could not be read. */
    private long errorCount() {
        return errors.size() + items.stream().filter(i -> i.problem() != null).count();
    }

    private String summary() {
        long hosts = items.stream().map(Item::host).distinct().count();
        long errorLines = errorCount();
        return items.size() + " setting(s) checked on " + hosts + " host(s)" + (errorLines == 0 ? "" : ", " + errorLines + " error(s)");
    }

    private static String show(String v) {
        return v == null ? "(none)" : v;
    }

    // ------------------------------------------------------------------ Markdown

    /** The drifted and uncheckable settings as tables, for a ticket or a change request. */
    public String markdown(String headline) {
        StringBuilder sb = new StringBuilder();
        sb.append("## tuner drift: `").append(playbook).append("`\n\n");
        String head = headline.isEmpty() ? slices.describe() : headline;
        if (!head.isEmpty()) sb.append('_').append(MarkdownReport.cell(head)).append("_\n\n");
        sb.append(drifted() == 0 && errorCount() == 0 ? "**in sync**" : "**" + drifted() + " drifted setting(s)**")
                .append(": ").append(summary()).append("\n");
        List<Item> drifted = items.stream().filter(i -> i.problem() == null && i.drifted()).toList();
        if (!drifted.isEmpty()) {
            sb.append("\n| host | kind | setting | expected | running | persisted | drifted |\n|---|---|---|---|---|---|---|\n");
            for (Item i : drifted) {
                sb.append("| ").append(MarkdownReport.cell(i.host())).append(" | ").append(i.kind()).append(" | `")
                        .append(MarkdownReport.cell(i.key())).append("` | ").append(MarkdownReport.code(i.expected())).append(" | ")
                        .append(MarkdownReport.code(i.running())).append(" | ").append(MarkdownReport.code(i.persisted())).append(" | ")
                        .append(i.what()).append(" |\n");
            }
        }
        if (errorCount() > 0) {
            sb.append("\n| host | could not check | error |\n|---|---|---|\n");
            for (Item i : items) {
                if (i.problem() == null) continue;
                sb.append("| ").append(MarkdownReport.cell(i.host())).append(" | ").append(i.kind()).append(" `")
                        .append(MarkdownReport.cell(i.key())).append("` | ").append(MarkdownReport.cell(i.problem())).append(" |\n");
            }
            for (HostError e : errors) {
                sb.append("| ").append(MarkdownReport.cell(e.host())).append(" | the host (").append(e.type()).append(") | ")
                        .append(MarkdownReport.cell(e.error())).append(" |\n");
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ JSON

    public String json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format_version", JsonReport.FORMAT_VERSION);
        root.put("playbook", playbook);
        Documents.putSlices(root, slices);
        root.put("started", started.toString());
        root.put("checked_at", checkedAt.toString());
        root.put("in_sync", exitCode() == 0);
        root.put("drifted", drifted());
        ArrayNode arr = root.putArray("settings");
        for (Item i : items) {
            ObjectNode n = arr.addObject();
            n.put("host", i.host());
            n.put("task", i.task());
            n.put("kind", i.kind());
            n.put("key", i.key());
            n.put("expected", i.expected());
            n.put("running", i.running());
            n.put("persisted", i.persisted());
            n.put("running_drift", i.runningDrift());
            n.put("persisted_drift", i.persistDrift());
            n.put("error", i.problem());
            n.put("hidden", i.hidden());
        }
        ArrayNode errs = root.putArray("errors");
        for (HostError e : errors) errs.addObject().put("host", e.host()).put("type", e.type()).put("error", e.error());
        try {
            return Json.MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True for a document {@link #json()} wrote (the run document of plan and apply has {@code mode} instead). */
    static boolean isDriftDocument(JsonNode doc) {
        return doc.has("checked_at") && doc.has("settings") && !doc.has("mode");
    }

    /** A drift document read back; {@link IllegalArgumentException} names the first field that is missing or wrong. */
    static DriftReport read(JsonNode doc) {
        Documents.Fields f = new Documents.Fields(doc, "$");
        String playbook = f.text("playbook");
        Instant checked = f.instant("checked_at");
        Instant started = doc.has("started") ? f.instant("started") : checked;
        SliceSet slices = Documents.slices(doc);
        List<Item> items = new ArrayList<>();
        int n = 0;
        for (JsonNode s : f.array("settings")) {
            Documents.Fields sf = new Documents.Fields(s, "$.settings[" + n++ + "]");
            items.add(new Item(sf.text("host"), sf.text("task"), sf.text("kind"), sf.text("key"), sf.text("expected"),
                    sf.textOrNull("running"), sf.textOrNull("persisted"), sf.bool("running_drift"), sf.bool("persisted_drift"),
                    sf.textOrNull("error"), s.has("hidden") && sf.bool("hidden")));
        }
        List<HostError> errors = new ArrayList<>();
        n = 0;
        for (JsonNode e : f.array("errors")) {
            Documents.Fields ef = new Documents.Fields(e, "$.errors[" + n++ + "]");
            String error = ef.text("error");
            String type = e.has("type") ? ef.text("type") : error.startsWith(UNREACHABLE + ":") ? UNREACHABLE : FAILED;
            errors.add(new HostError(ef.text("host"), type, error));
        }
        return new DriftReport(playbook, started, checked, slices, items, errors);
    }

    /** The slices of one check merged into the report a single run over their hosts gives, from the first start to the last finish. */
    static DriftReport merge(List<DriftReport> parts, SliceSet slices) {
        List<Item> items = new ArrayList<>();
        List<HostError> errors = new ArrayList<>();
        for (DriftReport r : parts) {
            items.addAll(r.items);
            errors.addAll(r.errors);
        }
        Instant started = parts.stream().map(DriftReport::started).min(Comparator.naturalOrder()).orElseThrow();
        Instant checked = parts.stream().map(DriftReport::checkedAt).max(Comparator.naturalOrder()).orElseThrow();
        return new DriftReport(parts.get(0).playbook, started, checked, slices, byHost(items, Item::host), byHost(errors, HostError::host));
    }

    // ------------------------------------------------------------------ JUnit XML

    /**
     * JUnit XML as the Apache Ant JUnit task writes it (the schema CI servers read): one suite for
     * the check, one test case per host and setting; drift is a failure, an unreadable setting or
     * host an error. Settings are read in one batched command per host, not one by one, so a test
     * case has no time of its own ({@code 0}); the suite's time is the whole check's.
     */
    public String junit() {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        int errs = 0;
        for (Item i : items) {
            cases.append("    <testcase classname=\"").append(xml(i.host())).append("\" name=\"").append(xml(i.kind() + " " + i.key()))
                    .append("\" time=\"0\">");
            if (i.problem() != null) {
                errs++;
                problem(cases, "error", UNREADABLE, i.problem());
            } else if (i.drifted()) {
                failures++;
                problem(cases, "failure", "drift", i.what() + " drifted: expected " + i.expected() + ", running " + show(i.running())
                        + ", persisted " + show(i.persisted()));
            }
            cases.append("</testcase>\n");
        }
        for (HostError e : errors) {
            errs++;
            cases.append("    <testcase classname=\"").append(xml(e.host())).append("\" name=\"reachable\" time=\"0\">");
            problem(cases, "error", e.type(), e.error());
            cases.append("</testcase>\n");
        }
        int tests = items.size() + errors.size();
        StringBuilder props = new StringBuilder();
        property(props, "playbook", playbook);
        property(props, "started", started.toString());
        property(props, "checked_at", checkedAt.toString());
        if (!slices.isWhole()) property(props, "slices", String.join(",", slices.names()));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites>\n"
                + "  <testsuite name=\"" + xml("drift " + playbook) + "\" package=\"" + xml(playbook) + "\" id=\"0\""
                + " hostname=\"" + xml(Hostname.local()) + "\" timestamp=\"" + Timestamps.junit(started) + "\""
                + " time=\"" + seconds(Duration.between(started, checkedAt)) + "\""
                + " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errs + "\" skipped=\"0\">\n"
                + "    <properties>\n" + props + "    </properties>\n"
                + cases
                + "    <system-out></system-out>\n"
                + "    <system-err></system-err>\n"
                + "  </testsuite>\n</testsuites>\n";
    }

    private static void problem(StringBuilder sb, String element, String type, String message) {
        sb.append('<').append(element).append(" message=\"").append(xml(message)).append("\" type=\"").append(xml(type)).append("\">")
                .append(xml(message)).append("</").append(element).append('>');
    }

    private static void property(StringBuilder sb, String name, String value) {
        sb.append("      <property name=\"").append(xml(name)).append("\" value=\"").append(xml(value)).append("\"/>\n");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, d.toMillis()) / 1000.0);
    }

    // ------------------------------------------------------------------ Prometheus

    /**
     * Prometheus text format for node_exporter's textfile collector. Every series has the playbook
     * label, so the files of several playbooks on one node never collide; a setting several plays
     * check is one series (in sync only when every play finds it so); the series of the check as a
     * whole also carry the slice, so the files of several slices on one node do not collide either.
     */
    public String prometheus() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Item i : items) {
            settings.computeIfAbsent(i.host() + "\u0000" + i.kind() + "\u0000" + i.key(), k -> new Setting(i.host(), i.kind(), i.key()))
                    .add(i);
        }
        Set<String> hosts = new LinkedHashSet<>();
        items.forEach(i -> hosts.add(i.host()));
        errors.forEach(e -> hosts.add(e.host()));
        Map<String, Long> drifted = new LinkedHashMap<>();
        Map<String, Boolean> hostOk = new LinkedHashMap<>();
        for (String h : hosts) hostOk.put(h, true);
        for (Setting s : settings.values()) {
            drifted.merge(s.host, s.readable && s.drifted ? 1L : 0L, Long::sum);
            if (!s.readable) hostOk.put(s.host, false);
        }
        errors.forEach(e -> hostOk.put(e.host(), false));

        Metrics m = new Metrics();
        m.family(Metrics.IN_SYNC);
        for (Setting s : settings.values()) {
            if (s.readable) m.sample(Metrics.IN_SYNC, settingLabels(s), s.drifted ? 0 : 1);
        }
        m.family(Metrics.SETTING_CHECK_OK);
        for (Setting s : settings.values()) m.sample(Metrics.SETTING_CHECK_OK, settingLabels(s), s.readable ? 1 : 0);
        m.family(Metrics.DRIFTED);
        drifted.forEach((h, n) -> m.sample(Metrics.DRIFTED, hostLabels(h), n));
        m.family(Metrics.HOST_CHECK_OK);
        hostOk.forEach((h, ok) -> m.sample(Metrics.HOST_CHECK_OK, hostLabels(h), ok ? 1 : 0));
        m.checkLines(playbook, slices, exitCode() != 1, checkedAt);
        return m.toString();
    }

    /**
     * The file to put in place of the last one when the check could not run at all (the playbook or
     * inventory cannot be read): the check says it failed, and every host the last file named for
     * this playbook says it was not checked, so nothing stale stays behind to be alerted on.
     */
    public static String failedCheckPrometheus(String playbook, SliceSet slices, Instant at, String previousFile) {
        Metrics m = new Metrics();
        m.family(Metrics.HOST_CHECK_OK);
        for (String host : Metrics.hostsOf(previousFile, playbook)) m.sample(Metrics.HOST_CHECK_OK, new String[] {"playbook", playbook, "host", host}, 0);
        m.checkLines(playbook, slices, false, at);
        return m.toString();
    }

    private String[] settingLabels(Setting s) {
        return new String[] {"playbook", playbook, "host", s.host, "kind", s.kind, "key", s.key};
    }

    private String[] hostLabels(String host) {
        return new String[] {"playbook", playbook, "host", host};
    }

    /** One series of tuner_setting_in_sync: all the checks of one key on one host. */
    private static final class Setting {
        final String host;
        final String kind;
        final String key;
        boolean readable = true;
        boolean drifted;

        Setting(String host, String kind, String key) {
            this.host = host;
            this.kind = kind;
            this.key = key;
        }

        void add(Item i) {
            if (i.problem() != null) readable = false;
            else if (i.drifted()) drifted = true;
        }
    }

    static String xml(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') sb.append(' ');
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
