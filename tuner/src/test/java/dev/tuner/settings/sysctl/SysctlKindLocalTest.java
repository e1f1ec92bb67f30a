package dev.tuner.settings.sysctl;

import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans against this machine through the local connection: reads only. */
class SysctlKindLocalTest {
    private final SysctlKind kind = new SysctlKind();

    /** Files.readString stops after one byte on /proc files (they report size 0): read them as streams. */
    static String proc(String key) throws java.io.IOException {
        try (var in = Files.newInputStream(Path.of("/proc/sys/" + key))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
    }

    private KindPlan plan(List<Desired> wanted) {
        return plan(wanted, Map.of());
    }

    private KindPlan plan(List<Desired> wanted, Map<String, Object> vars) {
        HostContext host = new HostContext("localhost", vars, Map.of());
        ReadScript script = new ReadScript();
        kind.read(wanted, host, script);
        try (var c = ConnectionFactory.open(ConnectionSpec.fromVars("localhost", Map.of("ansible_connection", "local")), SshOptions.defaults())) {
            return kind.plan(wanted, host, script.run(c, Duration.ofMinutes(1)));
        }
    }

    @Test
    void readsTheRunningValueAndPlansAChange() throws Exception {
        String running = proc("vm/swappiness");
        String other = running.equals("33") ? "34" : "33";

        KindPlan p = plan(List.of(new Desired(0, "vm.swappiness", other)));

        Change c = p.changes().get(0);
        assertThat(c.current()).isEqualTo(running);
        assertThat(c.state()).isEqualTo(ChangeState.CHANGE);
        assertThat(c.runningDrift()).isTrue();
        assertThat(p.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo(SysctlKind.DEFAULT_FILE);
            assertThat(f.after()).contains("vm.swappiness = " + other + "\n");
        });
    }

    @Test
    void keepsTabsOfMultiValueKeysApartFromTheComparison() throws Exception {
        String running = proc("net/ipv4/tcp_rmem");
        KindPlan p = plan(List.of(new Desired(0, "net.ipv4.tcp_rmem", running.replace('\t', ' '))));
        assertThat(p.changes().get(0).runningDrift()).isFalse();
    }

    @Test
    void aKeyTheKernelDoesNotHaveFailsNamingTheKey() {
        KindPlan p = plan(List.of(new Desired(0, "vm.no_such_knob", "1")));
        assertThat(p.changes().get(0).state()).isEqualTo(ChangeState.FAILED);
        assertThat(p.changes().get(0).note()).contains("no such key").contains("/proc/sys/vm/no_such_knob");
        assertThat(p.files()).isEmpty();
    }

    @Test
    void aKeySetByTwoTasksKeepsTheLaterValueAndSaysSo() {
        KindPlan p = plan(List.of(new Desired(0, "vm.swappiness", "11"), new Desired(2, "vm.swappiness", "12")));
        assertThat(p.changes()).singleElement().satisfies(c -> {
            assertThat(c.task()).isEqualTo(2);
            assertThat(c.desired()).isEqualTo("12");
        });
        assertThat(p.notes()).containsExactly("vm.swappiness is set by task #1 (11) and task #3 (12); the later one wins");
    }

    @Test
    void aRelativeDropInPathFailsEveryKeyNamingTheVariable() {
        KindPlan p = plan(List.of(new Desired(0, "vm.swappiness", "33")), Map.of("tuner_sysctl_file", "60-tuner.conf"));
        assertThat(p.files()).isEmpty();
        assertThat(p.changes()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(ChangeState.FAILED);
            assertThat(c.note()).contains("tuner_sysctl_file", "must be absolute", "60-tuner.conf");
        });
    }
}
