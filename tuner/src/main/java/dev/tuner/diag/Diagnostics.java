package dev.tuner.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found in the input instead of stopping at the first, so a user fixes a
 * file in one pass. Thread-safe because files may be checked in parallel.
 */
public final class Diagnostics {
    private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());

    public void error(Location at, String message) {
        problems.add(Problem.error(at, message));
    }

    public void warning(Location at, String message) {
        problems.add(Problem.warning(at, message));
    }

    public void add(Problem p) {
        problems.add(p);
    }

    public void addAll(Diagnostics other) {
        problems.addAll(other.all());
    }

    public boolean hasErrors() {
        synchronized (problems) {
            return problems.stream().anyMatch(Problem::isError);
        }
    }

    public int errorCount() {
        synchronized (problems) {
            return (int) problems.stream().filter(Problem::isError).count();
        }
    }

    /** All problems ordered by file, line and column. */
    public List<Problem> all() {
        synchronized (problems) {
            List<Problem> copy = new ArrayList<>(problems);
            copy.sort(Comparator.comparing((Problem p) -> p.location().file())
                    .thenComparingInt(p -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            return copy;
        }
    }

    /** Throws {@link InputException} carrying every problem if any of them is an error. */
    public void throwIfErrors() {
        if (hasErrors()) throw new InputException(all());
    }
}
