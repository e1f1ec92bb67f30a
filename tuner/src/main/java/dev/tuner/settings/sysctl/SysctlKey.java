package dev.tuner.settings.sysctl;

import java.util.regex.Pattern;

/**
 * A sysctl name, in dotted form ({@code net.ipv4.tcp_rmem}) or slash form
 * ({@code net/ipv4/conf/eth0.100/rp_filter}, needed when an interface name holds a dot).
 * Only {@code [A-Za-z0-9_./-]} is accepted, so a key can never carry shell syntax.
 */
public record SysctlKey(String name) {
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_-]+([./][A-Za-z0-9_-]+)+");
    private static final Pattern SLASH_SYNTAX = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)+");

    /** Why the name is not a valid sysctl key, or null when it is. */
    public static String syntaxError(String name) {
        if (name == null || name.isEmpty()) return "empty sysctl key";
        if (name.contains("/")) {
            if (!SLASH_SYNTAX.matcher(name).matches() || name.contains("..") || name.startsWith("/"))
                return "invalid sysctl key '" + name + "': in slash form use segments of [A-Za-z0-9_.-] separated by '/'";
            return null;
        }
        if (!SYNTAX.matcher(name).matches())
            return "invalid sysctl key '" + name + "': expected dotted names of [A-Za-z0-9_-], e.g. vm.swappiness";
        return null;
    }

    public static SysctlKey of(String name) {
        String err = syntaxError(name);
        if (err != null) throw new IllegalArgumentException(err);
        return new SysctlKey(name);
    }

    /** The file under /proc/sys holding the value. */
    public String procPath() {
        return "/proc/sys/" + (name.contains("/") ? name : name.replace('.', '/'));
    }

    /** The dotted name used in files and output (slash names whose segments hold dots stay as given). */
    public String canonical() {
        if (!name.contains("/")) return name;
        String[] parts = name.split("/");
        for (String p : parts) if (p.contains(".")) return name;
        return String.join(".", parts);
    }
}
