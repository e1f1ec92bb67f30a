package dev.tuner.settings.vmx;

import dev.tuner.settings.ApplyException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.TransportException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * After a power cycle the guest boots for a while: reconnect until a command runs there again. The
 * connection the kind was given died with the guest, so each attempt asks for a new one.
 */
final class GuestWait {
    private GuestWait() {}

    /** Returns the new connection once {@code true} runs in the guest; throws ApplyException after the timeout. */
    static Connection until(String what, Supplier<Connection> reconnect, Duration timeout, Duration firstPause) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = Math.max(1, firstPause.toMillis());
        String last = "no attempt";
        while (true) {
            try {
                Connection c = reconnect.get();
                ExecResult r = c.exec("true", null, Duration.ofSeconds(10));
                if (r.ok()) {
                    return c;
                }
                last = "exit " + r.exitCode() + ": " + (r.out() + r.err()).strip();
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                throw new ApplyException(what + " did not answer within " + timeout.toSeconds() + "s after the power-on (last: " + last + ")");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while waiting for " + what);
            }
            // Booting takes tens of seconds: do not hammer sshd, but notice it soon once it is up.
            pause = Math.min(pause * 2, 5000);
        }
    }
}
