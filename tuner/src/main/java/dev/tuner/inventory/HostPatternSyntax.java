package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host entry of an inventory file, {@code name}, {@code name:port}, {@code [v6addr]:port} or a
 * range like {@code db[01:20].example.com}, turned into host names and an optional port
 * (Ansible's _expand_hostpattern).
 */
final class HostPatternSyntax {
    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");

    /** The names of an entry (made one at a time: see {@link HostRange.Names}) and its port, if it gave one. */
    record Expanded(String pattern, HostRange.Names names, Integer port) {}

    private HostPatternSyntax() {}

    /** Host names of one entry, or null after reporting the problem; {@code at} is where the entry starts. */
    static Expanded expand(String entry, Location at, Diagnostics diags) {
        String pattern = entry;
        Integer port = null;
        for (Pattern p : List.of(BRACKETED_HOSTPORT, HOSTPORT)) {
            Matcher m = p.matcher(pattern);
            if (m.matches()) {
                pattern = m.group(1);
                try {
                    port = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    diags.error(at, "port in host '" + entry + "' is out of range");
                    return null;
                }
            }
        }
        if (pattern.isBlank()) {
            diags.error(at, "empty host name in '" + entry + "'");
            return null;
        }
        if (entry.trim().endsWith(":") && port == null) {
            diags.error(at, "host '" + entry + "' ends in ':', which is reserved for a port (host:22)");
            return null;
        }
        if (pattern.trim().equals("---")) {
            diags.error(at, "host '---' is the start of a YAML document: name the file .yml so it is read as YAML");
            return null;
        }
        if (!HostRange.hasRange(pattern)) return new Expanded(entry, HostRange.Names.single(pattern), port);
        try {
            return new Expanded(entry, HostRange.parse(pattern), port);
        } catch (HostRange.RangeException e) {
            Location where = at.line() > 0 ? new Location(at.file(), at.line(), at.column() + e.offset) : at;
            diags.error(where, e.getMessage());
            return null;
        }
    }
}
