package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, "Done when", second point, on three real lab hosts: a changed host key is refused
 * (the message shows the offered fingerprint) while the other hosts are processed; sysctl keys and
 * values with shell metacharacters never reach a shell.
 */
class E2eSafetyTest {
    private static LabHosts lab;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(3);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @Test
    void aChangedHostKeyIsRefusedWithTheOfferedFingerprintAndTheOtherHostsAreProcessed(@TempDir Path tmp) throws Exception {
        // known_hosts where lab02 has another key: what a user sees after a host was replaced, or a MITM
        Path otherKey = tmp.resolve("other");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", otherKey.toString())
                .redirectErrorStream(true).start();
        kg.getInputStream().readAllBytes();
        assertThat(kg.waitFor(30, TimeUnit.SECONDS) && kg.exitValue() == 0).as("ssh-keygen").isTrue();
        String otherPub = Files.readString(tmp.resolve("other.pub")).strip().split(" ")[1];
        List<String> lines = Files.readAllLines(lab.knownHostsFile()).stream()
                .map(l -> l.startsWith("lab02,") ? l.replaceFirst("ssh-ed25519 \\S+", "ssh-ed25519 " + otherPub) : l).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("lab02,").contains(otherPub));
        Path knownHosts = tmp.resolve("known_hosts");
        Files.write(knownHosts, lines);
        Path inventory = tmp.resolve("inventory.yml");
        String inv = Files.readString(lab.inventoryFile()).replace(lab.knownHostsFile().toString(), knownHosts.toString());
        assertThat(inv).contains("tuner_known_hosts: " + knownHosts);
        Files.writeString(inventory, inv);
        // the fingerprint lab02's sshd really offers, as OpenSSH prints it
        Process fp = new ProcessBuilder("ssh-keygen", "-l", "-f",
                lab.dir().resolve("hosts/lab02/ssh_host_ed25519_key.pub").toString()).redirectErrorStream(true).start();
        String fpOut = new String(fp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fp.waitFor(30, TimeUnit.SECONDS) && fp.exitValue() == 0).as(fpOut).isTrue();
        String offered = fpOut.split(" ")[1];
        assertThat(offered).startsWith("SHA256:");

