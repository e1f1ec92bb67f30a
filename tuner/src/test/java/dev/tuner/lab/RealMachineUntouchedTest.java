package dev.tuner.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whatever a tuning run does inside lab hosts, the real machine's kernel settings and files stay as
 * they were: a snapshot before starting a lab equals a snapshot after stopping it.
 */
class RealMachineUntouchedTest {

    /** Counters and per-read values that change on their own. */
    private static final Set<String> VOLATILE = Set.of(
            "kernel/ns_last_pid", "kernel/pty/nr", "kernel/random/uuid", "kernel/random/entropy_avail",
            "fs/aio-nr", "fs/dentry-state", "fs/dentry-negative", "fs/file-nr", "fs/inode-nr", "fs/inode-state");

    /** Settings a playbook would change, each to a value that differs from any sane default. */
    private static final String TUNE = String.join("\n",
            "sysctl -w vm.swappiness=1 vm.dirty_ratio=7 vm.dirty_background_ratio=3 vm.dirty_expire_centisecs=1234",
            "sysctl -w vm.dirty_writeback_centisecs=321 vm.overcommit_memory=1 vm.overcommit_ratio=77",
            "sysctl -w vm.min_free_kbytes=77777 vm.max_map_count=262177 vm.zone_reclaim_mode=1 vm.vfs_cache_pressure=51",
            "sysctl -w kernel.sched_autogroup_enabled=0 kernel.numa_balancing=0 kernel.pid_max=4194303",
            "sysctl -w kernel.shmmax=123456789 kernel.shmall=1234567 fs.file-max=999999 fs.aio-max-nr=1048577",
            "sysctl -w fs.inotify.max_user_watches=524289",
            "sysctl -w net.core.netdev_max_backlog=5001 net.core.netdev_budget=601 net.core.dev_weight=65",
            "sysctl -w net.core.default_qdisc=fq net.core.rmem_max=16777217 net.core.wmem_max=16777217",
            "sysctl -w net.core.rmem_default=262145 net.core.wmem_default=262145 net.core.optmem_max=65537",
            "sysctl -w net.core.somaxconn=1025 net.ipv4.tcp_fin_timeout=17",
            "sysctl -w 'net.ipv4.tcp_mem=1 2 3' 'net.ipv4.udp_mem=4 5 6'",
            // Keys nobody faked: refused, never written through.
            "sysctl -w kernel.domainname=evil kernel.hostname=evil fs.protected_regular=0 2>/dev/null",
            "printf '%s\\n' 'kernel.randomize_va_space = 0' 'fs.protected_symlinks = 0' 'kernel.core_pattern = |/bin/false'"
                    + " 'vm.swappiness = 2' > /etc/sysctl.d/60-tuner.conf",
            "sysctl --system >/dev/null 2>&1",
            "mkdir -p /etc/systemd/system && printf '[Service]\\nExecStart=/bin/true\\n' > /etc/systemd/system/tuner-governor.service",
            "echo '{\"log-level\":\"warn\"}' > /etc/docker/daemon.json",
            "echo 'version = 2' > /etc/containerd/config.toml",
            "echo '[crio]' > /etc/crio/crio.conf",
            "echo evil > /etc/hostname; echo '10.0.0.1 evil' >> /etc/hosts; echo '# lab' >> /etc/ssh/sshd_config",
            "for g in /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor; do echo performance > $g; done",
            "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo; echo 0 > /sys/devices/system/cpu/cpufreq/boost",
            "echo never > /sys/kernel/mm/transparent_hugepage/enabled; echo never > /sys/kernel/mm/transparent_hugepage/defrag",
            "for q in /sys/block/sd*/queue; do echo bfq > $q/scheduler; echo 4096 > $q/read_ahead_kb; done",
            "echo 'w /sys/kernel/mm/transparent_hugepage/enabled - - - - never' > /etc/tmpfiles.d/60-tuner-sysfs.conf",
            "true");

    @Test
    void tuningInsideLabHostsLeavesTheRealMachineUnchanged() throws IOException {
        Map<String, String> before = snapshot();
        try (LabHosts lab = LabHosts.start(2)) {
            for (Host h : lab.hosts()) {
                ExecResult r = lab.ssh(h, TUNE);
                assertThat(r.exitCode()).as("tuning script on %s: %s", h, r.err()).isZero();
                assertThat(lab.exec(h, "sysctl -n vm.swappiness").out().strip()).isIn("1", "2");
                assertThat(lab.exec(h, "cat /etc/hostname").out().strip()).isEqualTo("evil");
            }
        }
        Map<String, String> after = snapshot();
        assertThat(after).as("real machine after the lab").isEqualTo(before);
    }

    /** Readable sysctls (vm, kernel, fs, the real namespace's net.core/ipv4), the sysfs attributes and the files a tuner writes. */
    static Map<String, String> snapshot() throws IOException {
        Map<String, String> s = new TreeMap<>();
        for (String dir : List.of("vm", "kernel", "fs", "net/core", "net/ipv4")) {
            Path root = Paths.get("/proc/sys", dir);
            boolean recurse = !dir.startsWith("net");
            try (Stream<Path> files = recurse ? Files.walk(root) : Files.list(root)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    String key = Paths.get("/proc/sys").relativize(p).toString();
                    if (VOLATILE.contains(key) || key.startsWith("fs/quota/")) continue;
                    try {
                        s.put("sysctl " + key, LabHosts.readFully(p).strip());
                    } catch (IOException unreadable) {
                        // write-only or refusing reads (vm/drop_caches, ...): nothing to compare
                    }
                }
            }
        }
        for (String dir : List.of("/etc/sysctl.d", "/etc/tmpfiles.d", "/etc/systemd/system", "/etc/docker", "/etc/containerd", "/etc/crio", "/etc/ssh")) {
            Path d = Paths.get(dir);
            if (!Files.isDirectory(d)) {
                s.put("dir " + dir, "absent");
                continue;
            }
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.toList()) {
                    s.put("file " + p, Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                            : Files.isRegularFile(p) ? Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1) : "dir");
                }
            }
        }
        for (String f : List.of("/etc/hostname", "/etc/hosts", "/etc/shadow", "/etc/sysctl.conf")) {
            Path p = Paths.get(f);
            s.put("file " + f, Files.exists(p) ? Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1) : "absent");
        }
        try (Stream<Path> cpu = Files.list(Paths.get("/sys/devices/system/cpu"))) {
            s.put("sysfs cpu", cpu.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
        s.put("sysfs cpu/online", LabHosts.readFully(Paths.get("/sys/devices/system/cpu/online")).strip());
        for (String f : List.of("enabled", "defrag")) {
            Path p = Paths.get("/sys/kernel/mm/transparent_hugepage", f);
            s.put("sysfs thp/" + f, Files.exists(p) ? LabHosts.readFully(p).strip() : "absent");
        }
        try (Stream<Path> block = Files.list(Paths.get("/sys/block"))) {
            for (Path dev : block.sorted().toList()) {
                for (String a : List.of("scheduler", "read_ahead_kb")) {
                    Path p = dev.resolve("queue").resolve(a);
                    if (Files.isReadable(p)) s.put("sysfs " + Paths.get("/sys").relativize(p), LabHosts.readFully(p).strip());
                }
            }
        }
        return s;
    }
}
