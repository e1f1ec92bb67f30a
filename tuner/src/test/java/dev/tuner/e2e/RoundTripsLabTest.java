package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabFiles;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a drift costs a host in round trips, counted by the host itself: root's bash sources
 * ~/.bashrc for every command sshd runs (Debian builds bash so), and that file appends the pid of
 * the sshd process serving the connection. One connection and one command per host, unless the
 * play can read facts: then a second command gathers them first.
 */
class RoundTripsLabTest {
    private static final String LOG = "/tmp/sessions";
    private static LabHosts lab;
    private static Host host;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(1);
        host = lab.hosts().get(0);
        // The connection's sshd, and how many connections the host has open (ESTABLISHED on port 22).
        new LabFiles(lab).put(host, "/root/.bashrc", "echo \"$PPID $(awk '$2 ~ /:0016$/ && $4 == \"01\"' /proc/net/tcp | wc -l)\" >> "
                + LOG + "\n");
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @BeforeEach
    void clear() {
        LabFiles.ok(lab.exec(host, "rm -f " + LOG), "rm");
    }

    /** One line per command sshd ran: the connection's sshd process and the connections open then. */
    private static List<String[]> log() {
        return LabFiles.ok(lab.exec(host, "cat " + LOG + " 2>/dev/null || true"), "cat").lines().map(l -> l.split(" ")).toList();
    }

    /** The sshd process of each command sshd ran, in order. */
    private static List<String> sessions() {
        return log().stream().map(l -> l[0]).toList();
    }

    private TunerCli.Result drift(String play, String... extra) throws Exception {
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, play);
        List<String> args = new java.util.ArrayList<>(List.of("drift", p.toString(), "-i", lab.inventoryFile().toString()));
        args.addAll(List.of(extra));
        return TunerCli.run(args);
    }

    private static String play(String task) {
        return "- name: p\n  hosts: lab\n  tasks:\n" + task;
    }

    @Test
    void aPlayThatCannotReadFactsCostsOneConnectionAndOneCommand() throws Exception {
        TunerCli.Result r = drift(play("    - name: t\n      sysctl: {net.ipv4.tcp_fin_timeout: 60}\n    - name: g\n      governor: performance\n"));
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(sessions()).hasSize(1);
    }

    @Test
    void factsInAConditionAreGatheredFirstOverTheSameConnection() throws Exception {
        TunerCli.Result r = drift(play("    - name: t\n      when: facts.cpu.count > 0\n      sysctl: {net.ipv4.tcp_fin_timeout: 60}\n"));
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(r.out()).doesNotContain("condition is false");
        List<String> s = sessions();
        assertThat(s).hasSize(2);
        assertThat(s.get(0)).as("one connection").isEqualTo(s.get(1));
    }

    @Test
    void factsNamedOnlyByAnExtraVariableAreGatheredToo() throws Exception {
        TunerCli.Result r = drift(play("    - name: t\n      sysctl: {net.ipv4.tcp_fin_timeout: \"{{ timeout }}\"}\n"),
                "-e", "{\"timeout\": \"{{ facts.cpu.count * 60 }}\"}");
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(r.out()).doesNotContain("undefined");
        assertThat(sessions()).hasSize(2);
    }

    @Test
    void gatherFactsFalseGathersNoneEvenWhenNamed() throws Exception {
        TunerCli.Result r = drift("- name: p\n  hosts: lab\n  gather_facts: false\n  tasks:\n"
                + "    - name: t\n      sysctl: {net.ipv4.tcp_fin_timeout: 60}\n");
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(sessions()).hasSize(1);
    }

    @Test
    void everyPlayOfAHostUsesItsOneConnection() throws Exception {
        TunerCli.Result r = drift(play("    - name: t\n      sysctl: {net.ipv4.tcp_fin_timeout: 60}\n") + play("    - name: u\n      sysctl: {net.ipv4.tcp_keepalive_time: 7200}\n"));
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(sessions()).hasSize(2).containsOnly(sessions().get(0));
    }

    @Test
    void aHostsConnectionClosesAfterItsLastPlaySoAFleetHoldsAboutForksConnections() throws Exception {
        // Eight inventory hosts that are all this one lab host: with two forks, never more than two open at once.
        StringBuilder inv = new StringBuilder("all:\n  children:\n    lab:\n      hosts:\n");
        for (int i = 1; i <= 8; i++) {
            inv.append("        alias").append(i).append(":\n          ansible_host: ").append(host.ip())
                    .append("\n          ansible_user: root\n          ansible_ssh_private_key_file: ").append(lab.privateKey()).append('\n');
        }
        inv.append("      vars:\n        tuner_known_hosts: ").append(lab.knownHostsFile()).append('\n');
        Path inventory = tmp.resolve("aliases.yml");
        Files.writeString(inventory, inv);
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, play("    - name: t\n      sysctl: {net.ipv4.tcp_fin_timeout: 60}\n"));
        TunerCli.Result r = TunerCli.run("drift", p.toString(), "-i", inventory.toString(), "-f", "2");
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        List<String[]> log = log();
        assertThat(log).hasSize(8);
        assertThat(log).allSatisfy(l -> assertThat(Integer.parseInt(l[1])).as("connections open").isBetween(1, 2));
    }
}
