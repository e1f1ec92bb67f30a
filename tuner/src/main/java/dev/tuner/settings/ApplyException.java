package dev.tuner.settings;

/** A command on the host failed while applying: the host is failed, not unreachable. */
public class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }
}
