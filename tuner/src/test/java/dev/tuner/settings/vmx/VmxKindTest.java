package dev.tuner.settings.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.LocalConnection;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import dev.tuner.vsphere.VimFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vmx kind's plan and apply against vcsim, as the host engine calls them, with pyVmomi as the independent reading. */
class VmxKindTest {
    static final String VM = "DC0_H0_VM0";

    @TempDir
    Path dir;
    Vcsim sim;
    RunScope scope;
    final VmxKind kind = new VmxKind(name -> null, Duration.ofMillis(20));

    @BeforeEach
    void start() throws Exception {
        sim = Vcsim.start();
        scope = new RunScope();
    }

    @AfterEach
    void stop() {
        scope.close();
        if (sim != null) {
            sim.close();
        }
    }

    HostContext host() throws Exception {
        Path pass = dir.resolve("pass");
        Files.writeString(pass, Vcsim.PASSWORD);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("vsphere_vm", VM);
        vars.put("vsphere", Map.of("url", sim.url.toString(), "user", Vcsim.USER, "password_file", pass.toString(),
                "thumbprint", sim.thumbprint));
        return new HostContext("db01", vars, Map.of(), null, Map.of(0, Map.of("power_cycle", "allowed"),
                1, Map.of("power_cycle", "allowed")), scope, null);
    }

    static Map<String, Change> byKey(List<Change> changes) {
        Map<String, Change> out = new LinkedHashMap<>();
        changes.forEach(c -> out.put(c.key(), c));
        return out;
    }

    @Test
    void aKeyTwoTasksSetIsTheLaterTasksWithANoteNamingBoth() throws Exception {
        List<Desired> wanted = new ArrayList<>(kind.desired(0, Map.of("numvcpus", 2, "disk.EnableUUID", true)));
        // vmx keys ignore case: NumVCPUs is numvcpus. The same value twice is no conflict and needs no note.
        wanted.addAll(kind.desired(1, Map.of("NumVCPUs", 4, "disk.EnableUUID", "TRUE")));
        HostContext host = host();
        KindPlan plan = kind.plan(wanted, host, ReadOutput.empty());

        assertThat(plan.changes()).extracting(Change::key).containsExactlyInAnyOrder("numvcpus", "disk.EnableUUID");
        Change cpus = byKey(plan.changes()).get("numvcpus");
        assertThat(cpus.task()).isEqualTo(1);
        assertThat(cpus.state()).isEqualTo(ChangeState.CHANGE);
        assertThat(cpus.current()).isEqualTo(PyVmomi.read(sim, VM).get("numCPU").asText());
        assertThat(cpus.desired()).isEqualTo("4");
        assertThat(plan.notes()).contains("numvcpus is set by task #1 (2) and task #2 (4); the later one wins")
                .noneMatch(n -> n.contains("disk.EnableUUID"));

        ApplyReport r = kind.apply(LocalConnection.thisMachine(), plan, host);
        assertThat(r.failed()).isFalse();
        assertThat(PyVmomi.read(sim, VM).get("numCPU").asInt()).isEqualTo(4);
    }

    @Test
    void aKeySomeoneElseChangedSinceThePlanIsLeftAloneAndTheOthersApply() throws Exception {
        HostContext host = host();
        KindPlan plan = kind.plan(kind.desired(0, Map.of("disk.EnableUUID", "TRUE", "sched.mem.pshare.enable", "FALSE")),
                host, ReadOutput.empty());
        PyVmomi.set(sim, VM, "sched.mem.pshare.enable=TRUE");

        ApplyReport r = kind.apply(LocalConnection.thisMachine(), plan, host);
        Map<String, Change> c = byKey(r.changes());
        assertThat(c.get("sched.mem.pshare.enable").state()).isEqualTo(ChangeState.FAILED);
        assertThat(c.get("sched.mem.pshare.enable").note())
                .isEqualTo("changed since the plan by someone else (planned from (unset), now TRUE): left alone; plan again");
        assertThat(c.get("disk.EnableUUID").state()).isEqualTo(ChangeState.CHANGE);
        JsonNode extra = PyVmomi.read(sim, VM).get("extraConfig");
        assertThat(extra.get("sched.mem.pshare.enable").asText()).as("the other client's value stays").isEqualTo("TRUE");
        assertThat(extra.get("disk.EnableUUID").asText()).isEqualTo("TRUE");
    }

    @Test
    void aServerFaultReachesTheEngineAsTheServersFault() throws Exception {
        HostContext host = host();
        KindPlan plan = kind.plan(kind.desired(0, Map.of("disk.EnableUUID", "TRUE")), host, ReadOutput.empty());
        // vSphere refuses to reconfigure a template.
        PyVmomi.makeTemplate(sim, VM);
        assertThatThrownBy(() -> kind.apply(LocalConnection.thisMachine(), plan, host))
                .isInstanceOfSatisfying(VimFault.class, f -> assertThat(f.faultType()).isEqualTo("NotSupported"))
                .hasMessageStartingWith("NotSupported: ");
        assertThat(PyVmomi.read(sim, VM).get("extraConfig").has("disk.EnableUUID")).isFalse();
    }
}
