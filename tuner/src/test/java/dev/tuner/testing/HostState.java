package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.transport.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a user would look at inside a lab host, read through {@code lab/lab exec} (not through
 * tuner): the runtime values of the end-to-end keys in /proc/sys, the cpufreq files, and every
 * entry under /etc/sysctl.d and /etc/systemd/system with its exact bytes (base64) or link target.
 * Two snapshots are equal only if the host is byte for byte as it was, absent files included.
 */
public final class HostState {
    /** The keys the end-to-end playbooks set, in /proc/sys form. */
    public static final List<String> KEYS = List.of(
            "vm.swappiness", "vm.dirty_ratio", "net.ipv4.tcp_fin_timeout", "net.core.somaxconn", "net.ipv4.tcp_rmem");

    private static final String SCRIPT = String.join("\n",
            "for k in " + String.join(" ", KEYS.stream().map(k -> k.replace('.', '/')).toList()) + "; do",
            "  printf 'sysctl %s=%s\\n' \"$k\" \"$(tr -s ' \\t' '  ' < /proc/sys/$k)\"",
            "done",
            "for f in /sys/devices/system/cpu/cpufreq/policy*/scaling_governor /sys/devices/system/cpu/intel_pstate/no_turbo"
                    + " /sys/devices/system/cpu/cpufreq/boost; do",
            "  [ -e \"$f\" ] && printf 'cpufreq %s=%s\\n' \"$f\" \"$(cat \"$f\")\"",
            "done",
            "find /etc/sysctl.d /etc/systemd/system | LC_ALL=C sort | while IFS= read -r p; do",
            "  if [ -L \"$p\" ]; then printf 'link %s -> %s\\n' \"$p\" \"$(readlink \"$p\")\";",
            "  elif [ -f \"$p\" ]; then printf 'file %s %s\\n' \"$p\" \"$(base64 -w0 < \"$p\")\";",
            "  else printf 'dir %s\\n' \"$p\"; fi",
            "done");

    private HostState() {}

    /** One host's state as sorted lines (see the class comment). */
    public static String of(LabHosts lab, LabHosts.Host host) {
        ExecResult r = lab.exec(host, SCRIPT);
        assertThat(r.exitCode()).as("reading the state of %s: %s", host, r.err()).isZero();
        return r.out();
    }

    /** Every host's state, by host name. */
    public static Map<String, String> of(LabHosts lab) {
        Map<String, String> out = new LinkedHashMap<>();
        for (LabHosts.Host h : lab.hosts()) out.put(h.name(), of(lab, h));
        return out;
    }

    /** The /proc/sys values (by dotted key) and cpufreq files (by path) recorded in a snapshot from {@link #of}. */
    public static Map<String, String> values(String snapshot) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : snapshot.split("\n")) {
            if (line.startsWith("sysctl ") || line.startsWith("cpufreq ")) {
                String kv = line.substring(line.indexOf(' ') + 1);
                int eq = kv.indexOf('=');
                String k = kv.substring(0, eq);
                out.put(line.startsWith("sysctl ") ? k.replace('/', '.') : k, kv.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** Files (path → bytes) and links (path → target) recorded in a snapshot from {@link #of}; absent paths are absent. */
    public static Map<String, byte[]> files(String snapshot) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String line : snapshot.split("\n")) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("file")) out.put(f[1], java.util.Base64.getDecoder().decode(f.length > 2 ? f[2].strip() : ""));
            if (f[0].equals("link")) out.put(f[1], f[2].substring("-> ".length()).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A /proc/sys value inside the host, whitespace collapsed ("4096\t131072\t6291456" → "4096 131072 6291456"). */
    public static String sysctl(LabHosts lab, LabHosts.Host host, String key) {
        return ok(lab.exec(host, "cat /proc/sys/" + key.replace('.', '/'))).trim().replaceAll("\\s+", " ");
    }

    /** A file's bytes inside the host, or null when it does not exist. */
    public static byte[] file(LabHosts lab, LabHosts.Host host, String path) {
        ExecResult r = lab.execArgs(host, "/bin/sh", "-c", "[ -e \"$1\" ] || exit 3; cat -- \"$1\"", "sh", path);
        if (r.exitCode() == 3) return null;
        assertThat(r.exitCode()).as("cat %s on %s: %s", path, host, r.err()).isZero();
        return r.stdout();
    }

    public static String ok(ExecResult r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        return r.out();
    }

    /** Runs {@code lab/lab ARGS --dir DIR} style commands (e.g. {@code sshd lab02 stop}) for this lab. */
    public static void labCommand(LabHosts lab, String command, String... args) {
        List<String> cmd = new ArrayList<>(List.of(LabHosts.script().toString(), command, "--dir", lab.dir().toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
            assertThat(p.exitValue()).as("%s: %s", cmd, new String(out, StandardCharsets.UTF_8)).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** "Accepted publickey" lines in every host's sshd log so far: how many SSH logins there were. */
    public static long logins(LabHosts lab) {
        long n = 0;
        for (LabHosts.Host h : lab.hosts()) {
            try {
                n += Files.readAllLines(lab.dir().resolve("hosts").resolve(h.name()).resolve("init.log"), StandardCharsets.ISO_8859_1)
                        .stream().filter(l -> l.contains("Accepted publickey")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /** Writes a playbook into a directory and returns its path. */
    public static Path playbook(Path dir, String name, String yaml) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, yaml, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
