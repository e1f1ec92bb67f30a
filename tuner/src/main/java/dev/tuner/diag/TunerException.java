package dev.tuner.diag;

/** An error meant for the user: its message is printed as is, without a stack trace. */
public class TunerException extends RuntimeException {
    public TunerException(String message) {
        super(message);
    }

    public TunerException(String message, Throwable cause) {
        super(message, cause);
    }
}
