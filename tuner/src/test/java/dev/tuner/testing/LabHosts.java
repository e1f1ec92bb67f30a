package dev.tuner.testing;

import dev.tuner.transport.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lab hosts for tests: namespaced Linux hosts on this machine, each running Debian's real sshd, started
 * and stopped through the repository's {@code lab/lab} script (see {@code lab/README.md}).
 *
 * <pre>{@code
 * try (LabHosts lab = LabHosts.start(3)) {            // a lab of its own, stopped by close()
 *     LabHosts.Host h = lab.hosts().get(0);            // lab01, 10.213.K.11
 *     lab.exec(h, "sysctl -w vm.swappiness=13");       // runs inside the host (nsenter)
 *     lab.ssh(h, "hostname");                          // through /usr/bin/ssh, host key checked
 * }
 * LabHosts shared = LabHosts.shared();                 // one lab per JVM, stopped at JVM exit
 * }</pre>
 *
 * <p>When the machine cannot run a lab (not root, no namespaces, tools missing) a test using this
 * class is skipped with the reason, except in CI, where it fails ({@link Peers}). A lab that could
 * start but did not is always a failure.
 */
public final class LabHosts implements AutoCloseable {

    /** One lab host: its name (lab01...) and the address the tool connects to. */
    public record Host(String name, String ip) {
        @Override
        public String toString() {
            return name + "(" + ip + ")";
        }
    }

    /** Size of the shared lab; the issue's end-to-end scenarios use five hosts. */
    public static final int SHARED_SIZE = Integer.getInteger("tuner.lab.hosts", 5);

    private static final Duration UP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<LabHosts> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Object SHARED_LOCK = new Object();
    private static LabHosts shared;
    private static RuntimeException sharedFailure;
    private static final Object PROBE_LOCK = new Object();
    private static boolean probed;
    private static String unavailable;

