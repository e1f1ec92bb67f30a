package dev.tuner.testing;

import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only connection to this machine: {@code /bin/sh -c} through ProcessBuilder, which is what
 * a local host really is. Counts execs so tests can check how many round trips the runner makes.
 */
public final class LocalShell implements Connection {
    private final String name;
    public final AtomicInteger execs = new AtomicInteger();

    public LocalShell(String name) {
        this.name = name;
    }

    @Override
    public String hostName() {
        return name;
    }

    @Override
    public ExecResult exec(String script, byte[] stdin, Duration timeout) {
        execs.incrementAndGet();
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TransportException(name + ": command timed out after " + timeout.toSeconds() + "s");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new TransportException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(name + ": interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {}
}
