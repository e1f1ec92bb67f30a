package dev.tuner.settings;

/** A task's settings are invalid once templates are resolved; the caller names task and host. */
public class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }
}
