package dev.tuner.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands on the machine tuner runs on, with /bin/sh, like Ansible's {@code connection: local}. */
public final class LocalConnection implements Connection {
    /** How often a running command is checked for a stop request. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ConnectionSpec spec;
    private final SshOptions options;
    private final Become become;

    /** This machine as the current user, without become. */
    public static LocalConnection thisMachine() {
        return new LocalConnection(ConnectionSpec.fromVars("localhost", java.util.Map.of("ansible_connection", "local")), SshOptions.defaults());
    }

    public LocalConnection(ConnectionSpec spec, SshOptions options) {
        this.spec = spec;
        this.options = options;
        String me = System.getProperty("user.name");
        this.become = Become.needed(spec, me)
                ? new Become(spec.hostName(), me, spec.becomeUser(), options, this::run)
                : null;
    }

    @Override
    public String hostName() {
        return spec.hostName();
    }

    @Override
    public ExecResult exec(String script, byte[] stdin, Duration timeout) {
        return exec(script, stdin, timeout, StopRequest.NEVER);
    }

    @Override
    public ExecResult exec(String script, byte[] stdin, Duration timeout, StopRequest stop) {
        stop.check();
        Duration limit = timeout == null ? options.commandTimeout() : timeout;
        return become != null ? become.exec(script, stdin, limit, (command, in, t) -> run(command, in, t, stop)) : run(script, stdin, limit, stop);
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) {
        return run(command, stdin, timeout, StopRequest.NEVER);
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout, StopRequest stop) {
        Process p;
        try {
            p = new ProcessBuilder("/bin/sh", "-c", command).start();
        } catch (IOException e) {
            throw new TransportException(spec.hostName() + ": cannot start /bin/sh: " + e.getMessage(), e);
        }
        // Three pumps: a child that fills its stderr pipe while we block on stdout (or that does not
        // read its stdin) would otherwise deadlock with us.
        Pump out = new Pump(p.getInputStream());
        Pump err = new Pump(p.getErrorStream());
        Thread feeder = daemon("stdin", () -> {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // The command exited without reading all of its input, as `true` does: not an error.
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            boolean exited = waitFor(p, deadline, stop);
            if (stop.requested() && !exited) {
                killTree(p);
                throw new StopRequest.Stopped(stop.reason());
            }
            // A background child may still hold the pipes open after /bin/sh exits; it gets what is
            // left of the time.
            if (!exited || !out.join(deadline) || !err.join(deadline)) {
                killTree(p);
                throw new TransportException(spec.hostName() + ": command timed out after " + human(timeout)
                        + " and was killed (with its child processes)");
            }
            feeder.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            return new ExecResult(p.exitValue(), out.bytes(), err.bytes());
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new TransportException(spec.hostName() + ": interrupted while a command was running; it was killed", e);
        }
    }

    /** Waits for the process until the deadline or a stop request, whichever comes first; whether it exited. */
    private static boolean waitFor(Process p, long deadline, StopRequest stop) throws InterruptedException {
        while (!stop.requested()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return !p.isAlive();
            if (p.waitFor(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS)) return true;
        }
        return !p.isAlive();
    }

    /** Children first: once the shell is gone they are re-parented and no longer found as its descendants. */
    private static void killTree(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, "local-exec-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static final class Pump {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Thread thread;

        Pump(InputStream in) {
            thread = daemon("pump", () -> {
                byte[] b = new byte[65536];
                try (in) {
                    for (int n; (n = in.read(b)) > 0; ) {
                        synchronized (buf) {
                            buf.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // The stream closes when the process is killed on timeout.
                }
            });
        }

        boolean join(long deadlineNanos) throws InterruptedException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            thread.join(Math.max(1, left));
            return !thread.isAlive();
        }

        byte[] bytes() {
            synchronized (buf) {
                return buf.toByteArray();
            }
        }
    }

    @Override
    public void close() {
        // Nothing is held between commands.
    }
}
