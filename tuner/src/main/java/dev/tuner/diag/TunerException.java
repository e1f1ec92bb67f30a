package dev.tuner.diag;

/**
 * An error meant for the user: its message is printed as is, without a stack trace. Every failure
 * a setting kind or a client raises is one of these, so the host engine can turn any of them into
 * a failed host (reverted as promised) without matching on message text.
 *
 * <p>Where it happened travels with it: the host, the task and the kind, each filled in by the
 * first layer that knows it ({@link #at}); {@link #where()} says it in one line.
 */
public class TunerException extends RuntimeException {
    private volatile String host;
    private volatile String task;
    private volatile String kind;

    public TunerException(String message) {
        super(message);
    }

    public TunerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Fills in what is not known yet (null leaves a field as it is); returns this exception. */
    public TunerException at(String host, String task, String kind) {
        if (this.host == null) this.host = host;
        if (this.task == null) this.task = task;
        if (this.kind == null) this.kind = kind;
        return this;
    }

    public String host() {
        return host;
    }

    public String task() {
        return task;
    }

    public String kind() {
        return kind;
    }

    /** "host h, task 't', kind k" with what is known, or "" when nothing is. */
    public String where() {
        StringBuilder sb = new StringBuilder();
        if (host != null) sb.append("host ").append(host);
        if (task != null) sb.append(sb.isEmpty() ? "" : ", ").append("task '").append(task).append('\'');
        if (kind != null) sb.append(sb.isEmpty() ? "" : ", ").append("kind ").append(kind);
        return sb.toString();
    }
}
