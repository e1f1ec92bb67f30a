package dev.tuner.transport;

import java.time.Duration;

/**
 * A way to run commands on one host. Everything a setting kind does on a host goes through
 * {@link #exec}: reads are shell scripts, writes are scripts fed their content on stdin.
 * Implementations keep one session per host and are used by one thread at a time.
 */
public interface Connection extends AutoCloseable {
    /** Inventory name of the host this connection reaches. */
    String hostName();

    /**
     * Runs {@code script} with /bin/sh on the host (as root when become is on), feeding
     * {@code stdin} (may be null). A non-zero exit is returned, not thrown; a broken or
     * timed-out connection throws {@link TransportException}.
     */
    ExecResult exec(String script, byte[] stdin, Duration timeout);

    /**
     * Like {@link #exec(String, byte[], Duration)}, but a command still running when {@code stop}
     * is requested is killed on the host and {@link StopRequest.Stopped} thrown; the connection
     * stays usable. One that cannot stop a command runs it to its end.
     */
    default ExecResult exec(String script, byte[] stdin, Duration timeout, StopRequest stop) {
        stop.check();
        return exec(script, stdin, timeout);
    }

    default ExecResult exec(String script) {
        return exec(script, null, Duration.ofMinutes(5));
    }

    /**
     * Runs a script given on stdin ({@code /bin/sh -s}), as {@link #exec} runs one given as an
     * argument. An argument is bounded by the host (ARG_MAX, sshd's packet size), stdin by nothing:
     * for scripts whose size grows with a playbook. The script's commands must not read stdin.
     */
    default ExecResult execScript(byte[] script, Duration timeout) {
        return exec("exec /bin/sh -s", script, timeout);
    }

    @Override
    void close();
}
