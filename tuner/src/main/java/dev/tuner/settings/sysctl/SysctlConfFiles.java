package dev.tuner.settings.sysctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a host sets at boot, following systemd-sysctl and {@code sysctl --system}: files from
 * /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d,
 * a name in an earlier directory masking the same name in later ones, applied in file-name order,
 * then /etc/sysctl.conf; a later assignment of a key wins.
 */
final class SysctlConfFiles {
    static final List<String> DIRS = List.of("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
            "/usr/lib/sysctl.d", "/lib/sysctl.d");
    static final String SYSCTL_CONF = "/etc/sysctl.conf";

    /** One assignment found in a file. */
    record Assignment(String key, String value, String file, int line) {}

    private SysctlConfFiles() {}

    /** The effective boot assignment of every key, given file path → content. */
    static Map<String, Assignment> effective(Map<String, String> files) {
        TreeMap<String, String> byName = new TreeMap<>();
        for (String dir : DIRS) {
            for (String path : files.keySet()) {
                if (!path.startsWith(dir + "/") || !path.endsWith(".conf")) continue;
                String name = path.substring(dir.length() + 1);
                byName.putIfAbsent(name, path);
            }
        }
        List<String> order = new ArrayList<>(byName.values());
        if (files.containsKey(SYSCTL_CONF)) order.add(SYSCTL_CONF);
        Map<String, Assignment> result = new LinkedHashMap<>();
        for (String path : order) {
            for (Assignment a : parse(path, files.get(path))) result.put(a.key(), a);
        }
        return result;
    }

    /** Assignments in one file, keys in dotted form; comments (#, ;) and '-' prefixes handled. */
    static List<Assignment> parse(String path, String content) {
        List<Assignment> out = new ArrayList<>();
        if (content == null) return out;
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String key = line.substring(0, eq).trim();
            if (key.startsWith("-")) key = key.substring(1).trim();
            if (key.contains("/") && !key.contains(".")) key = key.replace('/', '.');
            out.add(new Assignment(key, SysctlValues.normalize(line.substring(eq + 1)), path, i + 1));
        }
        return out;
    }
}
