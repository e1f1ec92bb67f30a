package dev.tuner.transport;

import dev.tuner.diag.TunerException;

/** The host could not be reached, or the connection broke: the host is unreachable, not failed. */
public class TransportException extends TunerException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
