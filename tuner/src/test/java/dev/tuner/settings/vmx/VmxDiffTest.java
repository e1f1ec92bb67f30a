package dev.tuner.settings.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.settings.Cost;
import dev.tuner.vsphere.PowerState;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import dev.tuner.vsphere.Vim25Client;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading a VM as vmx keys and what changing them costs, against vcsim (read-only: one simulator for
 * all), with pyVmomi as the independent reading.
 */
class VmxDiffTest {
    static final String VM = "DC0_H0_VM0";
    static Vcsim sim;
    static Vim25Client client;
    static VmxState state;

    @BeforeAll
    static void start() throws Exception {
        sim = Vcsim.start();
        client = sim.connect();
        state = VmxState.read(client, client.findVm(VM));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static Map<String, String> m(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    static Map<String, VmxChange> byKey(List<VmxChange> changes) {
        Map<String, VmxChange> out = new LinkedHashMap<>();
        changes.forEach(c -> out.put(c.key(), c));
        return out;
    }

    @Test
    void readsTheVmAsVmxKeys() throws Exception {
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(state.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(state.powerState().wire()).isEqualTo(py.get("powerState").asText());
        assertThat(state.values()).containsEntry("numvcpus", py.get("numCPU").asText())
                .containsEntry("cpuid.coresPerSocket", py.get("numCoresPerSocket").asText())
                .containsEntry("memsize", py.get("memoryMB").asText())
                .containsEntry("mem.hotadd", "FALSE").containsEntry("vcpu.hotadd", "FALSE")
                .containsEntry("scsi0.virtualDev", "pvscsi").containsEntry("ethernet0.virtualDev", "e1000")
                .containsEntry("ethernet0.wakeOnPcktRcv", "TRUE")
                .containsEntry("govcsim", py.get("extraConfig").get("govcsim").asText());
        assertThat(state.get("NUMVCPUS")).as("vmx keys ignore case").isEqualTo("1");
    }

    @Test
    void eachChangeHasItsCostAndWarnings() {
        Map<String, VmxChange> c = byKey(VmxDiff.diff(state, m("numvcpus", "2", "memsize", "64", "disk.EnableUUID", "TRUE",
                "ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "false", "scsi0.virtualDev", "pvscsi",
                "govcsim", "true")));
        assertThat(c.keySet()).as("unchanged keys (and TRUE spelled true) are not changes")
                .containsExactly("numvcpus", "memsize", "disk.EnableUUID", "ethernet0.virtualDev", "ethernet0.wakeOnPcktRcv");
        assertThat(c.get("numvcpus")).hasToString("numvcpus: 1 -> 2 [power-cycle]");
        assertThat(c.get("memsize").cost()).isEqualTo(Cost.POWER_CYCLE);
        assertThat(c.get("disk.EnableUUID")).hasToString("disk.EnableUUID: (unset) -> TRUE [next-boot]");
        assertThat(c.get("ethernet0.wakeOnPcktRcv").cost()).isEqualTo(Cost.LIVE);
        assertThat(c.get("ethernet0.virtualDev").cost()).isEqualTo(Cost.POWER_CYCLE);
        assertThat(c.get("ethernet0.virtualDev").warnings()).singleElement().asString().contains("may rename the interface");
        assertThat(VmxDiff.diff(state, m("scsi0.virtualDev", "lsilogic"))).singleElement().satisfies(s -> {
            assertThat(s.cost()).isEqualTo(Cost.POWER_CYCLE);
            assertThat(s.warnings()).singleElement().asString().contains("lsilogic driver");
        });
    }

    @Test
    void rejectsBadKeysAndValuesBeforeTouchingTheVm() throws Exception {
        int before = sim.traceLength();
        assertThatThrownBy(() -> VmxDiff.diff(state, m("memsize", "30"))).hasMessageContaining("multiple of 4 MB");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("numvcpus", "3", "cpuid.coresPerSocket", "2")))
                .hasMessageContaining("numvcpus 3 is not a multiple of cpuid.coresPerSocket 2");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("numvcpus", "two"))).hasMessageContaining("must be a whole number");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("scsi0.virtualDev", "pvscis"))).hasMessageContaining("did you mean 'pvscsi'");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("scsi1.virtualDev", "pvscsi")))
                .hasMessageContaining("scsi1 does not exist on DC0_H0_VM0 (vm-").hasMessageContaining("it has scsi0");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("ethernet1.virtualDev", "vmxnet3"))).hasMessageContaining("it has ethernet0");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("scsi0:3.virtualSSD", "1"))).hasMessageContaining("scsi0:3 is not a disk");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("ethernet0.present", "FALSE"))).hasMessageContaining("describes a device");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("mem.hotadd", "maybe"))).hasMessageContaining("must be TRUE or FALSE");
        assertThatThrownBy(() -> VmxDiff.diff(state, m("memsize", ""))).hasMessageContaining("cannot be removed");
        assertThat(sim.traceSince(before)).as("checking sends nothing").isEmpty();
    }

    @Test
    void oneKeyTheVmCannotHaveFailsAloneAndCpusAreJudgedWithTheWantedCores() {
        VmxDiff.PerKey each = VmxDiff.diffEach(state, m("scsi1.virtualDev", "pvscsi", "disk.EnableUUID", "TRUE",
                "numvcpus", "8", "cpuid.coresPerSocket", "4"));
        assertThat(each.failures()).containsOnlyKeys("scsi1.virtualDev");
        assertThat(each.changes()).containsOnlyKeys("disk.EnableUUID", "numvcpus", "cpuid.coresPerSocket");

        VmxDiff.PerKey partial = VmxDiff.diffEach(state, m("numvcpus", "3", "cpuid.coresPerSocket", "2", "disk.EnableUUID", "TRUE"));
        assertThat(partial.failures()).containsOnlyKeys("numvcpus", "cpuid.coresPerSocket")
                .allSatisfy((k, why) -> assertThat(why).contains("numvcpus 3 is not a multiple of cpuid.coresPerSocket 2"));
        assertThat(partial.changes()).containsOnlyKeys("disk.EnableUUID");
    }
}
