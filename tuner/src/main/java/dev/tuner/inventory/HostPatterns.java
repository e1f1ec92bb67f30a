package dev.tuner.inventory;

import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's host pattern engine (InventoryManager.get_hosts): parts separated by ',' or ':';
 * plain parts are unions, '&' parts intersect, '!' parts exclude, applied in that order whatever
 * their position; a part is a host name, a group name, a shell wildcard, or '~regex', optionally
 * with a subscript {@code [0]}, {@code [-1]}, {@code [1:3]} or {@code [2:]}.
 */
final class HostPatterns {
    static final Set<String> LOCALHOST_NAMES = Set.of("localhost", "127.0.0.1", "::1");
    private static final Pattern PART = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*::[0-9a-fA-F:.]*|([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}");
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");

    private final Map<String, Host> hosts;
    private final Map<String, List<Host>> hostsOfGroup;
    private final Function<String, Host> implicitLocalhost;

    /**
     * @param hosts every host by name, in inventory order
     * @param hostsOfGroup every group (in inventory order) with the hosts of it and its descendants, in Ansible's order
     * @param implicitLocalhost makes the implicit localhost when a pattern names it and the inventory lacks it
     */
    HostPatterns(Map<String, Host> hosts, Map<String, List<Host>> hostsOfGroup, Function<String, Host> implicitLocalhost) {
        this.hosts = hosts;
        this.hostsOfGroup = hostsOfGroup;
        this.implicitLocalhost = implicitLocalhost;
    }

    /** Hosts of {@code pattern}, narrowed by {@code limit} when it is not null or blank. */
    PatternResult select(String pattern, String limit) {
        List<String> unmatched = new ArrayList<>();
        List<Host> selected = evaluate(split(pattern), unmatched);
        if (limit != null && !limit.isBlank()) {
            Set<Host> allowed = new LinkedHashSet<>(evaluate(limitParts(limit), unmatched));
            selected = selected.stream().filter(allowed::contains).toList();
        }
        return new PatternResult(selected, unmatched.stream().distinct().toList());
    }

    /**
     * Ansible's InventoryManager.subset: the limit's parts, where a part {@code @FILE} stands for
     * the lines of FILE (one pattern each, as a retry file lists hosts).
     */
    static List<String> limitParts(String limit) {
        List<String> parts = new ArrayList<>();
        for (String part : split(limit)) {
            if (!part.startsWith("@")) {
                parts.add(part);
                continue;
            }
            Path file = Path.of(part.substring(1));
            if (!Files.isRegularFile(file)) throw new TunerException("--limit " + part + ": no file " + file);
            try {
                Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(parts::add);
            } catch (IOException | UncheckedIOException e) {
                throw new TunerException("--limit " + part + ": cannot read " + file + ": " + e.getMessage());
            }
        }
        return parts;
    }

    /** Ansible's split_host_pattern. */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        String p = pattern == null ? "" : pattern.strip();
        if (p.contains(",")) {
            for (String s : p.split(",")) parts.add(s);
        } else if (IPV6.matcher(p).matches()) {
            parts.add(p);
        } else {
            Matcher m = PART.matcher(p);
            while (m.find()) parts.add(m.group());
        }
        return parts.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private List<Host> evaluate(List<String> parts, List<String> unmatched) {
        List<String> regular = new ArrayList<>();
        List<String> intersect = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String p : parts) {
            if (p.startsWith("!")) exclude.add(p);
            else if (p.startsWith("&")) intersect.add(p);
            else regular.add(p);
        }
        if (regular.isEmpty()) regular.add("all");
        List<String> ordered = new ArrayList<>(regular);
        ordered.addAll(intersect);
        ordered.addAll(exclude);

        Set<Host> result = new LinkedHashSet<>();
        for (String p : ordered) {
            if (hosts.containsKey(p)) {
                result.add(hosts.get(p));
                continue;
            }
            Set<Host> that = new LinkedHashSet<>(matchOne(p.substring(p.startsWith("!") || p.startsWith("&") ? 1 : 0), unmatched));
            if (p.startsWith("!")) result.removeAll(that);
            else if (p.startsWith("&")) result.retainAll(that);
            else result.addAll(that);
        }
        return new ArrayList<>(result);
    }

