package dev.tuner.testing;

import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.Prompter;
import dev.tuner.transport.SshOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Shared bits of the ssh tests: skip or fail when sshd is unavailable, specs and options for a TestSshd. */
public final class SshLab {
    private SshLab() {}

    /** A real sshd for the ssh tests (see {@link Peers}). */
    public static void requireSshd() {
        Peers.require("sshd", TestSshd.unavailable());
    }

    public static ConnectionSpec spec(String host, TestSshd sshd, Path key) {
        return new ConnectionSpec(host, ConnectionSpec.SSH, "127.0.0.1", sshd.port(), "root",
                key == null ? null : key.toString(), false, "root", null, Duration.ofSeconds(10), null);
    }

    /** Nothing from the real ~/.ssh, the process environment or a terminal leaks into a test. */
    public static SshOptions options(Path emptySshDir, Path knownHosts) {
        return new SshOptions(false, knownHosts, null, Duration.ofSeconds(60), Duration.ofSeconds(15), 3,
                null, emptySshDir, List.of(), null, Map.of(), Prompter.none());
    }
}
