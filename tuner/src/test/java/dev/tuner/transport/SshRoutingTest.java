package dev.tuner.transport;

import dev.tuner.testing.SshLab;
import dev.tuner.testing.TestSshd;
import dev.tuner.transport.ssh.SshConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ~/.ssh/config aliases, ProxyJump through a second real sshd, and a host dying mid-command. */
class SshRoutingTest {
    @TempDir
    static Path tmp;
    static TestSshd target;
    static TestSshd jump;
    static Path key;
    static Path knownHosts;

    @BeforeAll
    static void up() throws Exception {
        SshLab.requireSshd();
        key = TestSshd.keygen(tmp.resolve("keys/id_ed25519"), "ed25519", "");
        target = TestSshd.start(tmp.resolve("target"), Path.of(key + ".pub"));
        jump = TestSshd.start(tmp.resolve("jump"), Path.of(key + ".pub"));
        knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, target.knownHostsLine() + "\n" + jump.knownHostsLine() + "\n");
    }

    @AfterAll
    static void down() {
        if (target != null) target.close();
        if (jump != null) jump.close();
    }

    private static ConnectionSpec aliasSpec(String alias, String commonArgs) {
        // What an inventory line "web1 ansible_host=<alias>" gives: no user, no key, default port.
        return new ConnectionSpec("web1", "ssh", alias, 22, null, null, false, "root", commonArgs,
                Duration.ofSeconds(10), null);
    }

    private static SshOptions withConfig(String config) throws Exception {
        Path file = Files.createTempFile(tmp, "ssh_config", "");
        Files.writeString(file, config);
        return SshLab.options(tmp.resolve("empty"), knownHosts).withSshConfigFile(file);
    }

    @Test
    void sshConfigAliasGivesHostNamePortUserAndKey() throws Exception {
        SshOptions o = withConfig("""
                Host lab-web
                    HostName 127.0.0.1
                    Port %d
                    User root
                    IdentityFile %s
                """.formatted(target.port(), key));
        try (Connection c = ConnectionFactory.open(aliasSpec("lab-web", null), o)) {
            assertThat(((SshConnection) c).target()).isEqualTo("root@127.0.0.1:" + target.port());
            assertThat(c.exec("echo aliased").out()).isEqualTo("aliased\n");
        }
    }

    @Test
    void inventoryValuesWinOverTheSshConfig() throws Exception {
        SshOptions o = withConfig("""
                Host lab-web
                    HostName 127.0.0.1
                    Port 1
                    User nobody
                """);
        ConnectionSpec spec = new ConnectionSpec("web1", "ssh", "lab-web", target.port(), "root", key.toString(),
                false, "root", null, Duration.ofSeconds(10), null);
        try (Connection c = ConnectionFactory.open(spec, o)) {
            assertThat(((SshConnection) c).target()).isEqualTo("root@127.0.0.1:" + target.port());
        }
    }

    @Test
    void proxyJumpFromTheSshConfigGoesThroughTheJumpHost() throws Exception {
        SshOptions o = withConfig("""
                Host bastion
                    HostName 127.0.0.1
                    Port %d
                    User root
                    IdentityFile %s
                Host behind
                    HostName 127.0.0.1
                    Port %d
                    User root
                    IdentityFile %s
                    ProxyJump bastion
                """.formatted(jump.port(), key, target.port(), key));
        int jumpLogins = jump.acceptedLogins();
        int targetLogins = target.acceptedLogins();
        try (Connection c = ConnectionFactory.open(aliasSpec("behind", null), o)) {
            assertThat(c.exec("echo behind the bastion").out()).isEqualTo("behind the bastion\n");
            assertThat(c.exec("echo $SSH_CLIENT").out()).startsWith("127.0.0.1 ");
        }
        assertThat(jump.acceptedLogins() - jumpLogins).isEqualTo(1);
        assertThat(target.acceptedLogins() - targetLogins).isEqualTo(1);
    }

    @Test
    void proxyJumpFromAnsibleSshCommonArgs() throws Exception {
        ConnectionSpec spec = new ConnectionSpec("web1", "ssh", "127.0.0.1", target.port(), "root", key.toString(),
                false, "root", "-o ProxyJump=root@127.0.0.1:" + jump.port(), Duration.ofSeconds(10), null);
        SshOptions o = SshLab.options(tmp.resolve("empty"), knownHosts);
        int jumpLogins = jump.acceptedLogins();
        try (Connection c = ConnectionFactory.open(spec, o)) {
            assertThat(c.exec("echo jumped").out()).isEqualTo("jumped\n");
        }
        assertThat(jump.acceptedLogins() - jumpLogins).isEqualTo(1);
    }

    @Test
    void unknownJumpHostIsRefusedAndNamedAsTheJumpHost() throws Exception {
        Path onlyTarget = tmp.resolve("kh-only-target");
        Files.writeString(onlyTarget, target.knownHostsLine() + "\n");
        ConnectionSpec spec = new ConnectionSpec("web1", "ssh", "127.0.0.1", target.port(), "root", key.toString(),
                false, "root", "-J root@127.0.0.1:" + jump.port(), Duration.ofSeconds(10), null);
        SshOptions o = SshLab.options(tmp.resolve("empty"), onlyTarget).withIdentityFiles(java.util.List.of(key));
        assertThatThrownBy(() -> ConnectionFactory.open(spec, o))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("jump host root@127.0.0.1:" + jump.port() + " for web1")
                .hasMessageContaining("--accept-new-host-keys");
    }

    @Test
    void sshdKilledMidCommandIsATransportErrorAndStaysOne() throws Exception {
        Path kh = tmp.resolve("kh-doomed");
        try (TestSshd doomed = TestSshd.start(tmp.resolve("doomed"), Path.of(key + ".pub"))) {
            Files.writeString(kh, doomed.knownHostsLine() + "\n");
            Connection c = ConnectionFactory.open(SshLab.spec("doomed", doomed, key), SshLab.options(tmp.resolve("empty"), kh));
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(
                    () -> c.exec("sleep 53; echo survived", null, Duration.ofSeconds(60)));
            SshConnectionTest.awaitProcess("sleep 53");
            doomed.kill();
            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("doomed")
                    .hasMessageContaining("connection lost");
            assertThatThrownBy(() -> c.exec("echo again"))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("connection lost");
            c.close();
        }
    }
}