    private List<Host> matchOne(String pattern, List<String> unmatched) {
        if (pattern.isEmpty()) throw new TunerException("empty host pattern after '&' or '!'");
        String expr = pattern;
        Integer start = null;
        Integer end = null;
        if (!pattern.startsWith("~")) {
            Matcher m = SUBSCRIPT.matcher(pattern);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    start = Integer.parseInt(m.group(2));
                } else {
                    start = Integer.parseInt(m.group(3));
                    end = m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5));
                }
            }
        }
        List<Host> found = enumerate(expr, unmatched);
        if (found.isEmpty() || start == null) return found;
        if (end != null && end != 0) {
            int last = end == -1 ? found.size() - 1 : end;
            int from = Math.min(start, found.size());
            int to = Math.min(last + 1, found.size());
            return from >= to ? List.of() : found.subList(from, to);
        }
        int index = start < 0 ? found.size() + start : start;
        if (index < 0 || index >= found.size()) {
            throw new TunerException("no host matched the subscripted pattern '" + pattern + "': '" + expr + "' has "
                    + found.size() + " host" + (found.size() == 1 ? "" : "s") + " (indexes 0.." + (found.size() - 1) + ")");
        }
        return List.of(found.get(index));
    }

    private List<Host> enumerate(String pattern, List<String> unmatched) {
        Pattern re = compile(pattern);
        Set<Host> results = new LinkedHashSet<>();
        boolean matchedGroup = false;
        for (Map.Entry<String, List<Host>> g : hostsOfGroup.entrySet()) {
            if (re.matcher(g.getKey()).lookingAt()) {
                matchedGroup = true;
                results.addAll(g.getValue());
            }
        }
        boolean special = pattern.startsWith("~") || pattern.contains(".") || pattern.contains("?")
                || pattern.contains("*") || pattern.contains("[");
        if (!matchedGroup || special) {
            for (Host h : hosts.values()) {
                if (re.matcher(h.name()).lookingAt()) results.add(h);
            }
        }
        if (results.isEmpty() && LOCALHOST_NAMES.contains(pattern)) results.add(implicitLocalhost.apply(pattern));
        if (results.isEmpty() && !matchedGroup && !pattern.equals("all")) unmatched.add(pattern);
        return new ArrayList<>(results);
    }

    /** '~' starts a regular expression matched at the start of a name; anything else is a shell wildcard matching the whole name. */
    private static Pattern compile(String pattern) {
        try {
            if (pattern.startsWith("~")) return Pattern.compile(pattern.substring(1));
            return Pattern.compile(globToRegex(pattern) + "$");
        } catch (PatternSyntaxException e) {
            throw new TunerException("invalid host pattern '" + pattern + "': " + e.getDescription());
        }
    }

    /** Python's fnmatch.translate: * ? [seq] [!seq]. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') sb.append(".*");
            else if (c == '?') sb.append('.');
            else if (c == '[') {
                int j = i;
                if (j < glob.length() && glob.charAt(j) == '!') j++;
                if (j < glob.length() && glob.charAt(j) == ']') j++;
                while (j < glob.length() && glob.charAt(j) != ']') j++;
                if (j >= glob.length()) {
                    sb.append("\\[");
                } else {
                    String body = glob.substring(i, j).replace("\\", "\\\\");
                    i = j + 1;
                    if (body.startsWith("!")) body = "^" + body.substring(1);
                    else if (body.startsWith("^")) body = "\\" + body;
                    sb.append('[').append(body.replace("[", "\\[").replace("&&", "\\&\\&")).append(']');
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return "(?s:" + sb + ")";
    }
}
