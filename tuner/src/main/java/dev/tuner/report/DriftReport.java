package dev.tuner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift for scheduled checks: every difference named (host, kind, key, expected, running,
 * persisted, which of them drifted), as text, JSON, JUnit XML or Prometheus text format.
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

    /** A host that could not be checked. */
    public record HostError(String host, String error) {}

    private final RunResult run;
    private final List<Item> items = new ArrayList<>();
    private final List<HostError> errors = new ArrayList<>();

    public DriftReport(RunResult run) {
        this(run, false);
    }

    /**
     * Drift is judged on the real values; only then are hidden ones masked ({@link Masking}), so a
     * {@code no_log} setting still reports that it drifted, not what to. {@code showSecrets}: mask nothing.
     */
    public DriftReport(RunResult run, boolean showSecrets) {
        this.run = run;
        for (RunResult.PlayResult p : run.plays()) {
            for (HostResult h : p.results()) {
                Masking m = Masking.of(h, showSecrets);
                if (h.status() == HostResult.Status.UNREACHABLE) {
                    errors.add(new HostError(h.host(), "unreachable: " + m.text(h.error())));
                    continue;
                }
                for (TaskResult t : h.tasks()) {
                    if (t.status() == TaskResult.Status.FAILED && t.changes().isEmpty())
                        errors.add(new HostError(h.host(), m.text(t.message())));
                    for (Change c : t.changes()) {
                        if (c.state() == ChangeState.UNSUPPORTED) continue;
                        String problem = c.state() == ChangeState.FAILED ? m.text(c.note()) : null;
                        items.add(new Item(h.host(), t.name(), c.kind(), c.key(), m.value(c, c.desired()), m.value(c, c.current()),
                                m.value(c, c.persisted()), c.runningDrift(), c.state() == ChangeState.CHANGE && c.persistDrift(), problem,
                                m.hides(c)));
                    }
                }
            }
        }
    }

    public List<Item> items() {
        return items;
    }

    public List<HostError> errors() {
        return errors;
    }

    public long drifted() {
        return items.stream().filter(Item::drifted).count();
    }

    /** 0 in sync, 2 drifted, 1 a host or setting could not be checked. */
    public int exitCode() {
        if (!errors.isEmpty() || items.stream().anyMatch(i -> i.problem() != null)) return 1;
        return drifted() > 0 ? 2 : 0;
    }

    public String text(Style style) {
        StringBuilder sb = new StringBuilder();
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
        long hosts = items.stream().map(Item::host).distinct().count();
        // Every ERROR line above counts: hosts that could not be checked and settings that could not be read.
        long errorLines = errors.size() + items.stream().filter(i -> i.problem() != null).count();
        sb.append(drifted() == 0 && errorLines == 0 ? style.green("in sync") : drifted() + " drifted setting(s)")
                .append(": ").append(items.size()).append(" setting(s) checked on ").append(hosts).append(" host(s)")
                .append(errorLines == 0 ? "" : ", " + errorLines + " error(s)").append('\n');
        return sb.toString();
    }

    private static String show(String v) {
        return v == null ? "(none)" : v;
    }

    public String json() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("format_version", 1);
        root.put("playbook", run.playbook());
        root.put("checked_at", run.finished().toString());
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
        for (HostError e : errors) errs.addObject().put("host", e.host()).put("error", e.error());
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JUnit XML: one test case per host and setting; drift is a failure, an unreadable setting or host an error. */
    public String junit() {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        int errs = 0;
        for (Item i : items) {
            cases.append("    <testcase classname=\"").append(xml(i.host())).append("\" name=\"").append(xml(i.kind() + " " + i.key()))
                    .append("\">");
            if (i.problem() != null) {
                errs++;
                cases.append("<error message=\"").append(xml(i.problem())).append("\"/>");
            } else if (i.drifted()) {
                failures++;
                String msg = i.what() + " drifted: expected " + i.expected() + ", running " + show(i.running()) + ", persisted " + show(i.persisted());
                cases.append("<failure message=\"").append(xml(msg)).append("\" type=\"drift\">").append(xml(msg)).append("</failure>");
            }
            cases.append("</testcase>\n");
        }
        for (HostError e : errors) {
            errs++;
            cases.append("    <testcase classname=\"").append(xml(e.host())).append("\" name=\"reachable\"><error message=\"")
                    .append(xml(e.error())).append("\"/></testcase>\n");
        }
        int tests = items.size() + errors.size();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"tuner drift\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errs + "\">\n"
                + "  <testsuite name=\"" + xml("drift " + run.playbook()) + "\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"" + errs + "\" timestamp=\"" + run.finished() + "\">\n"
                + cases
                + "  </testsuite>\n</testsuites>\n";
    }

    /** Prometheus text format for node_exporter's textfile collector. */
    public String prometheus() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP tuner_setting_in_sync 1 when the setting's running and persisted values match the playbook, 0 when drifted.\n");
        sb.append("# TYPE tuner_setting_in_sync gauge\n");
        for (Item i : items) {
            if (i.problem() != null) continue;
            sb.append("tuner_setting_in_sync{host=\"").append(label(i.host())).append("\",kind=\"").append(label(i.kind()))
                    .append("\",key=\"").append(label(i.key())).append("\"} ").append(i.drifted() ? 0 : 1).append('\n');
        }
        Map<String, long[]> perHost = new LinkedHashMap<>();
        for (Item i : items) {
            long[] c = perHost.computeIfAbsent(i.host(), k -> new long[2]);
            if (i.drifted()) c[0]++;
            if (i.problem() != null) c[1]++;
        }
        sb.append("# HELP tuner_drifted_settings Number of settings that drifted from the playbook.\n");
        sb.append("# TYPE tuner_drifted_settings gauge\n");
        perHost.forEach((h, c) -> sb.append("tuner_drifted_settings{host=\"").append(label(h)).append("\"} ").append(c[0]).append('\n'));
        sb.append("# HELP tuner_host_check_ok 1 when every setting of the host could be checked.\n");
        sb.append("# TYPE tuner_host_check_ok gauge\n");
        perHost.forEach((h, c) -> sb.append("tuner_host_check_ok{host=\"").append(label(h)).append("\"} ").append(c[1] == 0 ? 1 : 0).append('\n'));
        for (HostError e : errors) {
            if (!perHost.containsKey(e.host())) sb.append("tuner_host_check_ok{host=\"").append(label(e.host())).append("\"} 0\n");
        }
        sb.append("# HELP tuner_drift_last_check_timestamp_seconds When the last drift check completed.\n");
        sb.append("# TYPE tuner_drift_last_check_timestamp_seconds gauge\n");
        sb.append("tuner_drift_last_check_timestamp_seconds{playbook=\"").append(label(run.playbook())).append("\"} ")
                .append(run.finished().getEpochSecond()).append('\n');
        return sb.toString();
    }

    private static String xml(String s) {
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

    private static String label(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
