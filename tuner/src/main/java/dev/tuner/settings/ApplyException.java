package dev.tuner.settings;

import dev.tuner.diag.TunerException;

/** A command on the host (or the API behind it) failed while applying: the host is failed, not unreachable. */
public class ApplyException extends TunerException {
    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
