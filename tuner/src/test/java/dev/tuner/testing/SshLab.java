package dev.tuner.testing;

import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.Prompter;
import dev.tuner.transport.SshOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Shared bits of the ssh tests: skip or fail when sshd is unavailable, specs and options for a TestSshd. */
public final class SshLab {
    private SshLab() {}

    /** In CI a missing sshd is a failure; elsewhere the test is skipped, saying why. */
    public static void requireSshd() {
        String why = TestSshd.unavailable();
        if (why == null) return;
        if (System.getenv("CI") != null) Assertions.fail("ssh tests need a real sshd: " + why);
        Assumptions.abort("ssh tests need a real sshd: " + why);
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
