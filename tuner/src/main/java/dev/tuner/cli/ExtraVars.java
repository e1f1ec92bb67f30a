package dev.tuner.cli;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Ansible's -e forms: {@code k=v k2="a b"}, a JSON or YAML mapping, or {@code @file}. Later -e win. */
final class ExtraVars {
    /** The -e option's help, the same on every command that takes it. */
    static final String DESCRIPTION = "Variables of highest precedence: key=value ..., a JSON/YAML mapping, or @file.";

    private ExtraVars() {}

    static Map<String, Object> parse(List<String> args) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String a : args) out.putAll(parseOne(a));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseOne(String arg) {
        String s = arg.trim();
        if (s.startsWith("@")) {
            Path p = Path.of(s.substring(1));
            if (!Files.isRegularFile(p)) throw new InputException(Location.of("-e " + arg), "extra vars file not found: " + p);
            Diagnostics d = new Diagnostics();
            YamlDocument doc = YamlDocument.load(p, p.toString(), d);
            d.throwIfErrors();
            return mapping(doc, arg);
        }
        if (s.startsWith("{")) {
            Diagnostics d = new Diagnostics();
            YamlDocument doc = YamlDocument.parse(s, "-e", d);
            d.throwIfErrors();
            return mapping(doc, arg);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String word : shellWords(s)) {
            int eq = word.indexOf('=');
            if (eq <= 0) throw new InputException(Location.of("-e"), "expected key=value, a JSON mapping or @file, got '" + word + "'");
            String key = word.substring(0, eq);
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new InputException(Location.of("-e"), "invalid variable name '" + key + "'");
            out.put(key, scalar(word.substring(eq + 1)));
        }
        return out;
    }

    /**
     * A k=v value typed as YAML types a plain scalar (20 is a number, true a boolean, the rest
     * text), so {@code -e downloads=20} can feed a key that must be a number. Ansible passes k=v
     * values as strings; quote the value in JSON form ({@code -e '{"v": "20"}'}) to keep a string.
     */
    static Object scalar(String v) {
        if (v.isEmpty()) return v;
        Diagnostics d = new Diagnostics();
        YamlDocument doc = YamlDocument.parse(v, "-e", d);
        if (d.hasErrors() || doc == null || doc.root().isEmpty()) return v;
        Node n = doc.root().get();
        if (!(n instanceof org.yaml.snakeyaml.nodes.ScalarNode s) || s.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN) return v;
        Object typed = YamlDocument.toJava(n);
        return typed == null ? v : typed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(YamlDocument doc, String arg) {
        Node root = doc.root().orElse(null);
        if (root == null) return Map.of();
        if (!(root instanceof MappingNode)) throw new InputException(doc.at(root), "extra vars must be a mapping, got a " + YamlDocument.typeName(root));
        return (Map<String, Object>) YamlDocument.toJava(root);
    }

    /** Splits like a POSIX shell: whitespace separates words, quotes group, backslash escapes. */
    static List<String> shellWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < s.length()) cur.append(s.charAt(++i));
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new InputException(Location.of("-e"), "unclosed quote in '" + s + "'");
        if (inWord) words.add(cur.toString());
        return words;
    }
}
