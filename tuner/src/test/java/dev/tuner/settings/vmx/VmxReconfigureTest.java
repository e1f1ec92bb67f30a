package dev.tuner.settings.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.Cost;
import dev.tuner.vsphere.Device;
import dev.tuner.vsphere.PowerState;
import dev.tuner.testing.PyVmomi;
import dev.tuner.vsphere.TaskOptions;
import dev.tuner.testing.Vcsim;
import dev.tuner.vsphere.Vim25Client;
import dev.tuner.vsphere.VmConfig;
import dev.tuner.vsphere.VmRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vmx reconfigure against vcsim, each test on a fresh simulator. What the simulator cannot judge (it
 * never checks power state, element order or device keys) is checked on the SOAP requests it traced, and
 * values are cross-checked with pyVmomi, an independent client.
 */
class VmxReconfigureTest {
    static final String VM = "DC0_H0_VM0";
    Vcsim sim;
    Vim25Client client;
    VmxReconfigure vmx;
    VmRef vm;

    @BeforeEach
    void start() throws Exception {
        sim = Vcsim.start();
        client = sim.connect();
        vmx = new VmxReconfigure(client);
        vm = client.findVm(VM);
    }

    @AfterEach
    void stop() {
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

    VmxState read() {
        return VmxState.read(client, vm);
    }

    ReconfigResult apply(Map<String, String> want, ApplyOptions opts) {
        return vmx.apply(read(), want, opts);
    }

    static ApplyOptions allowCycle() {
        return ApplyOptions.defaults().withAllowPowerCycle(true).withShutdownTimeout(Duration.ofSeconds(20));
    }

    @Test
    void refusesPowerCycleChangesOnARunningVmWithoutPermission() throws Exception {
        int before = sim.traceLength();
        assertThatThrownBy(() -> apply(m("numvcpus", "2", "disk.EnableUUID", "TRUE"), ApplyOptions.defaults()))
                .isInstanceOf(ApplyException.class)
                .hasMessage("refusing to power-cycle DC0_H0_VM0 (" + vm.moRef().value() + ") (poweredOn) for numvcpus: 1 -> 2 [power-cycle]: "
                        + "allow it with power_cycle: allowed (play or task) or --allow-power-cycle; nothing was changed");
        // vcsim would have accepted it on the running VM: the refusal is ours, and nothing was sent.
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("numCPU").asInt()).isEqualTo(1);
        assertThat(py.get("extraConfig").has("disk.EnableUUID")).as("not even the next-boot key").isFalse();
        assertThat(py.get("powerState").asText()).isEqualTo("poweredOn");
    }

    @Test
    void permissionIsPerKeyAndOneRefusedKeyStopsAll() throws Exception {
        int before = sim.traceLength();
        ApplyOptions cpuOnly = ApplyOptions.defaults().withPowerCycle(key -> key.equals("numvcpus"), "ask the owner");
        assertThatThrownBy(() -> apply(m("numvcpus", "2", "memsize", "64"), cpuOnly))
                .hasMessageContaining("for memsize: 32 -> 64 [power-cycle]: ask the owner; nothing was changed")
                .message().doesNotContain("numvcpus");
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");
        assertThat(PyVmomi.read(sim, VM).get("numCPU").asInt()).isEqualTo(1);
    }

    @Test
    void powerCyclesWhenAllowedAndSetsCpuAndMemoryThroughTheirFields() throws Exception {
        List<String> progress = new ArrayList<>();
        int before = sim.traceLength();
        ReconfigResult r = apply(m("numvcpus", "4", "cpuid.coresPerSocket", "2", "memsize", "64"),
                allowCycle().withProgress((t, p) -> progress.add(t + " " + p)));

        assertThat(r.powerCycled()).isTrue();
        assertThat(r.hardPowerOff()).isFalse();
        assertThat(r.applied()).extracting(VmxChange::cost).containsOnly(Cost.POWER_CYCLE);
        assertThat(r.after().powerState()).isEqualTo(PowerState.POWERED_ON);
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("numCPU").asInt()).isEqualTo(4);
        assertThat(py.get("numCoresPerSocket").asInt()).isEqualTo(2);
        assertThat(py.get("memoryMB").asInt()).isEqualTo(64);
        assertThat(py.get("powerState").asText()).isEqualTo("poweredOn");
        assertThat(py.get("extraConfig").has("numvcpus")).as("never through extraConfig").isFalse();

