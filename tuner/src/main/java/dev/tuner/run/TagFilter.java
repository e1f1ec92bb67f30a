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

    /** Ansible's Taggable.evaluate_tags: a task without tags carries the tag 'untagged'. */
    public boolean selects(List<String> taskTags) {
        Set<String> tags = new HashSet<>(taskTags);
        if (tags.isEmpty()) tags.add("untagged");
        boolean untagged = tags.equals(Set.of("untagged"));
        // ansible-playbook's default for --tags is 'all'.
        Set<String> only = this.only.isEmpty() ? Set.of("all") : this.only;
        boolean run;
        {
            run = tags.contains("always")
                    || (only.contains("all") && !tags.contains("never"))
                    || tags.stream().anyMatch(only::contains)
                    || (only.contains("tagged") && !untagged && !tags.contains("never"));
        }
        if (run && !skip.isEmpty()) {
            if (skip.contains("all")) {
                if (!tags.contains("always") || skip.contains("always")) run = false;
            } else if (tags.stream().anyMatch(skip::contains)) {
                run = false;
            } else if (skip.contains("tagged") && !untagged) {
                run = false;
            }
        }
        return run;
    }
}
