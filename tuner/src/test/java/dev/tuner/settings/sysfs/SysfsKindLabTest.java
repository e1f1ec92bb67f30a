package dev.tuner.settings.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.SshOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sysfs kind driven as a run drives it (one read script, plan, apply), over SSH on lab hosts:
 * what persists, checked against systemd-tmpfiles itself; what the kernel refuses or changes;
 * undoing one task. Each test has a host of its own.
 */
class SysfsKindLabTest {
    private static final SysfsKind KIND = new SysfsKind();
    private static final String DROPIN = SysfsKind.DEFAULT_FILE;
    private static LabHosts lab;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(3);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    private static Connection connect(Host h) {
        return ConnectionFactory.open(ConnectionSpec.fromVars(h.name(), Map.of("ansible_host", h.ip(), "ansible_user", "root",
                "ansible_ssh_private_key_file", lab.privateKey().toString(), "tuner_known_hosts", lab.knownHostsFile().toString())),
                SshOptions.defaults());
    }

    private static String inHost(Host h, String cmd) {
        ExecResult r = lab.exec(h, cmd);
        assertThat(r.exitCode()).as("%s: %s", cmd, r.err()).isZero();
        return r.out();
    }

    private static List<Desired> tasks(Map<?, ?>... specs) {
        List<Desired> out = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) out.addAll(KIND.desired(i, specs[i]));
        return out;
    }

    private static KindPlan plan(Connection c, Host h, List<Desired> wanted) {
        ReadScript script = new ReadScript();
        HostContext host = new HostContext(h.name(), Map.of(), Map.of());
        KIND.read(wanted, host, script);
        return KIND.plan(wanted, host, script.run(c, Duration.ofMinutes(1)));
    }

    private static ApplyReport apply(Connection c, Host h, KindPlan plan) {
        return KIND.apply(c, plan, new HostContext(h.name(), Map.of(), Map.of()));
    }

    private static Map<String, Change> byKey(List<Change> changes) {
        return changes.stream().collect(Collectors.toMap(Change::key, Function.identity(), (a, b) -> b, LinkedHashMap::new));
    }

    @Test
    void thePersistedValueTunerReportsIsTheOneSystemdTmpfilesWritesAtBoot() {
        Host h = lab.host("lab01");
        // An earlier file names one of our paths exactly (it wins: ours is a duplicate); a later one
        // writes a glob after ours; /etc masks a /run file of the same name. Values have one length,
        // so the fakes (which a write does not truncate) end up holding exactly the last one written.
        inHost(h, "printf 'w /sys/block/sda/queue/nr_requests - - - - 111\\n' > /etc/tmpfiles.d/10-vendor.conf;"
                + " printf 'w /sys/block/sd?/queue/read_ahead_kb - - - - 333\\n' > /etc/tmpfiles.d/90-site.conf;"
                + " mkdir -p /run/tmpfiles.d; printf 'w /sys/block/sdb/queue/nr_requests - - - - 444\\n' > /run/tmpfiles.d/05-masked.conf;"
                + " printf '# masks /run/tmpfiles.d/05-masked.conf\\n' > /etc/tmpfiles.d/05-masked.conf");
        List<Desired> wanted = tasks(Map.of("block/sd*/queue/nr_requests", 222, "block/sd*/queue/read_ahead_kb", 222));
        try (Connection c = connect(h)) {
            KindPlan first = plan(c, h, wanted);
            Map<String, Change> planned = byKey(first.changes());
            assertThat(planned.get("block/sda/queue/nr_requests").note())
                    .contains("persisted as 111 (/etc/tmpfiles.d/10-vendor.conf:1)", "still overridden at boot by /etc/tmpfiles.d/10-vendor.conf:1 (111)");
            assertThat(planned.get("block/sdb/queue/nr_requests").note()).contains("not persisted").doesNotContain("overridden");
            assertThat(planned.get("block/sdb/queue/read_ahead_kb").note()).contains("still overridden at boot by /etc/tmpfiles.d/90-site.conf:1 (333)");
            ApplyReport applied = apply(c, h, first);
            assertThat(applied.failed()).as("%s", applied).isFalse();

            Map<String, Change> after = byKey(plan(c, h, wanted).changes());
            Map<String, String> persisted = new LinkedHashMap<>();
            after.forEach((k, ch) -> persisted.put("/sys/" + k, ch.persisted()));
            assertThat(after.get("block/sdb/queue/nr_requests").state()).isEqualTo(ChangeState.OK);
            assertThat(after.get("block/sda/queue/nr_requests").persistDrift()).isTrue();

            // The boot: systemd-tmpfiles over emptied attributes (it reports the duplicate line; that is the point).
            ExecResult boot = lab.exec(h, "for f in " + String.join(" ", persisted.keySet()) + "; do : > $f; done;"
                    + " systemd-tmpfiles --create --prefix=/sys/block 2>&1; for f in " + String.join(" ", persisted.keySet())
                    + "; do printf '%s=%s\\n' $f \"$(cat $f)\"; done");
            Map<String, String> written = new LinkedHashMap<>();
            boot.out().lines().filter(l -> l.startsWith("/sys/")).forEach(l -> written.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
            assertThat(written).as("systemd-tmpfiles said:\n%s", boot.out()).isEqualTo(persisted);
            assertThat(written).containsEntry("/sys/block/sda/queue/nr_requests", "111").containsEntry("/sys/block/sdb/queue/nr_requests", "222")
                    .containsEntry("/sys/block/sda/queue/read_ahead_kb", "333").containsEntry("/sys/block/sdb/queue/read_ahead_kb", "333");
        }
    }

    @Test
    void aValueTheKernelRefusesIsReportedWithItsErrnoAndKeptOutOfTheDropIn() {
        Host h = lab.host("lab02");
        String shmem = inHost(h, "cat /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null || true").strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(shmem.contains("["), "this kernel has no shmem_enabled with choices");
        String current = shmem.replaceAll(".*\\[(\\S+)\\].*", "$1");
        String other = List.of(shmem.replaceAll("[\\[\\]]", "").split(" ")).stream().filter(w -> !w.equals(current)).findFirst().orElseThrow();
        // shmem_enabled is a real attribute the lab leaves read-only: the kernel (here, the mount) answers EROFS.
        List<Desired> wanted = tasks(Map.of("kernel/mm/transparent_hugepage/shmem_enabled", other, "block/sdb/queue/nr_requests", 128));
        try (Connection c = connect(h)) {
            ApplyReport r = apply(c, h, plan(c, h, wanted));
            Map<String, Change> out = byKey(r.changes());
            assertThat(out.get("kernel/mm/transparent_hugepage/shmem_enabled").state()).isEqualTo(ChangeState.FAILED);
            assertThat(out.get("kernel/mm/transparent_hugepage/shmem_enabled").note()).isEqualTo(
                    "kernel refused kernel/mm/transparent_hugepage/shmem_enabled = " + other
                            + ": cannot create /sys/kernel/mm/transparent_hugepage/shmem_enabled: Read-only file system; it keeps '" + current + "'");
            assertThat(out.get("block/sdb/queue/nr_requests").state()).isEqualTo(ChangeState.CHANGE);
        }
        assertThat(inHost(h, "cat /sys/kernel/mm/transparent_hugepage/shmem_enabled").strip()).isEqualTo(shmem);
        assertThat(inHost(h, "cat /sys/block/sdb/queue/nr_requests")).isEqualTo("128\n");
        assertThat(inHost(h, "cat " + DROPIN)).as("only what the kernel took is persisted")
                .isEqualTo("# Managed by tuner: rewritten on every apply; change the playbook instead.\nw /sys/block/sdb/queue/nr_requests - - - - 128\n");
        inHost(h, "rm " + DROPIN + "; echo 64 > /sys/block/sdb/queue/nr_requests");
    }

    @Test
    void aValueTheKernelStoresDifferentlyIsReportedAndTheAttributePutBack() {
        Host h = lab.host("lab02");
        List<Desired> wanted = tasks(Map.of("block/sda/queue/read_ahead_kb", 4095));
        try (Connection real = connect(h)) {
            Connection kernel = new PageRoundingKernel(real);
            ApplyReport r = apply(kernel, h, plan(kernel, h, wanted));
            Change c = r.changes().get(0);
            assertThat(c.state()).isEqualTo(ChangeState.FAILED);
            assertThat(c.note()).isEqualTo("kernel stored '4092' for block/sda/queue/read_ahead_kb instead of '4095'; put back '128'");
            assertThat(r.filesWritten()).as("nothing the kernel took, so no drop-in").isEmpty();
        }
        assertThat(inHost(h, "cat /sys/block/sda/queue/read_ahead_kb")).isEqualTo("128\n");
        assertThat(inHost(h, "cat " + DROPIN + " 2>/dev/null || true")).doesNotContain("read_ahead_kb");
    }

    @Test
    void undoingOneTaskRestoresItsAttributesAndItsDropInLinesOnly() {
        Host h = lab.host("lab03");
        String thpBefore = inHost(h, "cat /sys/kernel/mm/transparent_hugepage/enabled");
        String thp = thpBefore.contains("[never]") ? "always" : "never";
        List<Desired> wanted = tasks(Map.of("kernel/mm/transparent_hugepage/enabled", thp), Map.of("block/sdb/queue/read_ahead_kb", 512));
        try (Connection c = connect(h)) {
            ApplyReport applied = apply(c, h, plan(c, h, wanted));
            assertThat(applied.failed()).isFalse();
            ApplyReport undone = apply(c, h, KIND.undoTasks(applied, Set.of(1)));
            assertThat(undone.failed()).isFalse();
        }
        assertThat(inHost(h, "cat /sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo(thp + "\n");
        assertThat(inHost(h, "cat /sys/block/sdb/queue/read_ahead_kb")).isEqualTo("128\n");
        assertThat(inHost(h, "cat " + DROPIN)).isEqualTo("# Managed by tuner: rewritten on every apply; change the playbook instead.\n"
                + "w /sys/kernel/mm/transparent_hugepage/enabled - - - - " + thp + "\n");
    }

    /**
     * The kernel rounds read_ahead_kb down to whole 4 KiB pages; the lab's plain fake files keep
     * what they are given. This connection makes the stored value what the kernel would store, by
     * rounding the numbers a write sends (the only thing emulated here).
     */
    private static final class PageRoundingKernel implements Connection {
        private final Connection real;

        PageRoundingKernel(Connection real) {
            this.real = real;
        }

        @Override
        public String hostName() {
            return real.hostName();
        }

        @Override
        public ExecResult exec(String script, byte[] stdin, Duration timeout) {
            if (stdin == null) return real.exec(script, null, timeout);
            String rounded = new String(stdin, StandardCharsets.UTF_8).lines()
                    .map(l -> l.matches("\\d+") ? String.valueOf(Long.parseLong(l) / 4 * 4) : l)
                    .collect(Collectors.joining("\n", "", "\n"));
            return real.exec(script, rounded.getBytes(StandardCharsets.UTF_8), timeout);
        }

        @Override
        public void close() {
            // the real connection is closed by its owner
        }
    }
}
