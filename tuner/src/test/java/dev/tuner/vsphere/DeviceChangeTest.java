package dev.tuner.vsphere;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Device changes against vcsim: a device sent back keeps what the tool does not touch. One simulator,
 * each test on a VM of its own; pyVmomi reads the result independently.
 */
class DeviceChangeTest {
    static Vcsim sim;
    static Vim25Client client;

    @BeforeAll
    static void start() throws Exception {
        sim = Vcsim.start();
        client = sim.connect();
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

    static String portgroupKey(Device nic) {
        Element port = Xml.path(nic.raw(), "backing", "port");
        return port == null ? null : Xml.text(port, "portgroupKey");
    }

    static JsonNode pyDevice(String vm, int key) throws Exception {
        for (JsonNode d : PyVmomi.read(sim, vm).get("devices")) {
            if (d.get("key").asInt() == key) {
                return d;
            }
        }
        throw new AssertionError("pyVmomi sees no device " + key + " on " + vm);
    }

    @Test
    void aNicOfAnotherTypeKeepsMacNetworkPortConnectionAndUnit() throws Exception {
        VmRef vm = client.findVm("DC0_H0_VM0");
        Device old = client.readVm(vm).nics().get(0);
        assertThat(portgroupKey(old)).as("the simulator's NIC is on a distributed port group").isNotBlank();
        client.reconfigure(vm, new ConfigSpec()
                .deviceChange(DeviceChange.remove(old))
                .deviceChange(DeviceChange.addNicLike(old, "VirtualVmxnet3", -1, false)), TaskOptions.defaults());

        List<Device> nics = client.readVm(vm).nics();
        assertThat(nics).hasSize(1);
        Device nic = nics.get(0);
        assertThat(nic.key()).isNotEqualTo(old.key());
        assertThat(portgroupKey(nic)).isEqualTo(portgroupKey(old));
        assertThat(Xml.text(Xml.child(nic.raw(), "connectable"), "startConnected"))
                .isEqualTo(Xml.text(Xml.child(old.raw(), "connectable"), "startConnected"));
        JsonNode py = pyDevice("DC0_H0_VM0", nic.key());
        assertThat(py.get("type").asText()).isEqualTo("VirtualVmxnet3");
        assertThat(py.get("macAddress").asText()).isEqualTo(old.macAddress());
        assertThat(py.get("unitNumber").asInt()).isEqualTo(old.unitNumber());
        assertThat(py.get("backing").asText()).isEqualTo(old.backingType());
        assertThat(py.get("wakeOnLanEnabled").asBoolean()).isFalse();
    }

    @Test
    void aScsiControllerOfAnotherTypeTakesTheBusAndTheDisksMovedOntoIt() throws Exception {
        VmRef vm = client.findVm("DC0_H0_VM1");
        VmConfig before = client.readVm(vm);
        Device old = before.scsiControllers().get(0);
        List<Device> attached = before.attachedTo(old.key());
        assertThat(attached).isNotEmpty();
        ConfigSpec spec = new ConfigSpec().deviceChange(DeviceChange.addScsiControllerLike(old, "VirtualLsiLogicController", -7));
        attached.forEach(d -> spec.deviceChange(DeviceChange.moveToController(d, -7)));
        client.reconfigure(vm, spec.deviceChange(DeviceChange.remove(old)), TaskOptions.defaults());

        VmConfig after = client.readVm(vm);
        assertThat(after.scsiControllers()).hasSize(1);
        Device ctl = after.scsiControllers().get(0);
        assertThat(Xml.text(ctl.raw(), "sharedBus")).isEqualTo(Xml.text(old.raw(), "sharedBus"));
        JsonNode py = pyDevice("DC0_H0_VM1", ctl.key());
        assertThat(py.get("type").asText()).isEqualTo("VirtualLsiLogicController");
        assertThat(py.get("busNumber").asInt()).isEqualTo(old.busNumber());
        for (Device d : attached) {
            JsonNode moved = pyDevice("DC0_H0_VM1", d.key());
            assertThat(moved.get("controllerKey").asInt()).as("%s", d).isEqualTo(ctl.key());
            assertThat(moved.get("unitNumber").asInt()).isEqualTo(d.unitNumber());
        }
    }

    @Test
    void wakeOnLanIsEditedInPlace() throws Exception {
        VmRef vm = client.findVm("DC0_C0_RP0_VM0");
        Device nic = client.readVm(vm).nics().get(0);
        boolean flipped = !Boolean.TRUE.equals(nic.wakeOnLan());
        client.reconfigure(vm, new ConfigSpec().deviceChange(DeviceChange.wakeOnLan(nic, flipped)), TaskOptions.defaults());
        JsonNode py = pyDevice("DC0_C0_RP0_VM0", nic.key());
        assertThat(py.get("wakeOnLanEnabled").asBoolean()).isEqualTo(flipped);
        assertThat(py.get("macAddress").asText()).isEqualTo(nic.macAddress());
        assertThat(py.get("type").asText()).isEqualTo(nic.type());
    }
}
