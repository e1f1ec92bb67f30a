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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three lab hosts (lab03 without cpufreq), reached with the real OpenSSH client. */
class LabHostsTest {
    private static LabHosts lab;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(3, "--no-cpufreq-on", "lab03");
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    private static String ok(ExecResult r) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        return r.out().strip();
    }

    private static String real(String procSysPath) throws IOException {
        return LabHosts.readFully(Paths.get("/proc/sys", procSysPath)).strip();
    }

    @Test
    void eachHostAnswersSshWithItsOwnVerifiedHostKeyAndHostname() {
        assertThat(lab.hosts()).extracting(Host::name).containsExactly("lab01", "lab02", "lab03");
        for (Host h : lab.hosts()) {
            // StrictHostKeyChecking=yes with the lab's known_hosts: a wrong key would fail here.
            assertThat(ok(lab.ssh(h, "hostname; id -u"))).isEqualTo(h.name() + "\n0");
        }
    }

    @Test
    void inventoryListsEveryHostWithAddressKeyAndKnownHosts() throws IOException {
        String inv = Files.readString(lab.inventoryFile());
        assertThat(inv).contains("    lab:\n", "tuner_known_hosts: " + lab.knownHostsFile(),
                "ansible_ssh_private_key_file: " + lab.privateKey());
        for (Host h : lab.hosts()) {
            assertThat(inv).contains("        " + h.name() + ":\n          ansible_host: " + h.ip() + "\n          ansible_port: 22\n          ansible_user: root\n");
        }
        List<String> known = Files.readAllLines(lab.knownHostsFile());
        assertThat(known).hasSize(3).allMatch(l -> l.matches("lab0\\d,10\\.213\\.\\d+\\.\\d+ ssh-ed25519 \\S+"));
    }

    @Test
    void swappinessWrittenInAHostChangesOnlyThatHost() throws IOException {
        String before = real("vm/swappiness");
        String value = before.equals("13") ? "14" : "13";
        ok(lab.ssh(lab.host("lab01"), "sysctl -w vm.swappiness=" + value));
        assertThat(ok(lab.ssh(lab.host("lab01"), "cat /proc/sys/vm/swappiness"))).isEqualTo(value);
        assertThat(ok(lab.ssh(lab.host("lab02"), "sysctl -n vm.swappiness"))).isEqualTo(before);
        assertThat(real("vm/swappiness")).isEqualTo(before);
        ok(lab.ssh(lab.host("lab01"), "sysctl -w vm.swappiness=" + before));
    }

    @Test
    void netSysctlsAreRealAndPerHost() throws IOException {
        String before = real("net/ipv4/tcp_fin_timeout");
        ok(lab.ssh(lab.host("lab01"), "sysctl -w net.ipv4.tcp_fin_timeout=33"));
        ok(lab.ssh(lab.host("lab02"), "sysctl -w net.ipv4.tcp_fin_timeout=44"));
        assertThat(ok(lab.ssh(lab.host("lab01"), "sysctl -n net.ipv4.tcp_fin_timeout"))).isEqualTo("33");
        assertThat(ok(lab.ssh(lab.host("lab02"), "sysctl -n net.ipv4.tcp_fin_timeout"))).isEqualTo("44");
        assertThat(real("net/ipv4/tcp_fin_timeout")).isEqualTo(before);
    }

    @Test
    void initialNamespaceOnlyNetKeysAreFakedFromTheRealValues() throws IOException {
        for (String key : List.of("net.core.netdev_max_backlog", "net.core.rmem_max", "net.ipv4.tcp_mem")) {
            String path = key.replace('.', '/');
            String inHost = ok(lab.exec(lab.host("lab02"), "cat /proc/sys/" + path));
            assertThat(inHost).as(key).isEqualTo(real(path));
        }
        String before = real("net/core/rmem_max");
        ok(lab.exec(lab.host("lab02"), "sysctl -w net.core.rmem_max=7654321"));
        assertThat(ok(lab.exec(lab.host("lab02"), "sysctl -n net.core.rmem_max"))).isEqualTo("7654321");
        assertThat(real("net/core/rmem_max")).isEqualTo(before);
    }

    @Test
    void globalKeysThatAreNotFakedRefuseWrites() throws IOException {
        String before = real("kernel/domainname");
        ExecResult r = lab.ssh(lab.host("lab01"), "sysctl -w kernel.domainname=x");
        assertThat(r.exitCode()).isNotZero();
        ExecResult raw = lab.exec(lab.host("lab01"), "echo x > /proc/sys/kernel/domainname");
        assertThat(raw.exitCode()).isNotZero();
        assertThat(raw.err()).contains("Read-only file system");
        assertThat(real("kernel/domainname")).isEqualTo(before);
    }

    @Test
    void sysctlSystemInAHostCannotChangeGlobalKeys() throws IOException {
        List<String> keys = List.of("fs/protected_regular", "kernel/randomize_va_space", "kernel/domainname", "kernel/core_pattern");
        List<String> before = keys.stream().map(k -> uncheck(() -> real(k))).toList();
        ok(lab.exec(lab.host("lab03"), "printf '%s\\n' 'fs.protected_regular = 0' 'kernel.randomize_va_space = 0'"
                + " 'kernel.domainname = evil' 'kernel.core_pattern = |/bin/false' 'vm.swappiness = 21'"
                + " > /etc/sysctl.d/60-evil.conf"));
        // Unfaked keys fail (read-only /proc/sys), faked ones change the host's files: either way the
        // real machine keeps its values.
        lab.exec(lab.host("lab03"), "sysctl --system");
        assertThat(keys.stream().map(k -> uncheck(() -> real(k))).toList()).isEqualTo(before);
        assertThat(ok(lab.exec(lab.host("lab03"), "sysctl -n vm.swappiness"))).isEqualTo("21");
        ok(lab.exec(lab.host("lab03"), "rm /etc/sysctl.d/60-evil.conf && sysctl -w vm.swappiness=" + real("vm/swappiness")));
    }

    @Test
    void etcWritesStayInsideTheHost() throws IOException {
        List<String> realSysctlD = listing(Paths.get("/etc/sysctl.d"));
        ok(lab.ssh(lab.host("lab01"), "echo 'vm.swappiness = 10' > /etc/sysctl.d/60-tuner.conf"
                + " && mkdir -p /etc/docker && echo '{}' > /etc/docker/daemon.json"
                + " && echo 'lab-only' > /etc/tuner-lab-probe"));
        assertThat(ok(lab.ssh(lab.host("lab01"), "ls /etc/sysctl.d; cat /etc/tuner-lab-probe")))
                .isEqualTo("60-tuner.conf\nlab-only");
        assertThat(ok(lab.ssh(lab.host("lab02"), "ls -A /etc/sysctl.d; ls /etc/tuner-lab-probe 2>&1 || true")))
                .doesNotContain("60-tuner.conf").contains("No such file");
        assertThat(listing(Paths.get("/etc/sysctl.d"))).isEqualTo(realSysctlD);
        assertThat(Paths.get("/etc/tuner-lab-probe")).doesNotExist();
        assertThat(Paths.get("/etc/docker/daemon.json")).doesNotExist();
    }

    @Test
    void cpufreqTreeExistsAndIsWritableWhereAsked() throws IOException {
        List<String> cpus;
        try (Stream<Path> s = Files.list(Paths.get("/sys/devices/system/cpu"))) {
            cpus = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("cpu\\d+")).sorted().toList();
        }
        Host h = lab.host("lab01");
        for (String cpu : cpus) {
            String f = "/sys/devices/system/cpu/" + cpu + "/cpufreq/";
            assertThat(ok(lab.exec(h, "cat " + f + "scaling_available_governors"))).isEqualTo("performance powersave");
            assertThat(ok(lab.exec(h, "cat " + f + "scaling_governor"))).isEqualTo("powersave");
            ok(lab.ssh(h, "echo performance > " + f + "scaling_governor"));
            assertThat(ok(lab.ssh(h, "cat " + f + "scaling_governor"))).isEqualTo("performance");
            assertThat(ok(lab.exec(h, "cat " + f + "scaling_driver"))).isEqualTo("intel_pstate");
            assertThat(ok(lab.exec(h, "cat " + f + "cpuinfo_max_freq"))).matches("\\d+");
        }
        assertThat(ok(lab.exec(h, "cat /sys/devices/system/cpu/intel_pstate/no_turbo"))).isEqualTo("0");
        assertThat(ok(lab.exec(h, "cat /sys/devices/system/cpu/cpufreq/boost"))).isEqualTo("1");
        ok(lab.exec(h, "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo"));
        // The real entries are still there and still read right.
        assertThat(ok(lab.exec(h, "cat /sys/devices/system/cpu/online")))
                .isEqualTo(LabHosts.readFully(Paths.get("/sys/devices/system/cpu/online")).strip());
        // Real hardware knobs stay read-only.
        assertThat(lab.exec(h, "echo 0 > /sys/devices/system/cpu/" + cpus.get(cpus.size() - 1) + "/online").exitCode()).isNotZero();
        // lab03 was started with --no-cpufreq-on: like this machine, it has no cpufreq at all.
        assertThat(lab.exec(lab.host("lab03"), "test -e /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").exitCode()).isNotZero();
        for (Host other : List.of(lab.host("lab02"))) {
            assertThat(ok(lab.exec(other, "cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"))).isEqualTo("powersave");
        }
    }

    @Test
    void sysfsFakesHoldTheKernelsFormAndAreWritableOnlyInsideTheHost() throws IOException {
        Path thp = Paths.get("/sys/kernel/mm/transparent_hugepage");
        String realEnabled = Files.exists(thp) ? LabHosts.readFully(thp.resolve("enabled")) : null;
        String realDefrag = Files.exists(thp) ? LabHosts.readFully(thp.resolve("defrag")) : null;
        List<String> realBlock = listing(Paths.get("/sys/block"));
        Host h = lab.host("lab01");
        String enabled = ok(lab.exec(h, "cat /sys/kernel/mm/transparent_hugepage/enabled"));
        String defrag = ok(lab.exec(h, "cat /sys/kernel/mm/transparent_hugepage/defrag"));
        // The kernel's form: the choices, the one in force in brackets; the real machine's text where it has THP.
        assertThat(enabled).matches("(\\S+ )*\\[\\S+\\]( \\S+)*").contains("madvise");
        assertThat(defrag).matches("(\\S+ )*\\[\\S+\\]( \\S+)*").contains("defer");
        if (realEnabled != null) {
            assertThat(enabled).isEqualTo(realEnabled.strip());
            assertThat(defrag).isEqualTo(realDefrag.strip());
        }
        for (String disk : List.of("sda", "sdb")) {
            String q = "/sys/block/" + disk + "/queue/";
            assertThat(ok(lab.exec(h, "cat " + q + "scheduler"))).isEqualTo("[mq-deadline] kyber bfq none");
            assertThat(ok(lab.exec(h, "cat " + q + "read_ahead_kb"))).isEqualTo("128");
            assertThat(ok(lab.exec(h, "cat " + q + "nr_requests"))).isEqualTo("64");
        }
        assertThat(ok(lab.exec(h, "cat /sys/block/sda/queue/rotational /sys/block/sdb/queue/rotational"))).isEqualTo("0\n1");

        // Writable inside the host: a fake holds exactly what was written (no brackets, no checks).
        ok(lab.ssh(h, "echo never > /sys/kernel/mm/transparent_hugepage/enabled && echo bfq > /sys/block/sda/queue/scheduler"
                + " && echo 4096 > /sys/block/sdb/queue/read_ahead_kb"));
        assertThat(ok(lab.ssh(h, "cat /sys/kernel/mm/transparent_hugepage/enabled /sys/block/sda/queue/scheduler /sys/block/sdb/queue/read_ahead_kb")))
                .isEqualTo("never\nbfq\n4096");
        // ... and only there: another host and the real machine keep their values.
        Host other = lab.host("lab02");
        assertThat(ok(lab.exec(other, "cat /sys/kernel/mm/transparent_hugepage/enabled"))).isEqualTo(enabled);
        assertThat(ok(lab.exec(other, "cat /sys/block/sda/queue/scheduler"))).isEqualTo("[mq-deadline] kyber bfq none");
        if (realEnabled != null) {
            assertThat(LabHosts.readFully(thp.resolve("enabled"))).isEqualTo(realEnabled);
            assertThat(LabHosts.readFully(thp.resolve("defrag"))).isEqualTo(realDefrag);
        }
        assertThat(listing(Paths.get("/sys/block"))).as("the real /sys/block").isEqualTo(realBlock);

        // The real block devices are still there, read through the copy; nothing else can be written
        // or created, as in sysfs.
        for (String dev : realBlock) {
            if (dev.startsWith("sd")) continue;
            assertThat(ok(lab.exec(h, "cat /sys/block/" + dev + "/size"))).as(dev)
                    .isEqualTo(LabHosts.readFully(Paths.get("/sys/block", dev, "size")).strip());
        }
        ExecResult create = lab.exec(h, "echo 1 > /sys/block/sda/queue/no_such_attribute");
        assertThat(create.exitCode()).isNotZero();
        assertThat(create.err()).contains("Read-only file system");
        assertThat(lab.exec(h, "mkdir /sys/block/sdz").exitCode()).isNotZero();
        if (realEnabled != null && Files.exists(thp.resolve("shmem_enabled"))) {
            String shmem = LabHosts.readFully(thp.resolve("shmem_enabled"));
            assertThat(lab.exec(h, "echo never > /sys/kernel/mm/transparent_hugepage/shmem_enabled").err()).contains("Read-only file system");
            assertThat(LabHosts.readFully(thp.resolve("shmem_enabled"))).isEqualTo(shmem);
        }
        // tmpfiles.d drop-ins, where systemd persists sysfs values, start empty and stay in the host.
        assertThat(ok(lab.exec(h, "ls -A /etc/tmpfiles.d"))).isEmpty();
        ok(lab.exec(h, "echo 'w /sys/block/sda/queue/nr_requests - - - - 32' > /etc/tmpfiles.d/60-lab-probe.conf"));
        assertThat(Paths.get("/etc/tmpfiles.d/60-lab-probe.conf")).doesNotExist();
        ok(lab.exec(h, "rm /etc/tmpfiles.d/60-lab-probe.conf; echo '" + enabled + "' > /sys/kernel/mm/transparent_hugepage/enabled;"
                + " echo '[mq-deadline] kyber bfq none' > /sys/block/sda/queue/scheduler; echo 128 > /sys/block/sdb/queue/read_ahead_kb"));
    }

    @Test
    void cpuAccountingCountsWhatTheHostsRunOverSsh() {
        double before = lab.cpuSeconds();
        // Busy for a measurable while inside a host, started through its sshd like tuner's commands.
        ExecResult r = lab.ssh(lab.host("lab02"), "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(lab.cpuSeconds() - before).isGreaterThan(0.1);
    }

    @Test
    void execEntersEveryNamespaceOfTheHost() {
        Host h = lab.host("lab02");
        // With nsenter -p, /proc/self is the command's own PID in the host's PID namespace.
        String out = ok(lab.exec(h, "hostname; tr '\\0' ' ' < /proc/1/cmdline; echo; ip -4 -o addr show dev eth0;"
                + " echo $$; exec readlink /proc/self"));
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("lab02");
        assertThat(lines[1]).contains("host-init");
        assertThat(lines[2]).contains(h.ip() + "/24");
        assertThat(Integer.parseInt(lines[3])).isLessThan(1000);
        assertThat(lines[4]).isEqualTo(lines[3]);
        assertThat(ok(lab.exec(h, "touch /usr/lab-probe 2>&1 || true"))).contains("Read-only file system");
    }

    @Test
    void hostsReachEachOtherAndSshdCanBeRestarted() {
        Host a = lab.host("lab01");
        Host b = lab.host("lab02");
        assertThat(ok(lab.execArgs(a, "/bin/bash", "-c", "exec 3<>/dev/tcp/" + b.ip() + "/22 && head -c 8 <&3"))).isEqualTo("SSH-2.0-");
        ExecResult stop = LabHosts.run(List.of(LabHosts.script().toString(), "sshd", "--dir", lab.dir().toString(), "lab03", "stop"),
                java.time.Duration.ofSeconds(30));
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(lab.ssh(lab.host("lab03"), "true").exitCode()).isEqualTo(255);
        ExecResult start = LabHosts.run(List.of(LabHosts.script().toString(), "sshd", "--dir", lab.dir().toString(), "lab03", "start"),
                java.time.Duration.ofSeconds(30));
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(ok(lab.ssh(lab.host("lab03"), "hostname"))).isEqualTo("lab03");
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> {
                String name = p.getFileName().toString();
                try {
                    return Files.isRegularFile(p) ? name + "=" + Files.readString(p) : name;
                } catch (IOException e) {
                    return name + "=<unreadable>";
                }
            }).sorted().toList();
        }
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