    static {
        // Labs a test forgot to close, and the shared one, go down when the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (LabHosts lab : List.copyOf(RUNNING)) lab.stopQuietly();
        }, "tuner-lab-teardown"));
    }

    private final Path script;
    private final Path dir;
    private final List<Host> hosts;
    private final boolean isShared;
    private volatile boolean stopped;

    private LabHosts(Path script, Path dir, List<Host> hosts, boolean isShared) {
        this.script = script;
        this.dir = dir;
        this.hosts = List.copyOf(hosts);
        this.isShared = isShared;
    }

    /**
     * Starts a lab of {@code n} hosts in a fresh state directory, for the caller alone. Options are
     * passed to {@code lab/lab up}, e.g. {@code "--no-cpufreq-on", "lab03"} or
     * {@code "--cpufreq", "acpi-cpufreq"}.
     */
    public static LabHosts start(int n, String... options) {
        return startLab(n, false, options);
    }

    /**
     * The JVM's shared lab of {@link #SHARED_SIZE} hosts, started on first use and stopped by a
     * shutdown hook. Tests sharing it must leave hosts as they found them (or use keys no other
     * test reads); {@link #close()} on it does nothing.
     */
    public static LabHosts shared() {
        synchronized (SHARED_LOCK) {
            Peers.require("lab hosts", whyUnavailable());
            if (sharedFailure != null) throw sharedFailure;
            if (shared == null) {
                try {
                    shared = startLab(SHARED_SIZE, true);
                } catch (RuntimeException e) {
                    sharedFailure = e;
                    throw e;
                }
            }
            return shared;
        }
    }

    private static LabHosts startLab(int n, boolean isShared, String... options) {
        Peers.require("lab hosts", whyUnavailable());
        Path script = script();
        Path dir;
        try {
            dir = Files.createTempDirectory("tuner-lab-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a lab state directory", e);
        }
        List<String> cmd = new ArrayList<>(List.of(script.toString(), "up", Integer.toString(n), "--dir", dir.toString()));
        cmd.addAll(List.of(options));
        ExecResult up = run(cmd, UP_TIMEOUT);
        if (!up.ok()) {
            // `up` tears down a partial lab itself; the directory may remain only if it never got going.
            run(List.of(script.toString(), "down", "--dir", dir.toString()), UP_TIMEOUT);
            throw new IllegalStateException("lab/lab up " + n + " failed (exit " + up.exitCode() + "):\n"
                    + up.err() + up.out());
        }
        LabHosts lab = new LabHosts(script, dir, readHosts(dir), isShared);
        if (lab.hosts.size() != n) {
            lab.stopQuietly();
            throw new IllegalStateException("lab/lab up " + n + " wrote " + lab.hosts.size() + " hosts to " + dir);
        }
        RUNNING.add(lab);
        return lab;
    }

    private static List<Host> readHosts(Path dir) {
        try {
            List<Host> out = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("hosts.tsv"))) {
                String[] f = line.split("\t");
                if (f.length >= 2) out.add(new Host(f[0], f[1]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab's hosts.tsv in " + dir, e);
        }
    }

    /** Why this machine cannot run a lab at all, or null when it can; probed once per JVM. */
    private static String whyUnavailable() {
        synchronized (PROBE_LOCK) {
            if (!probed) {
                unavailable = probe();
                probed = true;
            }
            return unavailable;
        }
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return "lab hosts need Linux";
        try {
            String status = readFully(Paths.get("/proc/self/status"));
            if (!status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")))
                return "lab hosts need root (network, mount and PID namespaces)";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
        for (String tool : List.of("/usr/bin/unshare", "/usr/bin/nsenter", "/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/perl")) {
            if (!Files.isExecutable(Paths.get(tool)))
                return tool + " is missing (apt-get install util-linux iproute2 openssh-server openssh-client perl-base)";
        }
        if (!Files.isExecutable(Paths.get("/usr/sbin/ip")) && !Files.isExecutable(Paths.get("/sbin/ip")))
            return "ip is missing (apt-get install iproute2)";
        ExecResult probe = run(List.of("unshare", "--net", "--mount", "--uts", "--ipc", "--pid", "--fork", "true"), CMD_TIMEOUT);
        if (!probe.ok()) return "this kernel or container does not allow new namespaces: " + probe.err().strip();
        return null;
    }

    /** {@code lab/lab} of this repository. */
    public static Path script() {
        Path p = Repo.path("lab/lab");
        if (!Files.isExecutable(p)) throw new IllegalStateException(p + " is missing or not executable");
        return p;
    }

    public List<Host> hosts() {
        return hosts;
    }

    public Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab host " + name + " in " + hosts));
    }

    /** The state directory (PIDs, keys, inventory); gone after {@link #stop()}. */
    public Path dir() {
        return dir;
    }

    /** Ansible-style YAML inventory: group {@code lab}, one entry per host. */
    public Path inventoryFile() {
        return dir.resolve("inventory.yml");
    }

    /** known_hosts with every host's ed25519 key, under its name and its address. */
    public Path knownHostsFile() {
        return dir.resolve("known_hosts");
    }

    /** The client key (ed25519, no passphrase) that every host's root accepts. */
    public Path privateKey() {
        return dir.resolve("id_ed25519");
    }

    /** PID (in the real machine's PID namespace) of the host's init; killing it ends the host. */
    public long initPid(Host host) {
        try {
            return Long.parseLong(Files.readString(dir.resolve("hosts").resolve(host.name()).resolve("init.pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Host-side name of the host's veth interface on the real machine. */
    public String vethName(Host host) {
        return hostConf(host).get("veth");
    }

    /** The bridge the lab created on the real machine. */
    public String bridgeName() {
        try {
            for (String line : Files.readAllLines(dir.resolve("lab.env")))
                if (line.startsWith("BRIDGE=")) return line.substring("BRIDGE=".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no BRIDGE in " + dir.resolve("lab.env"));
    }

    private Map<String, String> hostConf(Host host) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("hosts").resolve(host.name()).resolve("host.conf"))) {
                int eq = line.indexOf('=');
                if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** CPU seconds the lab's hosts have used so far (every process of every host), via {@code lab/lab cpu}. */
    public double cpuSeconds() {
        checkRunning();
        ExecResult r = run(List.of(script.toString(), "cpu", "--dir", dir.toString()), CMD_TIMEOUT);
        if (!r.ok()) throw new IllegalStateException("lab cpu: " + r.err());
        return Double.parseDouble(r.out().strip());
    }

    /** Runs a shell command line inside the host (all its namespaces, as root), via {@code lab/lab exec}. */
    public ExecResult exec(Host host, String shellCommand) {
        return execArgs(host, "/bin/sh", "-c", shellCommand);
    }

    public ExecResult exec(String hostName, String shellCommand) {
        return exec(host(hostName), shellCommand);
    }

    /** Runs a program inside the host with exactly these arguments (no shell). */
    public ExecResult execArgs(Host host, String... argv) {
        checkRunning();
        List<String> cmd = new ArrayList<>(List.of(script.toString(), "exec", "--dir", dir.toString(), host.name()));
        Collections.addAll(cmd, argv);
        return run(cmd, CMD_TIMEOUT);
    }

    /** The /usr/bin/ssh command line that logs into the host as root with the lab's key and known_hosts. */
    public List<String> sshCommand(Host host) {
        return List.of("/usr/bin/ssh", "-F", "/dev/null",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHostsFile(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR",
                "-i", privateKey().toString(),
                "root@" + host.ip());
    }

    /** Runs a command on the host through the real OpenSSH client. */
    public ExecResult ssh(Host host, String remoteCommand) {
        checkRunning();
        List<String> cmd = new ArrayList<>(sshCommand(host));
        cmd.add(remoteCommand);
        return run(cmd, CMD_TIMEOUT);
    }

    /** Stops every host (by PID) and removes the veths, the bridge and the state directory. */
    public void stop() {
        if (stopped) return;
        synchronized (this) {
            if (stopped) return;
            ExecResult down = run(List.of(script.toString(), "down", "--dir", dir.toString()), UP_TIMEOUT);
            if (!down.ok())
                throw new IllegalStateException("lab/lab down --dir " + dir + " failed (exit " + down.exitCode() + "):\n" + down.err() + down.out());
            stopped = true;
            RUNNING.remove(this);
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("tuner lab: " + e.getMessage());
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Stops a lab from {@link #start}; the shared lab stays up for other test classes. */
    @Override
    public void close() {
        if (!isShared) stop();
    }

    private void checkRunning() {
        if (stopped) throw new IllegalStateException("the lab in " + dir + " has been stopped");
    }

    /**
     * Reads a whole file, including /proc and /sys files. {@code Files.readString} must not be used
     * for those: on this JDK it returns only the first byte of a /proc/sys file ("6" for "60"),
     * because such files report size 0.
     */
    public static String readFully(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Runs a local command, collecting both outputs; kills it after the timeout. */
    public static ExecResult run(List<String> cmd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ExecResult(127, new byte[0], ("cannot run " + cmd.get(0) + ": " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new ExecResult(124, out.join(), concat(err.join(),
                        ("\ntimed out after " + timeout.toSeconds() + " s: " + String.join(" ", cmd)).getBytes(StandardCharsets.UTF_8)));
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
