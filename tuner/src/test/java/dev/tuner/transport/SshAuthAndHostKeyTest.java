package dev.tuner.transport;

import dev.tuner.testing.SshLab;
import dev.tuner.testing.TestSshd;
import dev.tuner.transport.ssh.SshConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host key checking, authentication and connection failures against a real sshd. */
class SshAuthAndHostKeyTest {
    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static Path key;
    static Path agentKey;
    static Path lockedKey;
    static Path strangerKey;
    static final String PASSPHRASE = "correct horse 'battery' $staple";

    @BeforeAll
    static void up() throws Exception {
        SshLab.requireSshd();
        key = TestSshd.keygen(tmp.resolve("keys/id_ed25519"), "ed25519", "");
        agentKey = TestSshd.keygen(tmp.resolve("keys/agent_ecdsa"), "ecdsa", "");
        lockedKey = TestSshd.keygen(tmp.resolve("keys/locked_ed25519"), "ed25519", PASSPHRASE);
        strangerKey = TestSshd.keygen(tmp.resolve("keys/stranger"), "ed25519", "");
        sshd = TestSshd.start(tmp.resolve("sshd"), pub(key), pub(agentKey), pub(lockedKey));
    }

    @AfterAll
    static void down() {
        if (sshd != null) sshd.close();
    }

    static Path pub(Path k) {
        return Path.of(k + ".pub");
    }

