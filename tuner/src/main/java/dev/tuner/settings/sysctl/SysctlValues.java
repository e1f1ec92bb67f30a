package dev.tuner.settings.sysctl;

import java.util.List;

/** Turning playbook values into the text the kernel takes, and comparing what the kernel prints. */
final class SysctlValues {
    private SysctlValues() {}

    /** The kernel's text for a YAML value: booleans as 1/0, lists joined by spaces, whitespace collapsed. */
    static String fromYaml(Object v) {
        if (v == null) throw new IllegalArgumentException("no value given");
        if (v instanceof Boolean b) return b ? "1" : "0";
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(fromYaml(o));
            }
            return sb.toString();
        }
        if (v instanceof Double d && d == Math.rint(d)) return String.valueOf(d.longValue());
        if (v instanceof java.util.Map) throw new IllegalArgumentException("a mapping is not a sysctl value");
        String s = String.valueOf(v);
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0)
            throw new IllegalArgumentException("a sysctl value must be one line");
        String lower = s.trim().toLowerCase();
        if (lower.equals("true") || lower.equals("yes") || lower.equals("on")) return "1";
        if (lower.equals("false") || lower.equals("no") || lower.equals("off")) return "0";
        return normalize(s);
    }

    static String normalize(String s) {
        return dev.tuner.settings.Values.normalize(s);
    }

    static boolean same(String a, String b) {
        return dev.tuner.settings.Values.same(a, b);
    }
}
