package dev.tuner.run;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ansible's tag selection: {@code --tags} picks tasks sharing a tag ({@code all} = every task not
 * tagged {@code never}; {@code tagged}, {@code untagged} as in Ansible), {@code always} runs unless
 * skipped by name, {@code never} runs only when asked for, {@code --skip-tags} wins.
 */
public record TagFilter(Set<String> only, Set<String> skip) {
    public static final TagFilter ALL = new TagFilter(Set.of(), Set.of());

    public static TagFilter of(Collection<String> only, Collection<String> skip) {
        return new TagFilter(split(only), split(skip));
    }

    private static Set<String> split(Collection<String> values) {
        Set<String> out = new HashSet<>();
        for (String v : values) for (String s : v.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    public boolean selects(List<String> tags) {
        Set<String> t = new HashSet<>(tags);
        if (!skip.isEmpty()) {
            if (t.stream().anyMatch(skip::contains)) return false;
            if (skip.contains("tagged") && !t.isEmpty()) return false;
            if (skip.contains("untagged") && t.isEmpty()) return false;
        }
        if (t.contains("always")) return true;
        if (only.isEmpty() || only.contains("all")) return !t.contains("never") || t.stream().anyMatch(x -> !x.equals("never") && only.contains(x));
        if (t.stream().anyMatch(only::contains)) return true;
        if (only.contains("tagged") && !t.isEmpty() && !t.contains("never")) return true;
        return only.contains("untagged") && t.isEmpty();
    }
}
