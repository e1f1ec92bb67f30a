package dev.tuner.transport;

/**
 * The host answers but sudo refuses to run commands as the become user (needs a password nobody
 * gave, the password was wrong, the user may not sudo). Like an unreachable host, nothing can be
 * read or changed there, so it is a {@link TransportException}.
 */
public class BecomeException extends TransportException {
    public BecomeException(String message) {
        super(message);
    }
}
