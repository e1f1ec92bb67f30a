package dev.tuner.settings;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which benchmarks (names of verify/*.yml definitions) show the effect of a kind's change when
 * neither its task nor its play says {@code verify:}. Written as rules, so the words in the docs
 * and what a run measures come from the same declaration: the first rule that applies to a change
 * names its benchmark; no rule, nothing sensible measures it.
 */
public final class DefaultBenchmarks {
    /** A change that {@code applies} is measured with {@code benchmark}; {@code when} says which, in words (null: every change). */
    public record Rule(String benchmark, String when, Predicate<Change> applies) {}

    private final List<Rule> rules;

    private DefaultBenchmarks(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DefaultBenchmarks none() {
        return new DefaultBenchmarks(List.of());
    }

    /** Every change of the kind is measured with this benchmark. */
    public static DefaultBenchmarks always(String benchmark) {
        return new DefaultBenchmarks(List.of(new Rule(benchmark, null, c -> true)));
    }

    public static DefaultBenchmarks firstOf(Rule... rules) {
        return new DefaultBenchmarks(List.of(rules));
    }

    public static Rule rule(String benchmark, String when, Predicate<Change> applies) {
        return new Rule(benchmark, when, applies);
    }

    /** The benchmarks for one change: the first applying rule's, or none. */
    public List<String> forChange(Change change) {
        return rules.stream().filter(r -> r.applies().test(change)).findFirst().map(r -> List.of(r.benchmark())).orElse(List.of());
    }

    /** In words, for the kinds table: "cpu", "disk for vm.dirty_*, memory for vm.swappiness", "none". */
    public String doc() {
        if (rules.isEmpty()) return "none";
        return rules.stream().map(r -> r.when() == null ? r.benchmark() : r.benchmark() + " for " + r.when()).collect(Collectors.joining(", "));
    }
}
