package dev.tuner.verify;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.Shell;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ name }}} substitution in benchmark commands. Every value is shell-quoted, so a variable
 * is always one word and never shell syntax, whatever an inventory puts in it. Deliberately no
 * expressions or filters: a benchmark command that needs logic has the shell for it.
 */
public final class Template {
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private Template() {}

    public static Set<String> variables(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        Matcher m = VAR.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    public static String render(String text, Map<String, String> values, String benchmark) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = values.get(name);
            if (v == null) {
                throw new TunerException("benchmark '" + benchmark + "' needs variable '" + name
                        + "' (give it with -e " + name + "=... or in the inventory)");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(Shell.quote(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
