package dev.tuner.facts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.Shipped;
import dev.tuner.testing.TunerCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuner facts} of this machine (local connection) and of lab hosts (over SSH), each fact
 * checked against a source the tool does not use: coreutils and glibc ({@code uname}, {@code nproc},
 * {@code getconf}), the files read by this test ({@code /proc/meminfo}, {@code /etc/os-release}),
 * systemd's own {@code systemd-detect-virt}, and for lab hosts their own answers through
 * {@code lab/lab exec} and what lab/README.md says a lab host is.
 */
class FactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The order facts are listed in, run after run (output diffed by cron jobs must not reshuffle). */
    private static final List<String> ORDER = List.of("hostname", "kernel", "architecture", "os.id", "os.version", "os.name",
            "cpu.count", "cpu.online", "cpu.model", "memory.total_kb", "memory.total_mb", "virtualization.role", "virtualization.type",
            "cpufreq.present", "cpufreq.driver", "cpufreq.governors", "cpufreq.governor", "container_runtimes", "systemd");

    @TempDir
    Path tmp;

    @Test
    void thisMachineAsItsOwnToolsSeeIt() throws Exception {
        Path inventory = tmp.resolve("local.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    here:\n      ansible_connection: local\n");
        TunerCli.Result r = TunerCli.run("facts", "-i", inventory.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode facts = JSON.readTree(r.out()).get("hosts").get("here");

        assertThat(facts.get("hostname").asText()).isEqualTo(LabHosts.readFully(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(facts.get("kernel").asText()).isEqualTo(run("uname", "-r")).isEqualTo(System.getProperty("os.version"));
        assertThat(facts.get("architecture").asText()).isEqualTo(run("uname", "-m"));
        Map<String, String> release = osRelease(Files.readString(Path.of("/etc/os-release")));
        assertThat(facts.get("os").get("id").asText()).isEqualTo(release.getOrDefault("ID", ""));
        assertThat(facts.get("os").get("version").asText()).isEqualTo(release.getOrDefault("VERSION_ID", ""));
        assertThat(facts.get("os").get("name").asText()).isEqualTo(release.getOrDefault("PRETTY_NAME", ""));

        assertThat(facts.get("cpu").get("count").asLong()).as("nproc --all").isEqualTo(Long.parseLong(run("nproc", "--all")));
        long online = cpusIn(facts.get("cpu").get("online").asText());
        assertThat(online).as("CPUs in %s, as getconf counts them", facts.get("cpu").get("online"))
                .isEqualTo(Long.parseLong(run("getconf", "_NPROCESSORS_ONLN")));
        assertThat(Long.parseLong(run("nproc"))).as("CPUs this process may use are online CPUs").isLessThanOrEqualTo(online);
        assertThat(facts.get("cpu").get("model").asText()).isEqualTo(cpuModel(LabHosts.readFully(Path.of("/proc/cpuinfo"))));

        long kb = memTotalKb(LabHosts.readFully(Path.of("/proc/meminfo")));
        assertThat(facts.get("memory").get("total_kb").asLong()).isEqualTo(kb);
        assertThat(facts.get("memory").get("total_mb").asLong()).isEqualTo(kb / 1024);

        if (onPath("systemd-detect-virt")) {
            // systemd's own precedence: a container inside a VM is reported as the container.
            String type = runAllowingFailure("systemd-detect-virt");
            String role = exit("systemd-detect-virt", "--quiet", "--container") == 0 ? "container"
                    : exit("systemd-detect-virt", "--quiet", "--vm") == 0 ? "guest" : "none";
            assertThat(facts.get("virtualization").get("role").asText()).isEqualTo(role);
            assertThat(facts.get("virtualization").get("type").asText()).isEqualTo(type);
        }

        Path cpufreq = Path.of("/sys/devices/system/cpu/cpu0/cpufreq");
        JsonNode freq = facts.get("cpufreq");
        assertThat(freq.get("present").asBoolean()).isEqualTo(Files.isDirectory(cpufreq));
        if (Files.isDirectory(cpufreq)) {
            assertThat(freq.get("driver").asText()).isEqualTo(LabHosts.readFully(cpufreq.resolve("scaling_driver")).strip());
            assertThat(freq.get("governor").asText()).isEqualTo(LabHosts.readFully(cpufreq.resolve("scaling_governor")).strip());
        } else {
            assertThat(freq.get("driver").asText()).isEmpty();
            assertThat(freq.get("governors")).isEmpty();
        }

        List<String> runtimes = new ArrayList<>();
        for (String b : List.of("docker", "containerd", "crio", "podman")) if (onPath(b)) runtimes.add(b);
        assertThat(JSON.convertValue(facts.get("container_runtimes"), List.class)).isEqualTo(runtimes);
        assertThat(facts.get("systemd").asBoolean()).isEqualTo(Files.isDirectory(Path.of("/run/systemd/system")));

        // The text form says the same, in the same order every run.
        TunerCli.Result text = TunerCli.run("facts", "-i", inventory.toString(), "--no-color");
        assertThat(text.exitCode()).as(text.screen()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("here");
        assertThat(lines.subList(1, lines.size()).stream().map(l -> l.strip().replaceAll(" =.*", "")).toList()).isEqualTo(ORDER);
        assertThat(lines).contains("  kernel = " + run("uname", "-r"), "  memory.total_kb = " + kb,
                "  cpu.count = " + run("nproc", "--all"), "  systemd = " + facts.get("systemd").asText());
    }

    @Test
    void labHostsOverSshAsTheyAnswerThemselves() throws Exception {
        try (LabHosts lab = LabHosts.start(2, "--cpufreq", "acpi-cpufreq", "--no-cpufreq-on", "lab02")) {
            Path ghost = tmp.resolve("ghost.yml");
            Files.writeString(ghost, "lab:\n  hosts:\n    ghost:\n      ansible_host: 127.0.0.1\n      ansible_port: " + Shipped.freePort() + "\n");
            TunerCli.Result r = TunerCli.run("facts", "-i", lab.inventoryFile().toString(), "-i", ghost.toString(), "--format", "json");
            assertThat(r.exitCode()).as("an unreachable host is an error\n%s", r.screen()).isEqualTo(1);
            JsonNode doc = JSON.readTree(r.out());
            JsonNode all = doc.get("hosts");
            assertThat(all.has("ghost")).as("ghost has no facts").isFalse();
            assertThat(doc.at("/errors/0/host").asText()).isEqualTo("ghost");
            assertThat(doc.at("/errors/0/type").asText()).isEqualTo("unreachable");
            assertThat(doc.at("/errors/0/error").asText()).as("why ghost has no facts").isNotBlank();

            for (Host h : lab.hosts()) {
                JsonNode facts = all.get(h.name());
                assertThat(facts).as("facts of %s in\n%s", h, r.out()).isNotNull();
                assertThat(facts.get("hostname").asText()).isEqualTo(h.name());
                assertThat(facts.get("kernel").asText()).isEqualTo(HostState.ok(lab.exec(h, "uname -r")).strip());
                assertThat(facts.get("architecture").asText()).isEqualTo(HostState.ok(lab.exec(h, "uname -m")).strip());
                Map<String, String> release = osRelease(HostState.ok(lab.exec(h, "cat /etc/os-release")));
                assertThat(facts.get("os").get("id").asText()).isEqualTo(release.getOrDefault("ID", ""));
                assertThat(facts.get("os").get("name").asText()).isEqualTo(release.getOrDefault("PRETTY_NAME", ""));
                assertThat(facts.get("cpu").get("count").asText()).isEqualTo(HostState.ok(lab.exec(h, "nproc --all")).strip());
                assertThat(facts.get("memory").get("total_kb").asLong()).isEqualTo(memTotalKb(HostState.ok(lab.exec(h, "cat /proc/meminfo"))));
                assertThat(facts.get("systemd").asBoolean()).as("lab hosts run no systemd (lab/README.md)").isFalse();
            }

            // lab/README.md: --cpufreq acpi-cpufreq gives six governors, schedutil by default; lab02 has no cpufreq.
            JsonNode lab01 = all.get("lab01").get("cpufreq");
            assertThat(lab01.get("present").asBoolean()).isTrue();
            assertThat(lab01.get("driver").asText()).isEqualTo("acpi-cpufreq");
            assertThat(lab01.get("governor").asText()).isEqualTo("schedutil");
            assertThat(JSON.convertValue(lab01.get("governors"), List.class)).hasSize(6).contains("schedutil", "performance", "powersave")
                    .isEqualTo(List.of(HostState.ok(lab.exec(lab.host("lab01"),
                            "cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_available_governors")).strip().split("\\s+")));
            JsonNode lab02 = all.get("lab02").get("cpufreq");
            assertThat(lab02.get("present").asBoolean()).isFalse();
            assertThat(lab02.get("driver").asText()).isEmpty();
            assertThat(lab02.get("governors")).isEmpty();
            assertThat(lab02.get("governor").asText()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ independent readings

    /** /etc/os-release as os-release(5) defines it: KEY=value lines, the value optionally quoted. */
    static Map<String, String> osRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) continue;
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1).replaceAll("\\\\([\"\\\\`$])", "$1");
            }
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }

    static long memTotalKb(String meminfo) {
        return meminfo.lines().filter(l -> l.startsWith("MemTotal:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow(() -> new AssertionError("no MemTotal in\n" + meminfo));
    }

    static String cpuModel(String cpuinfo) {
        return cpuinfo.lines().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("");
    }

    /** Number of CPUs in a kernel CPU list such as "0-3,8,10-11". */
    static long cpusIn(String list) {
        long n = 0;
        for (String part : list.split(",")) {
            String[] ab = part.strip().split("-");
            n += ab.length == 1 ? 1 : Long.parseLong(ab[1]) - Long.parseLong(ab[0]) + 1;
        }
        return n;
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /** Output of a command that reports by exit code too (systemd-detect-virt exits 1 when it prints "none"). */
    static String runAllowingFailure(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    static int exit(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
