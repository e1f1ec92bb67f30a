package dev.tuner.settings.sysfs;

import dev.tuner.settings.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sysfs value as the kernel prints it. Attributes that offer choices print them all with the one
 * in force in brackets ({@code always [madvise] never}, {@code [mq-deadline] kyber bfq none}): the
 * value is the bracketed word and the choices are every word. Other attributes print their value
 * (read_ahead_kb: {@code 128}), compared as {@link Values} compares them.
 *
 * @param choices empty for an attribute that does not offer choices
 */
record SysfsValue(String value, List<String> choices) {
    SysfsValue {
        choices = List.copyOf(choices);
    }

    /** Reads what the kernel printed. */
    static SysfsValue read(String text) {
        String normalized = Values.normalize(text);
        if (normalized.indexOf('[') < 0) return new SysfsValue(normalized, List.of());
        String selected = null;
        List<String> choices = new ArrayList<>();
        for (String word : normalized.split(" ")) {
            if (word.length() > 2 && word.startsWith("[") && word.endsWith("]") && word.indexOf('[', 1) < 0 && word.indexOf(']') == word.length() - 1) {
                if (selected != null) return new SysfsValue(normalized, List.of());
                selected = word.substring(1, word.length() - 1);
                choices.add(selected);
            } else if (word.indexOf('[') >= 0 || word.indexOf(']') >= 0) {
                return new SysfsValue(normalized, List.of());
            } else {
                choices.add(word);
            }
        }
        return new SysfsValue(selected, choices);
    }

    boolean offersChoices() {
        return !choices.isEmpty();
    }

    /** True when the wanted value is one this attribute offers (or it offers no choices). */
    boolean offers(String wanted) {
        return !offersChoices() || choices.contains(Values.normalize(wanted));
    }

    /** Why a YAML boolean (as the user wrote it: yes, on, true, ...) is not a sysfs value. */
    static String booleanRefusal(String written) {
        return "'" + written + "' is a YAML boolean; write the word the attribute takes, quoted (\"1\", \"Y\", \"on\", ...)";
    }

    static boolean same(String a, String b) {
        return Values.same(a, b);
    }

    /**
     * The text to write for a playbook value: numbers as written, strings trimmed. A boolean is
     * refused: sysfs spells them 1/0, Y/N or on/off depending on the attribute, so the playbook
     * must say which.
     */
    static String fromYaml(Object v) {
        if (v == null) throw new IllegalArgumentException("no value given");
        if (v instanceof Boolean b) throw new IllegalArgumentException(booleanRefusal(String.valueOf(b)));
        if (v instanceof Map || v instanceof List) throw new IllegalArgumentException("a sysfs value is a single value, not a " + (v instanceof Map ? "mapping" : "list"));
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d.longValue());
        String s = String.valueOf(v);
        if (s.chars().anyMatch(c -> c == '\n' || c == '\r')) throw new IllegalArgumentException("a sysfs value must be one line");
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) throw new IllegalArgumentException("a sysfs value must not hold control characters");
        String trimmed = s.strip();
        if (trimmed.isEmpty()) throw new IllegalArgumentException("empty value");
        return trimmed;
    }
}