        Path pb = HostState.playbook(tmp, "pb.yml", """
                - hosts: lab
                  tasks:
                    - name: fin timeout
                      sysctl: {net.ipv4.tcp_fin_timeout: 29}
                """);
        TunerCli.Result r = TunerCli.run("apply", pb.toString(), "-i", inventory.toString(), "--journal", tmp.resolve("j").toString(), "--no-color", "--no-verify");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(E2eLifecycleTest.recap(r.out(), "lab02")).as(r.screen()).containsEntry("unreachable", 1).containsEntry("changed", 0);
        String lab02 = E2eLifecycleTest.section(r.out(), "lab02");
        assertThat(lab02).as(r.screen()).contains("UNREACHABLE", offered);
        assertThat(E2eLifecycleTest.recap(r.out(), "lab01")).as(r.screen()).containsEntry("changed", 1).containsEntry("unreachable", 0);
        assertThat(E2eLifecycleTest.recap(r.out(), "lab03")).as(r.screen()).containsEntry("changed", 1).containsEntry("unreachable", 0);
        assertThat(HostState.sysctl(lab, lab.host("lab01"), "net.ipv4.tcp_fin_timeout")).isEqualTo("29");
        assertThat(HostState.sysctl(lab, lab.host("lab03"), "net.ipv4.tcp_fin_timeout")).isEqualTo("29");
        assertThat(HostState.sysctl(lab, lab.host("lab02"), "net.ipv4.tcp_fin_timeout")).as("the refused host is untouched").isNotEqualTo("29");
    }

    @Test
    void aKeyWithShellMetacharactersIsRefusedBeforeAnyConnection(@TempDir Path tmp) throws Exception {
        String marker = "/tmp/pwned-" + UUID.randomUUID();
        Path pb = HostState.playbook(tmp, "key.yml", """
                - hosts: lab
                  tasks:
                    - name: injected key
                      sysctl:
                        "vm.swappiness;touch %s": 10
                """.formatted(marker));
        long logins = HostState.logins(lab);
        for (String command : List.of("validate", "plan", "apply")) {
            TunerCli.Result r = command.equals("apply")
                    ? TunerCli.run(command, pb.toString(), "-i", lab.inventoryFile().toString(), "--journal", tmp.resolve("j").toString())
                    : TunerCli.run(command, pb.toString(), "-i", lab.inventoryFile().toString());
            assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
            assertThat(r.screen()).as(command).contains(pb.getFileName() + ":5:", "vm.swappiness;touch " + marker);
        }
        assertThat(HostState.logins(lab)).as("no SSH login happened").isEqualTo(logins);
        assertNoMarker(marker);
    }

    @Test
    void valuesWithShellMetacharactersReachTheKernelAsData(@TempDir Path tmp) throws Exception {
        String marker = "/tmp/pwned-" + UUID.randomUUID();
        Map<String, String> before = HostState.of(lab);
        Map<String, String> cc = new java.util.HashMap<>();
        for (Host h : lab.hosts())
            cc.put(h.name(), HostState.sysctl(lab, h, "net.ipv4.tcp_congestion_control") + "|" + HostState.sysctl(lab, h, "net.ipv4.ip_local_port_range"));
        // Two string-valued keys that are real in a network namespace; the kernel parses each value.
        Map<String, String> evil = new java.util.LinkedHashMap<>();
        evil.put("net.ipv4.tcp_congestion_control", "$(touch " + marker + ")");   // unknown algorithm: ENOENT
        evil.put("net.ipv4.ip_local_port_range", "`touch " + marker + "`; touch " + marker);  // not two numbers: EINVAL
        Path pb = HostState.playbook(tmp, "value.yml", """
                - hosts: lab
                  tasks:
                    - name: injected values
                      sysctl:
                        net.ipv4.tcp_congestion_control: '%s'
                        net.ipv4.ip_local_port_range: '%s'
                """.formatted(evil.get("net.ipv4.tcp_congestion_control"), evil.get("net.ipv4.ip_local_port_range")));
        TunerCli.Result plan = TunerCli.run("plan", pb.toString(), "-i", lab.inventoryFile().toString(), "--no-color");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        evil.values().forEach(v -> assertThat(plan.out()).as("the plan shows the value verbatim").contains("→ " + v));
        TunerCli.Result r = TunerCli.run("apply", pb.toString(), "-i", lab.inventoryFile().toString(), "--journal", tmp.resolve("j").toString(), "--no-color", "--no-verify");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        for (Host h : lab.hosts()) {
            assertThat(E2eLifecycleTest.recap(r.out(), h.name())).as(r.screen()).containsEntry("failed", 1);
            List<String> lines = E2eLifecycleTest.section(r.out(), h.name()).lines().toList();
            // the kernel's own answers, as sysctl(8) would print them
            assertThat(lines).as(r.screen()).anySatisfy(l -> assertThat(l).contains("net.ipv4.tcp_congestion_control",
                    evil.get("net.ipv4.tcp_congestion_control"), "No such file or directory"));
            assertThat(lines).as(r.screen()).anySatisfy(l -> assertThat(l).contains("net.ipv4.ip_local_port_range",
                    evil.get("net.ipv4.ip_local_port_range"), "Invalid argument"));
        }
        assertNoMarker(marker);
        for (Host h : lab.hosts())
            assertThat(HostState.sysctl(lab, h, "net.ipv4.tcp_congestion_control") + "|" + HostState.sysctl(lab, h, "net.ipv4.ip_local_port_range"))
                    .as("%s values the kernel refused are unchanged", h).isEqualTo(cc.get(h.name()));
        assertThat(HostState.of(lab)).as("nothing else changed; no drop-in written for a refused value").isEqualTo(before);
    }

    private static void assertNoMarker(String marker) {
        for (Host h : lab.hosts())
            assertThat(HostState.ok(lab.exec(h, "if [ -e '" + marker + "' ]; then echo exists; else echo absent; fi")).strip())
                    .as("%s on %s", marker, h).isEqualTo("absent");
        assertThat(Path.of(marker)).as("%s on the real machine", marker).doesNotExist();
    }
}
