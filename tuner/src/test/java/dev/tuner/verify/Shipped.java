package dev.tuner.verify;

import java.net.ServerSocket;
import java.io.IOException;
import java.nio.file.Path;

/** Where the shipped verify/ directory is, and small helpers shared by the tests. */
final class Shipped {
    private Shipped() {}

    static Path verifyDir() {
        String repo = System.getProperty("tuner.repo");
        Path base = repo != null ? Path.of(repo) : Path.of("..");
        return base.resolve("verify").toAbsolutePath().normalize();
    }

    static BenchmarkCatalog catalog() {
        return BenchmarkCatalog.load(verifyDir());
    }

    /** A loopback port nobody listens on right now (other builds on this machine use ports too). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
