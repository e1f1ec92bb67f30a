package dev.tuner.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.diag.TunerException;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
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
 * The vmx kind against vcsim, each test on a fresh simulator. What the simulator cannot judge (it never
 * checks power state, element order or device keys) is checked on the SOAP requests it traced, and values
 * are cross-checked with pyVmomi, an independent client.
 */
class VmxSettingsTest {
    static final String VM = "DC0_H0_VM0";
    Vcsim sim;
    Vim25Client client;
    VmxSettings vmx;
    VmRef vm;

    @BeforeEach
    void start() throws Exception {
        sim = Vcsim.start();
        client = sim.connect();
        vmx = new VmxSettings(client);
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

    static Map<String, VmxChange> byKey(List<VmxChange> changes) {
        Map<String, VmxChange> out = new LinkedHashMap<>();
        changes.forEach(c -> out.put(c.key(), c));
        return out;
    }

    ApplyOptions allowCycle() {
        return ApplyOptions.defaults().withAllowPowerCycle(true).withShutdownTimeout(Duration.ofSeconds(20));
    }

    @Test
    void readsTheVmAsVmxKeys() {
        VmxState s = vmx.read(vm);
        assertThat(s.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(s.values()).containsEntry("numvcpus", "1").containsEntry("cpuid.coresPerSocket", "1")
                .containsEntry("memsize", "32").containsEntry("mem.hotadd", "FALSE").containsEntry("vcpu.hotadd", "FALSE")
                .containsEntry("scsi0.virtualDev", "pvscsi").containsEntry("ethernet0.virtualDev", "e1000")
                .containsEntry("ethernet0.wakeOnPcktRcv", "TRUE").containsEntry("govcsim", "TRUE");
        assertThat(s.get("NUMVCPUS")).as("vmx keys ignore case").isEqualTo("1");
    }

    @Test
    void planShowsEachChangeWithItsCostAndWarnings() {
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("numvcpus", "2", "memsize", "64", "disk.EnableUUID", "TRUE",
                "ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "false", "scsi0.virtualDev", "pvscsi",
                "govcsim", "true"));
        Map<String, VmxChange> c = byKey(plan);
        assertThat(c.keySet()).as("unchanged keys (and TRUE spelled true) are not changes")
                .containsExactly("numvcpus", "memsize", "disk.EnableUUID", "ethernet0.virtualDev", "ethernet0.wakeOnPcktRcv");
        assertThat(c.get("numvcpus").toString()).isEqualTo("numvcpus: 1 -> 2 [power-cycle]");
        assertThat(c.get("memsize").cost()).isEqualTo(Cost.POWER_CYCLE);
        assertThat(c.get("disk.EnableUUID").toString()).isEqualTo("disk.EnableUUID: (unset) -> TRUE [next power-on]");
        assertThat(c.get("ethernet0.wakeOnPcktRcv").cost()).isEqualTo(Cost.HOT);
        assertThat(c.get("ethernet0.virtualDev").cost()).isEqualTo(Cost.POWER_CYCLE);
        assertThat(c.get("ethernet0.virtualDev").warnings()).singleElement().asString().contains("may rename the interface");
    }

    @Test
    void rejectsBadKeysAndValuesBeforeTouchingTheVm() throws Exception {
        VmxState s = vmx.read(vm);
        int before = sim.traceLength();
        assertThatThrownBy(() -> vmx.diff(s, m("memsize", "30"))).hasMessageContaining("multiple of 4 MB");
        assertThatThrownBy(() -> vmx.diff(s, m("numvcpus", "3", "cpuid.coresPerSocket", "2")))
                .hasMessageContaining("numvcpus 3 is not a multiple of cpuid.coresPerSocket 2");
        assertThatThrownBy(() -> vmx.diff(s, m("numvcpus", "two"))).hasMessageContaining("must be a whole number");
        assertThatThrownBy(() -> vmx.diff(s, m("scsi0.virtualDev", "pvscis"))).hasMessageContaining("did you mean 'pvscsi'");
        assertThatThrownBy(() -> vmx.diff(s, m("scsi1.virtualDev", "pvscsi")))
                .hasMessageContaining("scsi1 does not exist on DC0_H0_VM0 (vm-").hasMessageContaining("it has scsi0");
        assertThatThrownBy(() -> vmx.diff(s, m("ethernet1.virtualDev", "vmxnet3"))).hasMessageContaining("it has ethernet0");
        assertThatThrownBy(() -> vmx.diff(s, m("scsi0:3.virtualSSD", "1"))).hasMessageContaining("scsi0:3 is not a disk");
        assertThatThrownBy(() -> vmx.diff(s, m("ethernet0.present", "FALSE"))).hasMessageContaining("describes a device");
        assertThatThrownBy(() -> vmx.diff(s, m("mem.hotadd", "maybe"))).hasMessageContaining("must be TRUE or FALSE");
        assertThatThrownBy(() -> vmx.diff(s, m("memsize", ""))).hasMessageContaining("cannot be removed");
        assertThat(sim.traceSince(before)).as("validation sends nothing").isEmpty();
    }

    @Test
    void refusesPowerCycleChangesOnARunningVmWithoutPermission() throws Exception {
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("numvcpus", "2", "disk.EnableUUID", "TRUE"));
        int before = sim.traceLength();
        assertThatThrownBy(() -> vmx.apply(vm, plan, ApplyOptions.defaults()))
                .isInstanceOf(TunerException.class)
                .hasMessageContaining("refusing to change DC0_H0_VM0")
                .hasMessageContaining("numvcpus: 1 -> 2 [power-cycle]")
                .hasMessageContaining("--allow-power-cycle");
        // vcsim would have accepted it on the running VM: the refusal is ours, and nothing was sent.
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("numCPU").asInt()).isEqualTo(1);
        assertThat(py.get("powerState").asText()).isEqualTo("poweredOn");
    }

    @Test
    void powerCyclesWhenAllowedAndSetsCpuAndMemoryThroughTheirFields() throws Exception {
        List<String> progress = new ArrayList<>();
        int before = sim.traceLength();
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("numvcpus", "4", "cpuid.coresPerSocket", "2", "memsize", "64"));
        ReconfigResult r = vmx.apply(vm, plan, allowCycle().withProgress((t, p) -> progress.add(t + " " + p)));

        assertThat(r.powerCycled()).isTrue();
        assertThat(r.hardPowerOff()).isFalse();
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
    void hotAddFlagsApplyWithTheVmOffAndThenMakeGrowthHot() throws Exception {
        client.powerOff(vm, TaskOptions.defaults());
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("mem.hotadd", "TRUE", "vcpu.hotadd", "yes"));
        assertThat(plan).extracting(VmxChange::cost).containsOnly(Cost.HOT);
        ReconfigResult r = vmx.apply(vm, plan, ApplyOptions.defaults());
        assertThat(r.powerCycled()).isFalse();
        JsonNode py = PyVmomi.read(sim, VM);
        assertThat(py.get("memoryHotAddEnabled").asBoolean()).isTrue();
        assertThat(py.get("cpuHotAddEnabled").asBoolean()).isTrue();
        assertThat(py.get("powerState").asText()).as("an off VM stays off").isEqualTo("poweredOff");

        client.powerOn(vm, TaskOptions.defaults());
        Map<String, VmxChange> grow = byKey(vmx.diff(vmx.read(vm), m("memsize", "128", "numvcpus", "2")));
        assertThat(grow.get("memsize").cost()).isEqualTo(Cost.HOT);
        assertThat(grow.get("numvcpus").cost()).isEqualTo(Cost.HOT);
        int before = sim.traceLength();
        ReconfigResult hot = vmx.apply(vm, List.copyOf(grow.values()), ApplyOptions.defaults());
        assertThat(hot.powerCycled()).isFalse();
        assertThat(sim.traceSince(before)).doesNotContain("ShutdownGuest");
        assertThat(PyVmomi.read(sim, VM).get("memoryMB").asInt()).isEqualTo(128);
        assertThat(byKey(vmx.diff(vmx.read(vm), m("memsize", "64"))).get("memsize").cost())
                .as("shrinking is never hot").isEqualTo(Cost.POWER_CYCLE);
    }

    @Test
    void advancedSettingsAreAddedChangedAndRemovedThroughExtraConfig() throws Exception {
        int before = sim.traceLength();
        Map<String, String> want = m("disk.EnableUUID", "TRUE", "sched.mem.pshare.enable", "FALSE", "scsi0:0.virtualSSD", "1");
        ReconfigResult r = vmx.apply(vm, vmx.diff(vmx.read(vm), want), ApplyOptions.defaults());
        assertThat(r.powerCycled()).as("advanced settings wait for the next power-on").isFalse();
        assertThat(sim.traceSince(before))
                .contains("<extraConfig xsi:type=\"OptionValue\"><key>disk.EnableUUID</key><value xsi:type=\"xsd:string\">TRUE</value></extraConfig>");
        JsonNode extra = PyVmomi.read(sim, VM).get("extraConfig");
        assertThat(extra.get("disk.EnableUUID").asText()).isEqualTo("TRUE");
        assertThat(extra.get("sched.mem.pshare.enable").asText()).isEqualTo("FALSE");
        assertThat(extra.get("scsi0:0.virtualSSD").asText()).isEqualTo("1");

        // vcsim appends instead of replacing: the change must still read as the last value.
        vmx.apply(vm, vmx.diff(vmx.read(vm), m("sched.mem.pshare.enable", "TRUE")), ApplyOptions.defaults());
        assertThat(vmx.read(vm).get("sched.mem.pshare.enable")).isEqualTo("TRUE");
        assertThat(PyVmomi.read(sim, VM).get("extraConfig").get("sched.mem.pshare.enable").asText()).isEqualTo("TRUE");

        Map<String, String> remove = new HashMap<>();
        remove.put("disk.EnableUUID", null);
        List<VmxChange> removal = vmx.diff(vmx.read(vm), remove);
        assertThat(removal).singleElement().hasToString("disk.EnableUUID: TRUE -> (unset) [next power-on]");
        vmx.apply(vm, removal, ApplyOptions.defaults());
        assertThat(vmx.read(vm).get("disk.EnableUUID")).isNull();
        assertThat(vmx.diff(vmx.read(vm), remove)).isEmpty();
    }

    @Test
    void scsiControllerTypeChangeMovesTheDisksToANewControllerOnTheSameBus() throws Exception {
        VmConfig old = client.readVm(vm);
        Device oldCtl = old.scsiControllers().get(0);
        List<Integer> attached = old.attachedTo(oldCtl.key()).stream().map(Device::key).toList();
        int before = sim.traceLength();
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("scsi0.virtualDev", "lsilogic"));
        assertThat(plan).singleElement().satisfies(c -> {
            assertThat(c.cost()).isEqualTo(Cost.POWER_CYCLE);
            assertThat(c.warnings()).singleElement().asString().contains("lsilogic driver");
        });
        vmx.apply(vm, plan, allowCycle());

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
        assertThat(vmx.diff(vmx.read(vm), m("scsi0.virtualDev", "lsilogic"))).isEmpty();
    }

    @Test
    void nicTypeChangeKeepsMacBackingAndConnectionSettings() throws Exception {
        Device old = client.readVm(vm).nics().get(0);
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "FALSE"));
        int before = sim.traceLength();
        vmx.apply(vm, plan, allowCycle());

        VmConfig now = client.readVm(vm);
        assertThat(now.nics()).hasSize(1);
        Device nic = now.nics().get(0);
        assertThat(nic.type()).isEqualTo("VirtualVmxnet3");
        assertThat(nic.macAddress()).isEqualTo(old.macAddress());
        assertThat(nic.backingType()).isEqualTo(old.backingType());
        assertThat(nic.unitNumber()).isEqualTo(old.unitNumber());
        assertThat(nic.wakeOnLan()).isFalse();
        assertThat(Xml.text(Xml.child(nic.raw(), "backing"), "port") == null ? null
                : Xml.text(Xml.child(Xml.child(nic.raw(), "backing"), "port"), "portgroupKey"))
                .isEqualTo(Xml.text(Xml.child(Xml.child(old.raw(), "backing"), "port"), "portgroupKey"));
        assertThat(Xml.text(Xml.child(nic.raw(), "connectable"), "startConnected")).isEqualTo("true");

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

        String req = sim.traceSince(before);
        assertThat(req).contains("<operation>remove</operation><device xsi:type=\"VirtualE1000\">")
                .contains("<operation>add</operation><device xsi:type=\"VirtualVmxnet3\"><key>-")
                .contains("<backing xsi:type=\"VirtualEthernetCardDistributedVirtualPortBackingInfo\">");
        assertThat(vmx.diff(vmx.read(vm), m("ethernet0.virtualDev", "vmxnet3", "ethernet0.wakeOnPcktRcv", "FALSE"))).isEmpty();
    }

    @Test
    void reApplyingIsANoOpAndDriftByAnotherClientShows() throws Exception {
        Map<String, String> want = m("numvcpus", "2", "memsize", "64", "sched.mem.pshare.enable", "FALSE", "disk.EnableUUID", "TRUE");
        vmx.apply(vm, vmx.diff(vmx.read(vm), want), allowCycle());
        assertThat(vmx.diff(vmx.read(vm), want)).isEmpty();
        int before = sim.traceLength();
        ReconfigResult again = vmx.apply(vm, vmx.diff(vmx.read(vm), want), allowCycle());
        assertThat(again.applied()).isEmpty();
        assertThat(sim.traceSince(before)).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");

        PyVmomi.set(sim, VM, "numCPUs=4", "sched.mem.pshare.enable=TRUE");
        Map<String, VmxChange> drift = byKey(vmx.diff(vmx.read(vm), want));
        assertThat(drift.keySet()).containsExactly("numvcpus", "sched.mem.pshare.enable");
        assertThat(drift.get("numvcpus").current()).isEqualTo("4");
        assertThat(drift.get("sched.mem.pshare.enable").current()).isEqualTo("TRUE");
    }

    @Test
    void rollbackRestoresThePreviousValuesByTheSameMapping() throws Exception {
        Map<String, String> original = vmx.read(vm).values();
        ReconfigResult r = vmx.apply(vm, vmx.diff(vmx.read(vm), m("numvcpus", "2", "ethernet0.virtualDev", "e1000e",
                "disk.EnableUUID", "TRUE", "scsi0.virtualDev", "buslogic")), allowCycle());
        assertThat(r.previousValues()).containsEntry("numvcpus", "1").containsEntry("disk.EnableUUID", null)
                .containsEntry("ethernet0.virtualDev", "e1000").containsEntry("scsi0.virtualDev", "pvscsi");

        vmx.apply(vm, vmx.diff(vmx.read(vm), r.previousValues()), allowCycle());
        VmxState back = vmx.read(vm);
        assertThat(back.values()).isEqualTo(original);
        assertThat(back.config().nics().get(0).macAddress()).isEqualTo(r.before().config().nics().get(0).macAddress());
    }

    @Test
    void aSnapshotIsTakenBeforeAndRemovedAfterSuccess() throws Exception {
        int before = sim.traceLength();
        vmx.apply(vm, vmx.diff(vmx.read(vm), m("disk.EnableUUID", "TRUE")), ApplyOptions.defaults().withSnapshot(true));
        String t = sim.traceSince(before);
        assertThat(t.indexOf("<CreateSnapshot_Task")).isPositive().isLessThan(t.indexOf("<ReconfigVM_Task"));
        assertThat(t.indexOf("<RemoveSnapshot_Task")).isGreaterThan(t.indexOf("<ReconfigVM_Task"));
        assertThat(PyVmomi.read(sim, VM).get("snapshots").asInt()).isZero();
    }

    @Test
    void aKeyTheServerSilentlyDropsFailsLoudly() {
        // vcsim turns "SET.*" advanced settings into property updates and does not store them: a drop.
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("SET.guest.hostName", "db01"));
        assertThatThrownBy(() -> vmx.apply(vm, plan, ApplyOptions.defaults()))
                .isInstanceOf(TunerException.class)
                .hasMessageContaining("accepted the reconfigure but did not keep: SET.guest.hostName (sent db01, reads (unset))");
    }

    @Test
    void aTaskThatFaultsGivesTheFaultTypeAndWhatFailed() {
        ConfigSpec bad = new ConfigSpec().deviceChange(DeviceChange.of(DeviceChange.Operation.EDIT,
                "<device xsi:type=\"VirtualDisk\"><key>987654</key><controllerKey>202</controllerKey><unitNumber>5</unitNumber></device>",
                "edit a disk that does not exist"));
        assertThatThrownBy(() -> client.reconfigure(vm, bad, TaskOptions.defaults()))
                .isInstanceOfSatisfying(VimFault.class, f -> assertThat(f.faultType()).isEqualTo("InvalidDeviceSpec"))
                .hasMessageStartingWith("InvalidDeviceSpec: ")
                .hasMessageContaining("deviceIndex=0")
                .hasMessageEndingWith("(task ReconfigVM_Task on DC0_H0_VM0 (" + vm.moRef().value() + "))");
        assertThatThrownBy(() -> client.powerOn(vm, TaskOptions.defaults()))
                .hasMessageStartingWith("InvalidPowerState: ")
                .hasMessageContaining("existingState=poweredOn");
    }

    @Test
    void aPlanMadeBeforeSomeoneElseChangedTheVmIsRefused() throws Exception {
        List<VmxChange> plan = vmx.diff(vmx.read(vm), m("sched.mem.pshare.enable", "FALSE"));
        PyVmomi.set(sim, VM, "sched.mem.pshare.enable=TRUE");
        assertThatThrownBy(() -> vmx.apply(vm, plan, ApplyOptions.defaults()))
                .hasMessageContaining("sched.mem.pshare.enable changed since the plan (planned from (unset), now TRUE); plan again");
    }
}
