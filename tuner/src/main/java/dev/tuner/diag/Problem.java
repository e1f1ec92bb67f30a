package dev.tuner.diag;

/** One finding about user input: where it is, how bad, and what to do. */
public record Problem(Location location, Severity severity, String message) {
    public enum Severity { ERROR, WARNING }

    public static Problem error(Location at, String message) {
        return new Problem(at, Severity.ERROR, message);
    }

    public static Problem warning(Location at, String message) {
        return new Problem(at, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return location + ": " + (isError() ? "" : "warning: ") + message;
    }
}
