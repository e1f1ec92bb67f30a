package dev.tuner.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** After `down` nothing of the lab is left on the real machine: no process, namespace, veth or bridge. */
class LabTeardownTest {

    @Test
    void downLeavesNoProcessNamespaceVethBridgeOrStateBehind() throws IOException {
        LabHosts lab = LabHosts.start(2);
        List<Long> pids = new ArrayList<>();
        Set<String> netns = new HashSet<>();
        List<String> veths = new ArrayList<>();
        Path dir = lab.dir();
        String bridge = lab.bridgeName();
        try {
            for (Host h : lab.hosts()) {
                long pid = lab.initPid(h);
                pids.add(pid);
                netns.add(Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "ns", "net")).toString());
                veths.add(lab.vethName(h));
                // A process left running inside the host must go down with it (checked by namespace below).
                assertThat(lab.exec(h, "sleep 300 >/dev/null 2>&1 &").exitCode()).isZero();
            }
            assertThat(Paths.get("/sys/class/net", bridge)).exists();
            assertThat(veths).allSatisfy(v -> assertThat(Paths.get("/sys/class/net", v)).exists());
        } finally {
            lab.stop();
        }
        assertThat(lab.isStopped()).isTrue();
        for (long pid : pids) assertThat(Paths.get("/proc", Long.toString(pid))).doesNotExist();
        assertThat(processesInNamespaces(netns)).as("processes still in the lab's network namespaces").isEmpty();
        for (String v : veths) assertThat(Paths.get("/sys/class/net", v)).doesNotExist();
        assertThat(Paths.get("/sys/class/net", bridge)).doesNotExist();
        assertThat(dir).doesNotExist();
        // `ip netns` was never used, and nothing was left under its directory either.
        assertThat(LabHosts.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).out()).doesNotContain("tuner", "lab");

        // Idempotent: a second down on the same directory is a no-op that succeeds.
        var again = LabHosts.run(List.of(LabHosts.script().toString(), "down", "--dir", dir.toString()), Duration.ofSeconds(30));
        assertThat(again.exitCode()).as(again.err()).isZero();
    }

    @Test
    void downAfterACrashCleansUpWhatIsLeft() throws IOException {
        LabHosts lab = LabHosts.start(1);
        Host h = lab.hosts().get(0);
        long pid = lab.initPid(h);
        String veth = lab.vethName(h);
        // Simulate a crash of the host: its init dies (taking the namespaces with it) but the state
        // directory and the bridge stay. `down` must still finish the job without complaint.
        LabHosts.run(List.of("kill", "-KILL", Long.toString(pid)), Duration.ofSeconds(10));
        lab.stop();
        assertThat(Paths.get("/proc", Long.toString(pid))).doesNotExist();
        assertThat(Paths.get("/sys/class/net", veth)).doesNotExist();
        assertThat(lab.dir()).doesNotExist();
    }

    private static List<String> processesInNamespaces(Set<String> netns) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String ns = Files.readSymbolicLink(p.resolve("ns").resolve("net")).toString();
                    if (netns.contains(ns)) found.add(p.getFileName() + " " + ns);
                } catch (IOException | SecurityException gone) {
                    // the process exited while we looked: fine
                }
            }
        }
        return found;
    }
}
