package dev.tuner.settings.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.testing.LabHosts;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.kit.KernelFiles.Outcome;
import dev.tuner.settings.kit.KernelFiles.Write;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runtime writes into kernel files of a lab host over SSH: the kernel's own answers, read back through the host's shell. */
class KernelFilesTest {
    private static LabHosts lab;
    private static LabHosts.Host host;
    private static Connection conn;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(1);
        host = lab.hosts().get(0);
        conn = ConnectionFactory.open(ConnectionSpec.fromVars(host.name(), Map.of("ansible_host", host.ip(), "ansible_user", "root",
                "ansible_ssh_private_key_file", lab.privateKey().toString(), "tuner_known_hosts", lab.knownHostsFile().toString())),
                SshOptions.defaults());
    }

    @AfterAll
    static void down() {
        if (conn != null) conn.close();
        if (lab != null) lab.stop();
    }

    private static String inHost(String cmd) {
        var r = lab.exec(host, cmd);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out();
    }

    @Test
    void valuesReachTheFilesOnStdinUntouchedByAShellAndAreReadBack() {
        String hostile = "$(touch /tmp/pwned) `touch /tmp/pwned` ; ' \" \\ *";
        List<Outcome> out = KernelFiles.write(conn, List.of(
                new Write("/sys/kernel/mm/transparent_hugepage/enabled", "never"),
                new Write("/sys/block/sda/queue/read_ahead_kb", hostile)));
        assertThat(out).extracting(Outcome::refusal).containsOnlyNulls();
        assertThat(out.get(0).readBack()).isEqualTo(new ReadOutput.Entry(ReadOutput.Status.OK, "never\n"));
        assertThat(out.get(1).readBack().text()).isEqualTo(hostile + "\n");
        assertThat(inHost("cat /sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo("never\n");
        assertThat(inHost("cat /sys/block/sda/queue/read_ahead_kb")).isEqualTo(hostile + "\n");
        assertThat(lab.exec(host, "test -e /tmp/pwned").exitCode()).as("nothing in the value ran").isNotZero();
        inHost("echo 'always [madvise] never' > /sys/kernel/mm/transparent_hugepage/enabled; echo 128 > /sys/block/sda/queue/read_ahead_kb");
    }

    @Test
    void theKernelsRefusalIsReportedWithItsErrnoTextAndTheFileIsReadBackAnyway() {
        // net.* is the host's own network namespace: a real kernel file with a real parser.
        String before = inHost("cat /proc/sys/net/ipv4/tcp_fin_timeout");
        List<Outcome> out = KernelFiles.write(conn, List.of(
                new Write("/proc/sys/net/ipv4/tcp_fin_timeout", "soon"),
                new Write("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "never"),
                new Write("/sys/block/sda/queue/no_such_attribute", "1")));
        assertThat(out.get(0).refusal()).isEqualTo("write error: Invalid argument");
        assertThat(out.get(0).readBack().text()).isEqualTo(before);
        assertThat(out.get(1).refusal()).endsWith("/sys/kernel/mm/transparent_hugepage/shmem_enabled: Read-only file system");
        assertThat(out.get(2).refusal()).endsWith(": Read-only file system");
        assertThat(out.get(2).readBack().status()).isEqualTo(ReadOutput.Status.MISSING);
        assertThat(inHost("cat /proc/sys/net/ipv4/tcp_fin_timeout")).isEqualTo(before);
    }

    @Test
    void aValueOfSeveralLinesIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> KernelFiles.write(conn, List.of(
                new Write("/sys/block/sda/queue/nr_requests", "32"),
                new Write("/sys/block/sdb/queue/nr_requests", "32\n64"))))
                .isInstanceOf(SpecException.class).hasMessageContaining("/sys/block/sdb/queue/nr_requests must be one line");
        assertThat(inHost("cat /sys/block/sda/queue/nr_requests /sys/block/sdb/queue/nr_requests")).isEqualTo("64\n64\n");
    }
}
