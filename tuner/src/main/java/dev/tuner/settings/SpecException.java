package dev.tuner.settings;

import dev.tuner.diag.TunerException;

/** A task's settings are invalid once templates are resolved; the caller names task and host. */
public class SpecException extends TunerException {
    public SpecException(String message) {
        super(message);
    }
}
