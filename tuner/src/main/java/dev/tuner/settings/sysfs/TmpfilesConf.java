package dev.tuner.settings.sysfs;

import dev.tuner.settings.kit.ManagedHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What systemd-tmpfiles writes into /sys at boot, following tmpfiles.d(5): files from
 * /etc/tmpfiles.d, /run/tmpfiles.d, /usr/local/lib/tmpfiles.d, /usr/lib/tmpfiles.d and
 * /lib/tmpfiles.d, a name in an earlier directory masking the same name in later ones, all read in
 * file-name order. A path written by several files is written by the earliest only (the others are
 * logged as duplicates), except {@code w+} lines, which always write. The lines are processed in
 * that order, so of all the lines whose path (a glob for {@code w}) matches an attribute, the last
 * one decides its value.
 */
final class TmpfilesConf {
    static final List<String> DIRS = List.of("/etc/tmpfiles.d", "/run/tmpfiles.d", "/usr/local/lib/tmpfiles.d",
            "/usr/lib/tmpfiles.d", "/lib/tmpfiles.d");
    /** Directories whose files survive a reboot (/run/tmpfiles.d is empty at boot). */
    static final List<String> PERSISTENT_DIRS = List.of("/etc/tmpfiles.d", "/usr/local/lib/tmpfiles.d", "/usr/lib/tmpfiles.d",
            "/lib/tmpfiles.d");

    /** One line of a tmpfiles.d file that writes a file ({@code w}, {@code w+}, with modifiers). */
    record WriteLine(String path, String value, boolean append, String file, int line) {
        String where() {
            return file + ":" + line;
        }
    }

    private TmpfilesConf() {}

    /** The value systemd-tmpfiles would leave in {@code attribute} at boot, or null when nothing writes it. */
    static WriteLine bootValue(Map<String, List<WriteLine>> effective, String attribute) {
        WriteLine last = null;
        for (Map.Entry<String, List<WriteLine>> e : effective.entrySet()) {
            if (!matches(e.getKey(), attribute)) continue;
            List<WriteLine> lines = e.getValue();
            last = lines.get(lines.size() - 1);
        }
        return last;
    }

    /** The write lines that take effect at boot, given file path → content, by path in processing order. */
    static Map<String, List<WriteLine>> effective(Map<String, String> files) {
        TreeMap<String, String> byName = new TreeMap<>();
        for (String dir : DIRS) {
            for (String path : files.keySet()) {
                if (!path.startsWith(dir + "/") || !path.endsWith(".conf")) continue;
                String name = path.substring(dir.length() + 1);
                if (name.contains("/")) continue;
                byName.putIfAbsent(name, path);
            }
        }
        Map<String, List<WriteLine>> out = new LinkedHashMap<>();
        for (String file : byName.values()) {
            for (WriteLine w : writeLines(file, files.get(file))) {
                List<WriteLine> existing = out.get(w.path());
                if (existing == null) out.put(w.path(), new ArrayList<>(List.of(w)));
                else if (w.append()) existing.add(w);
            }
        }
        return out;
    }

    /** Every line of one file that writes a file; other lines and comments are skipped. */
    static List<WriteLine> writeLines(String file, String content) {
        List<WriteLine> out = new ArrayList<>();
        if (content == null) return out;
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            WriteLine w = parse(lines[i], file, i + 1);
            if (w != null) out.add(w);
        }
        return out;
    }

    /** A {@code w} line, or null for anything else (other types, comments, malformed lines, which tmpfiles skips too). */
    static WriteLine parse(String raw, String file, int lineNo) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        Fields f = Fields.split(line);
        if (f == null || f.words().size() < 6) return null;
        String type = f.words().get(0);
        if (!type.matches("w[-+!=~^]*")) return null;
        if (f.argument() == null) return null;
        String value = f.argument();
        if (type.contains("^")) value = "credential " + value;
        else if (type.contains("~")) value = base64(value);
        else value = specifiers(unescape(value));
        return new WriteLine(f.words().get(1), value, type.contains("+"), file, lineNo);
    }

    /**
     * Our drop-in, rendered: the notice, then one line per attribute. Lines carry expanded paths,
     * never the playbook's globs (see {@link SysfsKind}).
     */
    static String render(Map<String, String> managed) {
        StringBuilder sb = new StringBuilder(ManagedHeader.hashComment());
        managed.forEach((path, line) -> sb.append(line).append('\n'));
        return sb.toString();
    }

    /** Our line for one attribute: {@code w PATH - - - - VALUE}, the value escaped so tmpfiles reads it back as it is. */
    static String line(String path, String value) {
        return "w " + path + " - - - - " + value.replace("\\", "\\\\").replace("%", "%%");
    }

    /** The lines of our drop-in by path (for {@code w} lines; other lines are kept under their text), in file order. */
    static LinkedHashMap<String, String> managedLines(String file, String content) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        if (content == null) return out;
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            WriteLine w = parse(raw, file, i + 1);
            out.put(w != null && !w.append() ? w.path() : "\0" + raw, raw);
        }
        return out;
    }

    // ------------------------------------------------------------------ the format's details

    /** The first six whitespace-separated fields (quotes allowed) and the rest of the line, the argument. */
    private record Fields(List<String> words, String argument) {
        static Fields split(String line) {
            List<String> words = new ArrayList<>();
            int i = 0;
            int n = line.length();
            while (words.size() < 6) {
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                if (i >= n) break;
                if (words.isEmpty() && line.charAt(i) == '#') return null;
                StringBuilder w = new StringBuilder();
                char quote = 0;
                while (i < n) {
                    char c = line.charAt(i);
                    if (quote != 0) {
                        if (c == quote) quote = 0;
                        else w.append(c);
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                    } else if (Character.isWhitespace(c)) {
                        break;
                    } else {
                        w.append(c);
                    }
                    i++;
                }
                words.add(w.toString());
            }
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            return new Fields(words, i < n ? line.substring(i) : null);
        }
    }

    private static boolean matches(String pattern, String attribute) {
        if (pattern.equals(attribute)) return true;
        if (!pattern.matches(".*[*?\\[{].*")) return false;
        try {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return m.matches(Path.of(attribute));
        } catch (IllegalArgumentException e) {
            // an invalid glob (PatternSyntaxException) or path: tmpfiles would skip the line too
            return false;
        }
    }

    /** C-style escapes as tmpfiles interprets them in the argument. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 's' -> out.append(' ');
                case 'x' -> {
                    if (i + 2 < s.length() && s.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        out.append('\\').append(e);
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** {@code %%} is a percent sign; other specifiers (%m, %b, ...) name host facts tuner does not expand, so they stay as written. */
    private static String specifiers(String s) {
        return s.replace("%%", "%");
    }

    private static String base64(String s) {
        try {
            return new String(Base64.getDecoder().decode(s.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
