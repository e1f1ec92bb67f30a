package dev.tuner.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on 127.0.0.1 for tests: its own host key, authorized_keys, pid file and log in
 * a temporary directory, root login by key only. Nothing under /etc is read or written (sshd gets
 * {@code -f} and every path it needs); the only shared thing it needs is its privilege separation
 * directory /run/sshd, a runtime directory created if missing.
 */
public final class TestSshd implements AutoCloseable {
    public static final String SSHD = "/usr/sbin/sshd";

    private final Path dir;
    private final int port;
    private final Path hostKey;
    private final Path authorizedKeys;
    private final Path log;
    private final Process process;

    private TestSshd(Path dir, int port, Path hostKey, Path authorizedKeys, Path log, Process process) {
        this.dir = dir;
        this.port = port;
        this.hostKey = hostKey;
        this.authorizedKeys = authorizedKeys;
        this.log = log;
        this.process = process;
    }

    /** Why sshd cannot run here, or null when it can. */
    public static String unavailable() {
        if (!Files.isExecutable(Path.of(SSHD))) return SSHD + " missing (apt-get install openssh-server)";
        if (!Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) return "ssh-keygen missing (apt-get install openssh-client)";
        if (!"root".equals(System.getProperty("user.name"))) return "sshd for tests must run as root (it logs users in)";
        return null;
    }

    /** Starts sshd with a fresh ed25519 host key, accepting the given public keys for root. */
    public static TestSshd start(Path dir, Path... authorizedPublicKeys) throws IOException, InterruptedException {
        return start(dir, "ed25519", authorizedPublicKeys);
    }

    /** Starts sshd with a fresh host key of the given type (ed25519, rsa, ecdsa). */
    public static TestSshd start(Path dir, String hostKeyType, Path... authorizedPublicKeys)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation dir; sshd refuses to start without it
        Path hostKey = dir.resolve("ssh_host_" + hostKeyType + "_key");
        if (!Files.exists(hostKey)) keygen(hostKey, hostKeyType, "");
        Path authorized = dir.resolve("authorized_keys");
        StringBuilder keys = new StringBuilder();
        for (Path pub : authorizedPublicKeys) keys.append(Files.readString(pub).strip()).append('\n');
        Files.writeString(authorized, keys.toString());
        int port = freePort();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                // The temp dir sits under world-writable /tmp, which StrictModes rejects.
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AllowTcpForwarding yes",
                "AllowAgentForwarding no",
                "X11Forwarding no",
                "PrintMotd no",
                "MaxStartups 50",
                "LogLevel INFO",
                // Debian's bash sources ~/.bashrc for every ssh command; this machine's /root/.bashrc
                // runs pyenv init (seconds per command). Tests get a HOME of their own instead.
                "SetEnv HOME=" + home,
                ""));
        Path log = dir.resolve("sshd.log");
        Process p = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        TestSshd sshd = new TestSshd(dir, port, hostKey, authorized, log, p);
        sshd.awaitListening();
        return sshd;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        close();
        throw new IOException("sshd did not listen on port " + port + ": " + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The known_hosts line ssh would record for this server: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(Path.of(hostKey + ".pub")).strip().split("\\s+");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    }

    /** The host key's fingerprint as {@code ssh-keygen -l} prints it. */
    public String hostKeyFingerprint() throws IOException, InterruptedException {
        String out = run("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub");
        return out.split("\\s+")[1];
    }

    /** Successful logins so far, from sshd's own log. */
    public int acceptedLogins() throws IOException {
        return (int) Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("Accepted publickey")).count();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL to the listener and every per-connection sshd, as if the host died. */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        kill();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Generates a key pair with ssh-keygen; an empty passphrase leaves it unencrypted. */
    public static Path keygen(Path file, String type, String passphrase) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        run("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "tuner-test", "-f", file.toString());
        return file;
    }

    /** Runs a program, returning its output; fails with that output when it exits non-zero. */
    public static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
