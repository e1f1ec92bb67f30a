package dev.tuner.transport;

import dev.tuner.testing.SshLab;
import dev.tuner.testing.TestSshd;
import dev.tuner.transport.ssh.SshConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands over ssh against Debian's real sshd: output, input, exit codes, reuse, timeouts. */
class SshConnectionTest {
    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static Path key;
    static Path knownHosts;

    @BeforeAll
    static void up() throws Exception {
        SshLab.requireSshd();
        key = TestSshd.keygen(tmp.resolve("client/id_ed25519"), "ed25519", "");
        sshd = TestSshd.start(tmp.resolve("sshd"), Path.of(key + ".pub"));
        knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
    }

    @AfterAll
    static void down() {
        if (sshd != null) sshd.close();
    }

    private static Connection connect() {
        return ConnectionFactory.open(SshLab.spec("web1", sshd, key),
                SshLab.options(tmp.resolve("home-ssh"), knownHosts));
    }

    /**
     * Commands that end at once, with and without input they never read: JSch used to start its
     * stdin thread only after the exec request, and a command that was already over made that fail
     * ("this.thread is null"), reported as a lost connection although the command had run.
     */
    @Test
    void commandsThatEndBeforeTheirInputIsSentStillReportTheirExit() throws Exception {
        byte[] unread = "input nobody reads\n".repeat(64).getBytes(StandardCharsets.UTF_8);
        // Several connections at once, as a run with forks has: the window is widest on a busy machine.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 6; t++) {
                done.add(pool.submit(() -> {
                    try (Connection c = connect()) {
                        for (int i = 0; i < 150; i++) {
                            ExecResult r = c.exec("exit " + (i % 3), i % 2 == 0 ? unread : null, Duration.ofSeconds(30));
                            assertThat(r.exitCode()).as("command %d", i).isEqualTo(i % 3);
                        }
                        assertThat(c.exec("cat", "read whole".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)).out())
                                .isEqualTo("read whole");
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void returnsStdoutStderrAndExitCode() {
        try (Connection c = connect()) {
            ExecResult r = c.exec("echo out; echo err >&2; exit 3");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.out()).isEqualTo("out\n");
            assertThat(r.err()).isEqualTo("err\n");
            assertThat(c.exec("true").ok()).isTrue();
            assertThat(c.hostName()).isEqualTo("web1");
            assertThat(((SshConnection) c).target()).isEqualTo("root@127.0.0.1:" + sshd.port());
        }
    }

    @Test
    void scriptsWithQuotesAndMetacharactersArriveVerbatim() {
        try (Connection c = connect()) {
            String script = "x='it'\"'\"'s $HOME; `date` | & > <'; printf '%s\\n' \"$x\"";
            assertThat(c.exec(script).out()).isEqualTo("it's $HOME; `date` | & > <\n");
        }
    }

    @Test
    void binaryStdinRoundTripsUnchanged() {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        try (Connection c = connect()) {
            ExecResult r = c.exec("cat", data, Duration.ofSeconds(60));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(data);
        }
    }

    @Test
    void largeStdoutAndStderrAtOnceAreCapturedWhole() {
        try (Connection c = connect()) {
            // Both streams several MB at once: a client that reads them one after the other stalls here.
            ExecResult r = c.exec("head -c 4000000 /dev/zero | tr '\\0' o & head -c 2000000 /dev/zero | tr '\\0' e >&2; wait",
                    null, Duration.ofSeconds(60));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).hasSize(4_000_000).containsOnly((byte) 'o');
            assertThat(r.stderr()).hasSize(2_000_000).containsOnly((byte) 'e');
        }
    }

    @Test
    void manyCommandsShareOneSession() throws Exception {
        int before = sshd.acceptedLogins();
        try (Connection c = connect()) {
            for (int i = 0; i < 25; i++) {
                assertThat(c.exec("echo " + i).out()).isEqualTo(i + "\n");
            }
        }
        assertThat(sshd.acceptedLogins() - before).as("logins for 25 commands").isEqualTo(1);
    }

    @Test
    void commandTimeoutKillsTheRemoteCommandAndKeepsTheSession() throws Exception {
        try (Connection c = connect()) {
            assertThatThrownBy(() -> c.exec("sleep 47 & sleep 48; echo finished", null, Duration.ofSeconds(1)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("web1")
                    .hasMessageContaining("timed out after 1s");
            // The remote commands, including the one it started in the background, are gone...
            awaitNoProcess("sleep 47");
            awaitNoProcess("sleep 48");
            // ...and the host is still usable on the same session.
            assertThat(c.exec("echo alive").out()).isEqualTo("alive\n");
        }
    }

    @Test
    void exitStatusOfAKilledCommandIsReportedLikeAShellDoes() {
        try (Connection c = connect()) {
            assertThat(c.exec("kill -KILL $$").exitCode()).isEqualTo(137);
        }
    }

    static void awaitNoProcess(String commandLine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean running = ProcessHandle.allProcesses().anyMatch(p ->
                    p.info().commandLine().map(l -> l.contains(commandLine)).orElse(false));
            if (!running) return;
            Thread.sleep(50);
        }
        throw new AssertionError("'" + commandLine + "' still running after the timeout");
    }

    static void awaitProcess(String commandLine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean running = ProcessHandle.allProcesses().anyMatch(p ->
                    p.info().commandLine().map(l -> l.contains(commandLine)).orElse(false));
            if (running) return;
            Thread.sleep(20);
        }
        throw new AssertionError("'" + commandLine + "' never started");
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
