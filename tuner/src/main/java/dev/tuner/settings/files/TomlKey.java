package dev.tuner.settings.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * TOML dotted keys: {@code plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.SystemdCgroup}.
 * Segments are bare ({@code [A-Za-z0-9_-]+}), "basic" (with escapes) or 'literal' strings; dots
 * inside quotes belong to the segment.
 */
public final class TomlKey {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");

    private TomlKey() {}

    /** Parses a dotted key; throws IllegalArgumentException saying what is wrong and where. */
    public static List<String> parse(String key) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = key.length();
        while (true) {
            while (i < n && (key.charAt(i) == ' ' || key.charAt(i) == '\t')) i++;
            if (i >= n) throw new IllegalArgumentException("'" + key + "': empty key segment at the end");
            char c = key.charAt(i);
            StringBuilder seg = new StringBuilder();
            if (c == '"') {
                i++;
                while (i < n && key.charAt(i) != '"') {
                    char x = key.charAt(i);
                    if (x == '\\') {
                        if (i + 1 >= n) break;
                        char e = key.charAt(++i);
                        switch (e) {
                            case '"' -> seg.append('"');
                            case '\\' -> seg.append('\\');
                            case 'n' -> seg.append('\n');
                            case 't' -> seg.append('\t');
                            case 'u' -> {
                                if (i + 4 >= n) throw new IllegalArgumentException("'" + key + "': bad \\u escape");
                                seg.append((char) Integer.parseInt(key.substring(i + 1, i + 5), 16));
                                i += 4;
                            }
                            default -> throw new IllegalArgumentException("'" + key + "': unknown escape \\" + e);
                        }
                        i++;
                    } else {
                        seg.append(x);
                        i++;
                    }
                }
                if (i >= n) throw new IllegalArgumentException("'" + key + "': unclosed quote");
                i++;
            } else if (c == '\'') {
                int end = key.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("'" + key + "': unclosed quote");
                seg.append(key, i + 1, end);
                i = end + 1;
            } else {
                int start = i;
                while (i < n && BARE.matcher(String.valueOf(key.charAt(i))).matches()) i++;
                if (i == start)
                    throw new IllegalArgumentException("'" + key + "': unexpected '" + key.charAt(i) + "' at position " + (i + 1)
                            + " (quote segments that contain dots or other characters, e.g. plugins.\"io.containerd.grpc.v1.cri\")");
                seg.append(key, start, i);
            }
            out.add(seg.toString());
            while (i < n && (key.charAt(i) == ' ' || key.charAt(i) == '\t')) i++;
            if (i >= n) return out;
            if (key.charAt(i) != '.')
                throw new IllegalArgumentException("'" + key + "': expected '.' at position " + (i + 1) + ", got '" + key.charAt(i) + "'");
            i++;
        }
    }

    /** One segment as TOML writes it: bare when it can be, else a basic string. */
    public static String segment(String s) {
        if (BARE.matcher(s).matches()) return s;
        return TomlValues.string(s);
    }

    public static String format(List<String> path) {
        return String.join(".", path.stream().map(TomlKey::segment).toList());
    }
}
