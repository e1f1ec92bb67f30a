package dev.tuner.report;

import dev.tuner.slice.SliceSet;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The drift check's metric families in the Prometheus text format (0.0.4) and the one place their
 * names, help texts and label escaping live.
 */
final class Metrics {
    record Family(String name, String help) {}

    static final Family IN_SYNC = new Family("tuner_setting_in_sync",
            "1 when the setting's running and persisted values match the playbook, 0 when drifted; absent when it could not be read.");
    static final Family SETTING_CHECK_OK = new Family("tuner_setting_check_ok",
            "1 when the setting could be read and compared, 0 when it could not (invalid or unreadable on the host).");
    static final Family DRIFTED = new Family("tuner_drifted_settings", "Number of settings of the host that drifted from the playbook.");
    static final Family HOST_CHECK_OK = new Family("tuner_host_check_ok",
            "1 when the host and every setting of it could be checked, 0 when not (unreachable, failed, unreadable, or the check could not run).");
    static final Family CHECK_OK = new Family("tuner_drift_check_ok",
            "1 when the drift check ran and every host and setting could be checked, 0 when not.");
    static final Family LAST_CHECK = new Family("tuner_drift_last_check_timestamp_seconds", "When the last drift check completed.");

    private final StringBuilder sb = new StringBuilder();

    void family(Family f) {
        sb.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
        sb.append("# TYPE ").append(f.name()).append(" gauge\n");
    }

    /** {@code labels} are name, value pairs. */
    void sample(Family f, String[] labels, long value) {
        sb.append(f.name()).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        sb.append("} ").append(value).append('\n');
    }

    /** The series of the check as a whole: its playbook and, for a sliced run, its slices. */
    void checkLines(String playbook, SliceSet slices, boolean ok, Instant at) {
        String[] labels = slices.isWhole() ? new String[] {"playbook", playbook}
                : new String[] {"playbook", playbook, "slice", String.join(",", slices.names())};
        family(CHECK_OK);
        sample(CHECK_OK, labels, ok ? 1 : 0);
        family(LAST_CHECK);
        sample(LAST_CHECK, labels, at.getEpochSecond());
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The hosts a file this class wrote has {@code tuner_host_check_ok} series of, for a playbook; none when the text is null. */
    static Set<String> hostsOf(String text, String playbook) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            if (!line.startsWith(HOST_CHECK_OK.name() + "{")) continue;
            Map<String, String> labels = labels(line.substring(HOST_CHECK_OK.name().length() + 1));
            if (labels != null && playbook.equals(labels.get("playbook")) && labels.get("host") != null) out.add(labels.get("host"));
        }
        return out;
    }

    /** The labels of {@code a="x",b="y"} up to the closing brace, unescaped; null when the text is not that. */
    private static Map<String, String> labels(String rest) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int i = 0;
        while (i < rest.length() && rest.charAt(i) != '}') {
            int eq = rest.indexOf("=\"", i);
            if (eq < 0) return null;
            String name = rest.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < rest.length() && rest.charAt(j) != '"'; j++) {
                char c = rest.charAt(j);
                if (c == '\\' && j + 1 < rest.length()) {
                    char n = rest.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(c);
                }
            }
            if (j >= rest.length()) return null;
            out.put(name, v.toString());
            i = j + 1;
            if (i < rest.length() && rest.charAt(i) == ',') i++;
        }
        return out;
    }
}