        String t = sim.traceSince(before);
        int shutdown = t.indexOf("<ShutdownGuest");
        int reconfig = t.indexOf("<ReconfigVM_Task");
        int powerOn = t.indexOf("<PowerOnVM_Task");
        assertThat(shutdown).isPositive().isLessThan(reconfig);
        assertThat(reconfig).isLessThan(powerOn);
        assertThat(t).doesNotContain("PowerOffVM_Task");
        assertThat(t).contains("<spec><numCPUs>4</numCPUs><numCoresPerSocket>2</numCoresPerSocket><memoryMB>64</memoryMB></spec>");
        assertThat(progress).anyMatch(s -> s.startsWith("ReconfigVM_Task on DC0_H0_VM0") && s.endsWith(" 100"));
    }

    @Test
    void hotAddFlagsApplyWithTheVmOffAndThenMakeGrowthLive() throws Exception {
        client.powerOff(vm, TaskOptions.defaults());
        ReconfigResult r = apply(m("mem.hotadd", "TRUE", "vcpu.hotadd", "yes"), ApplyOptions.defaults());
        assertThat(r.applied()).extracting(VmxChange::cost).containsOnly(Cost.LIVE);
        assertThat(r.powerCycled()).isFalse();
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("memoryHotAddEnabled").asBoolean()).isTrue();
        assertThat(py.get("cpuHotAddEnabled").asBoolean()).isTrue();
        assertThat(py.get("powerState").asText()).as("an off VM stays off").isEqualTo("poweredOff");

        client.powerOn(vm, TaskOptions.defaults());
        int before = sim.traceLength();
        ReconfigResult hot = apply(m("memsize", "128", "numvcpus", "2"), ApplyOptions.defaults());
        assertThat(hot.applied()).extracting(VmxChange::cost).containsOnly(Cost.LIVE);
        assertThat(hot.powerCycled()).isFalse();
        assertThat(sim.traceSince(before)).doesNotContain("ShutdownGuest");
        assertThat(PyVmomi.read(sim, VM).get("memoryMB").asInt()).isEqualTo(128);
        assertThat(VmxDiff.diff(read(), m("memsize", "64"))).singleElement()
                .as("shrinking is never live").extracting(VmxChange::cost).isEqualTo(Cost.POWER_CYCLE);
    }

    @Test
    void advancedSettingsAreAddedChangedAndRemovedThroughExtraConfig() throws Exception {
        int before = sim.traceLength();
        ReconfigResult r = apply(m("disk.EnableUUID", "TRUE", "sched.mem.pshare.enable", "FALSE", "scsi0:0.virtualSSD", "1"),
                ApplyOptions.defaults());
        assertThat(r.powerCycled()).as("advanced settings wait for the next power-on").isFalse();
        assertThat(sim.traceSince(before))
                .contains("<extraConfig xsi:type=\"OptionValue\"><key>disk.EnableUUID</key><value xsi:type=\"xsd:string\">TRUE</value></extraConfig>");
        JsonNode extra = PyVmomi.read(sim, VM).get("extraConfig");
        assertThat(extra.get("disk.EnableUUID").asText()).isEqualTo("TRUE");
        assertThat(extra.get("sched.mem.pshare.enable").asText()).isEqualTo("FALSE");
        assertThat(extra.get("scsi0:0.virtualSSD").asText()).isEqualTo("1");

        // vcsim appends instead of replacing: the change must still read as the last value.
        apply(m("sched.mem.pshare.enable", "TRUE"), ApplyOptions.defaults());
        assertThat(read().get("sched.mem.pshare.enable")).isEqualTo("TRUE");
        assertThat(PyVmomi.read(sim, VM).get("extraConfig").get("sched.mem.pshare.enable").asText()).isEqualTo("TRUE");

        Map<String, String> remove = new HashMap<>();
        remove.put("disk.EnableUUID", null);
        ReconfigResult removal = apply(remove, ApplyOptions.defaults());
        assertThat(removal.applied()).singleElement().hasToString("disk.EnableUUID: TRUE -> (unset) [next-boot]");
        assertThat(read().get("disk.EnableUUID")).isNull();
        assertThat(PyVmomi.read(sim, VM).get("extraConfig").path("disk.EnableUUID").asText("")).isEmpty();
        assertThat(VmxDiff.diff(read(), remove)).isEmpty();
    }

    @Test
    void scsiControllerTypeChangeMovesTheDisksToANewControllerOnTheSameBus() throws Exception {
        VmConfig old = client.readVm(vm);
        Device oldCtl = old.scsiControllers().get(0);
        List<Integer> attached = old.attachedTo(oldCtl.key()).stream().map(Device::key).toList();
        int before = sim.traceLength();
        apply(m("scsi0.virtualDev", "lsilogic"), allowCycle());

        VmConfig now = client.readVm(vm);
        Device ctl = now.scsiControllers().get(0);
        assertThat(now.scsiControllers()).hasSize(1);
        assertThat(ctl.type()).isEqualTo("VirtualLsiLogicController");
        assertThat(ctl.busNumber()).isZero();
        assertThat(ctl.key()).isNotEqualTo(oldCtl.key()).isPositive();
        assertThat(now.attachedTo(ctl.key())).extracting(Device::key).containsExactlyInAnyOrderElementsOf(attached);
        JsonNode py = PyVmomi.read(sim, VM);
        List<String> types = new ArrayList<>();
        py.get("devices").forEach(d -> types.add(d.get("type").asText()));
        assertThat(types).contains("VirtualLsiLogicController").doesNotContain("ParaVirtualSCSIController");

        // vcsim does not check the order or the keys; vSphere does: add (negative key) < edits < remove.
        String t = sim.traceSince(before);
        String req = t.substring(t.indexOf("<ReconfigVM_Task"));
        int add = req.indexOf("<operation>add</operation><device xsi:type=\"VirtualLsiLogicController\"><key>-");
        int edit = req.indexOf("<operation>edit</operation><device xsi:type=\"VirtualDisk\">");
        int remove = req.indexOf("<operation>remove</operation><device xsi:type=\"ParaVirtualSCSIController\">");
        assertThat(add).isPositive().isLessThan(edit);
        assertThat(edit).isLessThan(remove);
        assertThat(req).contains("<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">");
        assertThat(req).containsPattern("<controllerKey>-\\d+</controllerKey><unitNumber>0</unitNumber>");
        assertThat(VmxDiff.diff(read(), m("scsi0.virtualDev", "lsilogic"))).isEmpty();
    }

    @Test
    void nicTypeChangeKeepsMacBackingAndUnitAndSetsWakeOnLanOnTheNewAdapter() throws Exception {
        Device old = client.readVm(vm).nics().get(0);
        int before = sim.traceLength();
        apply(m("ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "FALSE"), allowCycle());

        VmConfig now = client.readVm(vm);
        assertThat(now.nics()).hasSize(1);
        Device nic = now.nics().get(0);
        assertThat(nic.type()).isEqualTo("VirtualVmxnet3");
        assertThat(nic.macAddress()).isEqualTo(old.macAddress());
        assertThat(nic.backingType()).isEqualTo(old.backingType());
        assertThat(nic.unitNumber()).isEqualTo(old.unitNumber());
        assertThat(nic.wakeOnLan()).isFalse();

        JsonNode pyNic = null;
        for (JsonNode d : PyVmomi.read(sim, VM).get("devices")) {
            if (d.get("macAddress") != null && !d.get("macAddress").isNull()) {
                pyNic = d;
            }
        }
        assertThat(pyNic).isNotNull();
        assertThat(pyNic.get("type").asText()).isEqualTo("VirtualVmxnet3");
        assertThat(pyNic.get("macAddress").asText()).isEqualTo(old.macAddress());
        assertThat(pyNic.get("backing").asText()).isEqualTo("VirtualEthernetCardDistributedVirtualPortBackingInfo");
        assertThat(pyNic.get("wakeOnLanEnabled").asBoolean()).isFalse();

        String req = sim.traceSince(before);
        assertThat(req).contains("<operation>remove</operation><device xsi:type=\"VirtualE1000\">")
                .contains("<operation>add</operation><device xsi:type=\"VirtualVmxnet3\"><key>-")
                .as("type and wake-on-LAN in one new adapter, no edit of it").doesNotContain("<operation>edit</operation>");
        assertThat(VmxDiff.diff(read(), m("ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "FALSE"))).isEmpty();
    }

    @Test
    void reApplyingIsANoOpAndDriftByAnotherClientShows() throws Exception {
        Map<String, String> want = m("numvcpus", "2", "memsize", "64", "sched.mem.pshare.enable", "FALSE", "disk.EnableUUID", "TRUE");
        apply(want, allowCycle());
        assertThat(VmxDiff.diff(read(), want)).isEmpty();
        int before = sim.traceLength();
        ReconfigResult again = apply(want, allowCycle());
        assertThat(again.applied()).isEmpty();
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");

        PyVmomi.set(sim, VM, "numCPUs=4", "sched.mem.pshare.enable=TRUE");
        List<VmxChange> drift = VmxDiff.diff(read(), want);
        assertThat(drift).extracting(VmxChange::key).containsExactly("numvcpus", "sched.mem.pshare.enable");
        assertThat(drift).extracting(VmxChange::current).containsExactly("4", "TRUE");
    }

    @Test
    void rollbackRestoresThePreviousValuesByTheSameMapping() throws Exception {
        Map<String, String> original = read().values();
        ReconfigResult r = apply(m("numvcpus", "2", "ethernet0.virtualDev", "e1000e", "disk.EnableUUID", "TRUE",
                "scsi0.virtualDev", "buslogic"), allowCycle());
        assertThat(r.previousValues()).containsEntry("numvcpus", "1").containsEntry("disk.EnableUUID", null)
                .containsEntry("ethernet0.virtualDev", "e1000").containsEntry("scsi0.virtualDev", "pvscsi");

        apply(r.previousValues(), allowCycle());
        VmxState back = read();
        assertThat(back.values()).isEqualTo(original);
        assertThat(back.config().nics().get(0).macAddress()).isEqualTo(r.before().config().nics().get(0).macAddress());
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("numCPU").asInt()).isEqualTo(1);
        assertThat(py.get("extraConfig").path("disk.EnableUUID").asText("")).isEmpty();
    }

    @Test
    void aSnapshotIsTakenBeforeAndRemovedAfterSuccess() throws Exception {
        int before = sim.traceLength();
        apply(m("disk.EnableUUID", "TRUE"), ApplyOptions.defaults().withSnapshot(true));
        String t = sim.traceSince(before);
        assertThat(t.indexOf("<CreateSnapshot_Task")).isPositive().isLessThan(t.indexOf("<ReconfigVM_Task"));
        assertThat(t.indexOf("<RemoveSnapshot_Task")).isGreaterThan(t.indexOf("<ReconfigVM_Task"));
        assertThat(PyVmomi.read(sim, VM).get("snapshots").asInt()).isZero();
    }

    @Test
    void aKeyTheServerSilentlyDropsFailsLoudly() {
        // vcsim turns "SET.*" advanced settings into property updates and does not store them: a drop.
        assertThatThrownBy(() -> apply(m("SET.guest.hostName", "db01"), ApplyOptions.defaults()))
                .isInstanceOf(ApplyException.class)
                .hasMessageContaining("accepted the reconfigure but did not keep: SET.guest.hostName (sent db01, reads (unset))");
    }
}
