package dev.tuner.settings.registry;

import dev.tuner.settings.SettingKind;
import dev.tuner.settings.TaskOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The task options the setting kinds declare ({@link SettingKind#taskOptions()}), each with the
 * kinds that take it: what the playbook parser accepts beside the base task and play keys, and
 * what the schema and the docs list. Several kinds may share an option by declaring it the same
 * way; a play's value is then the default for its tasks of every one of them.
 */
public final class KindOptions {
    /** Option names are YAML keys and appear in the schema's patterns: plain words only. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private static final KindOptions REGISTERED = of(SettingKinds.names().stream().map(SettingKinds::require).toList());

    /** An option and the kinds (registry order) whose tasks take it. */
    public record Declared(TaskOption option, List<String> kinds) {
        public Declared {
            kinds = List.copyOf(kinds);
        }

        public String name() {
            return option.name();
        }

        public boolean takenBy(String kind) {
            return kinds.contains(kind);
        }

        /** The kinds for a sentence: "a", "a and b", "a, b and c". */
        public String kindsInWords() {
            return inWords(kinds);
        }
    }

    private final Map<String, Declared> options;

    private KindOptions(Map<String, Declared> options) {
        this.options = options;
    }

    /** The options of the registered kinds. */
    public static KindOptions registered() {
        return REGISTERED;
    }

    /**
     * The options of these kinds, in the order they are first declared.
     *
     * @throws IllegalStateException when an option name is not a plain word, a kind declares one
     *     twice, or two kinds declare the same name differently
     */
    public static KindOptions of(Collection<SettingKind> kinds) {
        Map<String, TaskOption> first = new LinkedHashMap<>();
        Map<String, List<String>> takers = new LinkedHashMap<>();
        for (SettingKind kind : kinds) {
            for (TaskOption o : kind.taskOptions()) {
                if (!NAME.matcher(o.name()).matches())
                    throw new IllegalStateException("setting kind " + kind.name() + ": task option '" + o.name()
                            + "' must be a lowercase word (letters, digits, '_')");
                TaskOption earlier = first.putIfAbsent(o.name(), o);
                List<String> names = takers.computeIfAbsent(o.name(), n -> new ArrayList<>());
                if (names.contains(kind.name()))
                    throw new IllegalStateException("setting kind " + kind.name() + " declares task option '" + o.name() + "' twice");
                if (earlier != null && !earlier.equals(o))
                    throw new IllegalStateException("setting kinds " + inWords(names) + " and " + kind.name() + " declare task option '"
                            + o.name() + "' differently: a play gives one value to all of them, so declare it the same way"
                            + " (description and choices)");
                names.add(kind.name());
            }
        }
        Map<String, Declared> out = new LinkedHashMap<>();
        first.forEach((name, o) -> out.put(name, new Declared(o, takers.get(name))));
        return new KindOptions(out);
    }

    public List<Declared> all() {
        return List.copyOf(options.values());
    }

    public Set<String> names() {
        return options.keySet();
    }

    public Optional<Declared> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The options tasks of this kind take, in declaration order. */
    public List<Declared> takenBy(String kind) {
        return options.values().stream().filter(d -> d.takenBy(kind)).toList();
    }

    static String inWords(List<String> words) {
        if (words.size() <= 1) return String.join("", words);
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }
}
