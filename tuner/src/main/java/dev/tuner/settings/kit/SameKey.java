package dev.tuner.settings.kit;

import dev.tuner.settings.Desired;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The one rule, for every kind, when several tasks of a play set the same key on a host: the
 * later task wins, as in Ansible, and the plan says so when the values differ (the earlier task
 * then shows nothing for that key, which would otherwise look like a bug). Equal values are merged
 * silently.
 */
public final class SameKey {
    private SameKey() {}

    /** Later wins, keyed by the desired key as given. */
    public static Map<String, Desired> laterWins(List<Desired> wanted, BiPredicate<String, String> sameValue, List<String> notes) {
        return laterWins(wanted, Desired::key, sameValue, notes);
    }

    /**
     * Later wins, keyed by {@code identity} (e.g. vmx keys ignore case). The result keeps the order
     * in which the winning tasks name their keys; a note per key whose values differ goes to {@code notes}.
     */
    public static Map<String, Desired> laterWins(List<Desired> wanted, Function<Desired, String> identity,
                                                 BiPredicate<String, String> sameValue, List<String> notes) {
        return laterWins(wanted, identity, Desired::value, sameValue, notes);
    }

    /**
     * Later wins where a task asks for more than a value (a template's source with its mode, owner
     * and group): {@code describe} gives all of it as text, two tasks differ when their texts do,
     * and the note shows both texts.
     */
    public static Map<String, Desired> laterWins(List<Desired> wanted, Function<Desired, String> identity,
                                                 Function<Desired, String> describe, List<String> notes) {
        return laterWins(wanted, identity, describe, java.util.Objects::equals, notes);
    }

    /**
     * Later wins where what a task asks for is more than its value: {@code setting} gives it whole
     * (the governor with the CPUs it is for), and two tasks differ when {@code sameSetting} says so.
     */
    public static Map<String, Desired> laterWins(List<Desired> wanted, Function<Desired, String> identity,
                                                 Function<Desired, String> setting, BiPredicate<String, String> sameSetting,
                                                 List<String> notes) {
        Map<String, Desired> byKey = new LinkedHashMap<>();
        for (Desired d : wanted) {
            String id = identity.apply(d);
            Desired earlier = byKey.remove(id);
            if (earlier != null && earlier.task() != d.task() && !sameSetting.test(setting.apply(earlier), setting.apply(d))) {
                notes.add(d.key() + " is set by task #" + (earlier.task() + 1) + " (" + show(setting.apply(earlier)) + ") and task #"
                        + (d.task() + 1) + " (" + show(setting.apply(d)) + "); the later one wins");
            }
            byKey.put(id, d);
        }
        return byKey;
    }

    private static String show(String v) {
        return v == null ? "removed" : v.isEmpty() ? "empty" : v;
    }
}
