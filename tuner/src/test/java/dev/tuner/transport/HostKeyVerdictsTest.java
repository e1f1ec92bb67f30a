package dev.tuner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.SshLab;
import dev.tuner.testing.TestSshd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenSSH's ssh is the judge: for each known_hosts file, ssh and tuner connect to the same sshd,
 * ssh with {@code StrictHostKeyChecking=yes} or {@code accept-new} and tuner without or with
 * {@code --accept-new-host-keys}, each on its own copy of the file. They must let the host in or
 * refuse it alike, for the same reason (unknown, changed, revoked), and leave the same file.
 */
class HostKeyVerdictsTest {
    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static Path clientKey;
    static String server;
    static String rsa;
    static String impostor;

    enum Verdict { ACCEPTED, UNKNOWN, CHANGED, REVOKED }

    @BeforeAll
    static void up() throws Exception {
        SshLab.requireSshd();
        clientKey = TestSshd.keygen(tmp.resolve("keys/client"), "ed25519", "");
        sshd = TestSshd.start(tmp.resolve("sshd"), Path.of(clientKey + ".pub"));
        server = sshd.knownHostsLine().substring(sshd.knownHostsLine().indexOf(' ') + 1);
        rsa = publicKey(TestSshd.keygen(tmp.resolve("keys/rsa"), "rsa", ""));
        impostor = publicKey(TestSshd.keygen(tmp.resolve("keys/impostor"), "ed25519", ""));
    }

    @AfterAll
    static void down() {
        if (sshd != null) sshd.close();
    }

    private static String publicKey(Path key) throws Exception {
        String[] f = Files.readString(Path.of(key + ".pub")).split("\\s+");
        return f[0] + " " + f[1];
    }

    static Stream<Arguments> cases() {
        // HOST stands for [127.0.0.1]:PORT, SERVER for the sshd's key, RSA and IMPOSTOR for keys it does not have.
        return Stream.of(
                Arguments.of("no entry, strict", List.of(), false),
                Arguments.of("no entry, accept-new", List.of(), true),
                Arguments.of("the server's key", List.of("HOST SERVER"), false),
                Arguments.of("another ed25519 key, accept-new", List.of("HOST IMPOSTOR"), true),
                Arguments.of("only an rsa key, accept-new", List.of("HOST RSA"), true),
                Arguments.of("only an rsa key, strict", List.of("HOST RSA"), false),
                Arguments.of("an rsa key and the server's key", List.of("HOST RSA", "HOST SERVER"), false),
                Arguments.of("trusted, then @revoked", List.of("HOST SERVER", "@revoked HOST SERVER"), true),
                Arguments.of("@revoked, then trusted", List.of("@revoked * SERVER", "HOST SERVER"), true),
                Arguments.of("@revoked alone, accept-new", List.of("@revoked HOST SERVER"), true),
                Arguments.of("another key @revoked, the server's trusted", List.of("@revoked * IMPOSTOR", "HOST SERVER"), false),
                Arguments.of("only another key @revoked, accept-new", List.of("@revoked HOST IMPOSTOR"), true),
                Arguments.of("the server's key for other names only, accept-new", List.of("*.example.com,10.0.0.1 SERVER"), true),
                Arguments.of("negated for this host and port, accept-new", List.of("*,!HOST SERVER"), true),
                Arguments.of("known for the address without the port", List.of("127.0.0.1 SERVER"), false),
                Arguments.of("another key for the address without the port, accept-new", List.of("127.0.0.1 IMPOSTOR"), true),
                Arguments.of("revoked for the address without the port, accept-new", List.of("@revoked 127.0.0.1 SERVER", "127.0.0.1 SERVER"), true),
                Arguments.of("a certificate authority only, accept-new", List.of("@cert-authority * IMPOSTOR"), true),
                Arguments.of("hashed, strict", List.of("HASHED SERVER"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tunerAgreesWithOpenSsh(String name, List<String> lines, boolean acceptNew) throws Exception {
        String content = render(lines);
        Path forSsh = write(name, "ssh", content);
        Path forTuner = write(name, "tuner", content);

        Verdict theirs = ssh(forSsh, acceptNew);
        Verdict ours = tuner(forTuner, acceptNew);

        assertThat(ours).as("tuner's verdict, where ssh says %s", theirs).isEqualTo(theirs);
        assertThat(Files.readString(forTuner)).as("known_hosts afterwards").isEqualTo(Files.readString(forSsh));
    }

    private static String render(List<String> lines) throws Exception {
        String host = "[127.0.0.1]:" + sshd.port();
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            // Word by word: a key's base64 may well contain "HOST" or "RSA".
            List<String> words = new ArrayList<>();
            for (String w : l.split(" ")) {
                words.add(switch (w) {
                    case "SERVER" -> server;
                    case "RSA" -> rsa;
                    case "IMPOSTOR" -> impostor;
                    default -> w.replace("HOST", host);
                });
            }
            String line = String.join(" ", words);
            if (line.startsWith("HASHED ")) line = hashed(host, line.substring("HASHED ".length()));
            out.add(line);
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    /** The line as {@code ssh-keygen -H} hashes it. */
    private static String hashed(String host, String key) throws Exception {
        Path f = tmp.resolve("to-hash");
        Files.writeString(f, host + " " + key + "\n");
        TestSshd.run("ssh-keygen", "-H", "-f", f.toString());
        return Files.readString(f).strip();
    }

    private static Path write(String name, String who, String content) throws Exception {
        Path f = tmp.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + "." + who);
        Files.writeString(f, content);
        return f;
    }

    private static Verdict ssh(Path knownHosts, boolean acceptNew) throws Exception {
        Process p = new ProcessBuilder("ssh", "-F", "/dev/null", "-i", clientKey.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes", "-o", "CheckHostIP=no",
                "-o", "UpdateHostKeys=no", "-o", "HashKnownHosts=no", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=" + (acceptNew ? "accept-new" : "yes"),
                "-p", Integer.toString(sshd.port()), "root@127.0.0.1", "true")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() == 0) return Verdict.ACCEPTED;
        if (out.contains("REVOKED HOST KEY")) return Verdict.REVOKED;
        if (out.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) return Verdict.CHANGED;
        if (out.contains("host key is known for")) return Verdict.UNKNOWN;
        throw new AssertionError("ssh failed for another reason than the host key:\n" + out);
    }

    private static Verdict tuner(Path knownHosts, boolean acceptNew) {
        SshOptions o = SshLab.options(tmp.resolve("empty-ssh-dir"), knownHosts).withAcceptNewHostKeys(acceptNew);
        try (Connection c = ConnectionFactory.open(SshLab.spec("db1", sshd, clientKey), o)) {
            assertThat(c.exec("true").ok()).isTrue();
            return Verdict.ACCEPTED;
        } catch (TransportException e) {
            String m = e.getMessage();
            if (m.contains("is revoked")) return Verdict.REVOKED;
            if (m.contains("has CHANGED")) return Verdict.CHANGED;
            if (m.contains("is unknown")) return Verdict.UNKNOWN;
            throw e;
        }
    }
}
