package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.TransportException;

/**
 * The one error model of the host engine. Whatever a kind, a client or the engine throws while
 * working on a host becomes a {@link TunerException} that names the host (and the task and kind
 * where known): a {@link TransportException} makes the host unreachable, any other one failed.
 * An exception that is not a TunerException is a bug; it becomes an "internal error" keeping it
 * as the cause, so that host fails and is reverted like any other while the other hosts finish.
 */
public final class HostErrors {
    private HostErrors() {}

    /** The error as a TunerException with what is known of where it happened filled in. */
    public static TunerException contain(RuntimeException e, String host, String task, String kind) {
        TunerException error = e instanceof TunerException t ? t : new TunerException(internalError(e), e);
        return error.at(host, task, kind);
    }

    /** Whether the error means the host could not be reached (as opposed to: it failed). */
    public static boolean unreachable(TunerException e) {
        return e instanceof TransportException;
    }

    /** "unreachable" or "failed": how reports and the journal name a host that ended with this error. */
    public static String label(TunerException e) {
        return unreachable(e) ? "unreachable" : "failed";
    }

    static HostResult.Status status(TunerException e) {
        return unreachable(e) ? HostResult.Status.UNREACHABLE : HostResult.Status.FAILED;
    }

    /** "internal error: java.lang.X: message (at Class.method(File.java:12))": enough to find the bug in a report. */
    private static String internalError(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return "internal error: " + e + (trace.length == 0 ? "" : " (at " + trace[0] + ")");
    }
}
