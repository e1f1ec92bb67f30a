package dev.tuner.diag;

import java.util.List;
import java.util.stream.Collectors;

/** Bad user input: carries every problem found. The CLI prints them one per line, exit 1, no stack trace. */
public class InputException extends TunerException {
    private final List<Problem> problems;

    public InputException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InputException(Location at, String message) {
        this(List.of(Problem.error(at, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
