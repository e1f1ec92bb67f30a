package dev.tuner.settings.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.RunScope;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.LocalConnection;
import dev.tuner.transport.TransportException;
import dev.tuner.vsphere.Vim25Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part of a power cycle the CLI tests cannot reach (vcsim VMs have no guest to SSH into, so they use
 * the local connection and the wait is skipped): after the power-on the kind reconnects until the guest
 * answers, and puts the VM back on its previous settings when it never does. The guest's SSH is played
 * by a shell on this machine behind a connection that is not the local one, reachable or not as the test
 * decides through the reconnect supplier.
 */
class VmxKindGuestTest {
    static final String VM = "DC0_H0_VM0";

    @TempDir
    Path dir;
    Vcsim sim;
    RunScope scope;
    final VmxKind kind = new VmxKind(name -> null, Duration.ofMillis(20));

    /** A guest reached over some transport other than the local one (the kind waits only for those). */
    static final class Guest implements Connection {
        private final LocalConnection shell = LocalConnection.thisMachine();

        @Override
        public String hostName() {
            return "guest";
        }

        @Override
        public ExecResult exec(String script, byte[] stdin, Duration timeout) {
            return shell.exec(script, stdin, timeout);
        }

        @Override
        public void close() {
        }
    }

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

    HostContext host(Supplier<Connection> reconnect) throws Exception {
        Path pass = dir.resolve("pass");
        Files.writeString(pass, Vcsim.PASSWORD);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("vsphere_vm", VM);
        vars.put("vsphere", Map.of("url", sim.url.toString(), "user", Vcsim.USER, "password_file", pass.toString(),
                "thumbprint", sim.thumbprint));
        vars.put("vsphere_guest_timeout", 1);
        return new HostContext("db01", vars, Map.of(), null, Map.of(0, Map.of("power_cycle", "allowed")), scope, reconnect);
    }

    KindPlan plan(HostContext host) {
        return kind.plan(kind.desired(0, Map.of("numvcpus", 2, "disk.EnableUUID", true)), host, ReadOutput.empty());
    }

    @Test
    void afterThePowerOnItReconnectsUntilTheGuestAnswers() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        HostContext host = host(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new TransportException("connect to db01:22: connection refused");
            }
            return new Guest();
        });
        ApplyReport r = kind.apply(new Guest(), plan(host), host);
        assertThat(r.failed()).isFalse();
        assertThat(r.notes()).contains("vmx: db01 answers again after the power-on");
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(PyVmomi.read(sim, VM).get("numCPU").asInt()).isEqualTo(2);
    }

    @Test
    void aGuestThatNeverAnswersIsPutBackOnItsPreviousSettings() throws Exception {
        // A guest that boots only on one vCPU, as one without the driver for a new controller would not boot at all.
        try (Vim25Client observer = sim.connect()) {
            HostContext host = host(() -> {
                if (observer.readVm(observer.findVm(VM)).numCpu() != 1) {
                    throw new TransportException("connect to db01:22: no route to host");
                }
                return new Guest();
            });
            KindPlan plan = plan(host);
            assertThatThrownBy(() -> kind.apply(new Guest(), plan, host))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("the guest of DC0_H0_VM0")
                    .hasMessageContaining("did not answer within 1s after the power-on (last: connect to db01:22: no route to host)")
                    .hasMessageContaining("was put back on its previous settings and its guest answers again");
        }
        JsonNode vm = PyVmomi.read(sim, VM);
        assertThat(vm.get("numCPU").asInt()).isEqualTo(1);
        assertThat(vm.get("extraConfig").path("disk.EnableUUID").asText("")).isEmpty();
        assertThat(vm.get("powerState").asText()).isEqualTo("poweredOn");
    }

    @Test
    void aRollbackPlanOfAChangeThatNeverHappenedChangesNothing() throws Exception {
        HostContext host = host(Guest::new);
        KindPlan plan = plan(host);
        // What HostWork reverts after a failure: the inverse of a plan whose changes were never made.
        KindPlan inverse = dev.tuner.run.Inverse.of("vmx", plan.changes(), List.of());
        int before = sim.traceLength();
        ApplyReport r = kind.apply(new Guest(), inverse, host);
        assertThat(r.changes()).allSatisfy(c -> assertThat(c.note()).startsWith("already "));
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task");
    }
}
