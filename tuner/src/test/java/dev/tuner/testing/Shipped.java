package dev.tuner.testing;

import dev.tuner.verify.BenchmarkCatalog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Where the shipped verify/ directory is, and small helpers shared by the tests. */
public final class Shipped {
    private Shipped() {}

    public static Path verifyDir() {
        return Repo.path("verify");
    }

    public static BenchmarkCatalog catalog() {
        return BenchmarkCatalog.load(verifyDir());
    }

    /** A loopback port nobody listens on right now (other builds on this machine use ports too). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