    private Path knownHosts(String name, String... lines) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
        return f;
    }

    private SshOptions options(Path knownHosts) {
        return SshLab.options(tmp.resolve("empty-ssh-dir"), knownHosts);
    }

    @Test
    void changedHostKeyIsRefusedNamingHostKeyTypeFingerprintFileAndLine() throws Exception {
        Path impostor = TestSshd.keygen(tmp.resolve("impostor/key"), "ed25519", "");
        String[] imp = Files.readString(pub(impostor)).split("\\s+");
        Path kh = knownHosts("kh-changed", "other.example.com " + imp[0] + " " + imp[1],
                "[127.0.0.1]:" + sshd.port() + " " + imp[0] + " " + imp[1]);
        assertThatThrownBy(() -> ConnectionFactory.open(SshLab.spec("db7", sshd, key), options(kh)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db7")
                .hasMessageContaining("root@127.0.0.1:" + sshd.port())
                .hasMessageContaining("CHANGED")
                .hasMessageContaining("ssh-ed25519 key " + sshd.hostKeyFingerprint())
                .hasMessageContaining(kh + " line 2");
    }

    @Test
    void unknownHostIsRefusedWithAdvice() throws Exception {
        Path kh = knownHosts("kh-empty");
        assertThatThrownBy(() -> ConnectionFactory.open(SshLab.spec("db8", sshd, key), options(kh)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db8")
                .hasMessageContaining("unknown")
                .hasMessageContaining(sshd.hostKeyFingerprint())
                .hasMessageContaining("--accept-new-host-keys");
        assertThat(Files.readString(kh)).isEmpty();
    }

    @Test
    void acceptNewRecordsTheKeyAndTheNextConnectionPassesStrictly() throws Exception {
        Path kh = tmp.resolve("new-dir/known_hosts"); // neither file nor directory exists yet
        try (Connection c = ConnectionFactory.open(SshLab.spec("db9", sshd, key), options(kh).withAcceptNewHostKeys(true))) {
            assertThat(c.exec("echo first").out()).isEqualTo("first\n");
        }
        assertThat(Files.readAllLines(kh)).containsExactly(sshd.knownHostsLine());
        try (Connection c = ConnectionFactory.open(SshLab.spec("db9", sshd, key), options(kh))) {
            assertThat(c.exec("echo second").out()).isEqualTo("second\n");
        }
        assertThat(Files.readAllLines(kh)).hasSize(1);
    }

    @Test
    void hashedKnownHostsEntriesAreHonoured() throws Exception {
        Path kh = knownHosts("kh-hashed", sshd.knownHostsLine());
        TestSshd.run("ssh-keygen", "-H", "-f", kh.toString());
        assertThat(Files.readString(kh)).startsWith("|1|").doesNotContain("127.0.0.1");
        try (Connection c = ConnectionFactory.open(SshLab.spec("db10", sshd, key), options(kh))) {
            assertThat(c.exec("echo hashed").out()).isEqualTo("hashed\n");
        }
    }

    @Test
    void knownHostsFileFromTheInventoryVariable() throws Exception {
        Path kh = knownHosts("kh-inventory", sshd.knownHostsLine());
        ConnectionSpec spec = ConnectionSpec.fromVars("db11", Map.of(
                "ansible_host", "127.0.0.1", "ansible_port", sshd.port(), "ansible_user", "root",
                "ansible_ssh_private_key_file", key.toString(), "tuner_known_hosts", kh.toString()));
        assertThat(spec.knownHostsFile()).isEqualTo(kh.toString());
        SshOptions noOverride = options(null);
        try (Connection c = ConnectionFactory.open(spec, noOverride)) {
            assertThat(c.exec("echo inv").out()).isEqualTo("inv\n");
        }
    }

    @Test
    void sshAgentKeysAreUsedWithoutAnyKeyFile() throws Exception {
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(sock) && System.nanoTime() < deadline) Thread.sleep(20);
            ProcessBuilder add = new ProcessBuilder("ssh-add", agentKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process p = add.start();
            assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();

            Path kh = knownHosts("kh-agent", sshd.knownHostsLine());
            SshOptions o = options(kh).withEnv(Map.of("SSH_AUTH_SOCK", sock.toString()));
            try (Connection c = ConnectionFactory.open(SshLab.spec("db12", sshd, null), o)) {
                assertThat(c.exec("echo via agent").out()).isEqualTo("via agent\n");
            }
            assertThat(sshd.log()).contains("Accepted publickey for root from 127.0.0.1")
                    .contains("ECDSA " + TestSshd.run("ssh-keygen", "-l", "-f", pub(agentKey).toString()).split("\\s+")[1]);
        } finally {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void passphraseProtectedKeyWithTheEnvironmentVariable() throws Exception {
        Path kh = knownHosts("kh-pass", sshd.knownHostsLine());
        SshOptions o = options(kh).withEnv(Map.of(SshOptions.PASSPHRASE_ENV, PASSPHRASE));
        try (Connection c = ConnectionFactory.open(SshLab.spec("db13", sshd, lockedKey), o)) {
            assertThat(c.exec("echo unlocked").out()).isEqualTo("unlocked\n");
        }
    }

    @Test
    void passphraseFromThePrompterWhenTheEnvironmentHasNone() throws Exception {
        Path kh = knownHosts("kh-prompt", sshd.knownHostsLine());
        StringBuilder asked = new StringBuilder();
        SshOptions o = options(kh).withPrompter(prompt -> {
            asked.append(prompt);
            return PASSPHRASE;
        });
        try (Connection c = ConnectionFactory.open(SshLab.spec("db14", sshd, lockedKey), o)) {
            assertThat(c.exec("echo prompted").out()).isEqualTo("prompted\n");
        }
        assertThat(asked.toString()).contains(lockedKey.toString());
    }

    @Test
    void lockedKeyWithoutPassphraseFailsSayingHowToGiveOne() throws Exception {
        Path kh = knownHosts("kh-locked", sshd.knownHostsLine());
        assertThatThrownBy(() -> ConnectionFactory.open(SshLab.spec("db15", sshd, lockedKey), options(kh)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("root@127.0.0.1:" + sshd.port())
                .hasMessageContaining("authentication failed")
                .hasMessageContaining(lockedKey.toString())
                .hasMessageContaining(SshOptions.PASSPHRASE_ENV);
    }

    @Test
    void authenticationFailureListsWhatWasTried() throws Exception {
        Path kh = knownHosts("kh-auth", sshd.knownHostsLine());
        assertThatThrownBy(() -> ConnectionFactory.open(SshLab.spec("db16", sshd, strangerKey), options(kh)))
                .isInstanceOf(TransportException.class)
                .hasMessage("ssh root@127.0.0.1:" + sshd.port() + " (db16): authentication failed (tried: no ssh-agent"
                        + " (SSH_AUTH_SOCK unset), publickey " + strangerKey + ", no password ("
                        + SshOptions.PASSWORD_ENV + " unset, no terminal))");
    }

    @Test
    void missingKeyFileIsNamed() throws Exception {
        Path kh = knownHosts("kh-missing", sshd.knownHostsLine());
        Path nowhere = tmp.resolve("no/such/key");
        assertThatThrownBy(() -> ConnectionFactory.open(SshLab.spec("db17", sshd, nowhere), options(kh)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining(nowhere + " does not exist");
    }

    @Test
    void refusedConnectionNamesUserHostAndPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectionSpec spec = new ConnectionSpec("db18", "ssh", "127.0.0.1", closed, "deploy", key.toString(),
                false, "root", null, Duration.ofSeconds(5), null);
        assertThatThrownBy(() -> ConnectionFactory.open(spec, options(knownHosts("kh-refused"))))
                .isInstanceOf(TransportException.class)
                .hasMessage("ssh deploy@127.0.0.1:" + closed + " (db18): connection refused (is sshd running on port "
                        + closed + "?)");
    }

    @Test
    void unknownHostNameIsADnsFailure() throws Exception {
        ConnectionSpec spec = new ConnectionSpec("db19", "ssh", "no-such-host.invalid", 22, "root", key.toString(),
                false, "root", null, Duration.ofSeconds(5), null);
        assertThatThrownBy(() -> ConnectionFactory.open(spec, options(knownHosts("kh-dns"))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("root@no-such-host.invalid:22")
                .hasMessageContaining("cannot resolve host name 'no-such-host.invalid'");
    }

    @Test
    void rsaHostAndUserKeysWorkWithSha2Signatures() throws Exception {
        // OpenSSH 9.2 refuses SHA-1 "ssh-rsa" signatures: RSA only works with rsa-sha2-256/512.
        Path rsaUser = TestSshd.keygen(tmp.resolve("rsa/id_rsa"), "rsa", "");
        try (TestSshd rsaSshd = TestSshd.start(tmp.resolve("rsa-sshd"), "rsa", pub(rsaUser))) {
            Path kh = knownHosts("kh-rsa", rsaSshd.knownHostsLine());
            assertThat(rsaSshd.knownHostsLine()).contains(" ssh-rsa ");
            try (Connection c = ConnectionFactory.open(SshLab.spec("db20", rsaSshd, rsaUser), options(kh))) {
                assertThat(c.exec("echo rsa").out()).isEqualTo("rsa\n");
            }
            assertThat(rsaSshd.log()).contains("Accepted publickey for root from 127.0.0.1").contains("RSA SHA256:");
        }
    }

    @Test
    void defaultKeysComeFromTheUserSshDirectory() throws Exception {
        Path home = tmp.resolve("home-with-key");
        Files.createDirectories(home);
        Files.copy(key, home.resolve("id_ed25519"));
        Path kh = knownHosts("kh-default", sshd.knownHostsLine());
        SshOptions o = SshLab.options(home, kh);
        try (Connection c = ConnectionFactory.open(SshLab.spec("db21", sshd, null), o)) {
            assertThat(c.exec("echo default key").out()).isEqualTo("default key\n");
            assertThat(((SshConnection) c).target()).isEqualTo("root@127.0.0.1:" + sshd.port());
        }
    }
}
