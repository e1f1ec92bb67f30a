package dev.tuner.settings.vmx;

import dev.tuner.vsphere.Device;
import dev.tuner.vsphere.PowerState;
import dev.tuner.vsphere.VSphere;
import dev.tuner.vsphere.VmConfig;
import dev.tuner.vsphere.VmRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM's current settings as vmx keys ("numvcpus" -> "2", "scsi0.virtualDev" -> "pvscsi", ...), with the
 * configuration they were read from.
 */
record VmxState(VmRef vm, PowerState powerState, Map<String, String> values, VmConfig config) {
    VmxState {
        values = Map.copyOf(values);
    }

    /** Reads the VM in one request. Advanced settings with an empty value count as unset (that is how one removes them). */
    static VmxState read(VSphere vsphere, VmRef vm) {
        return of(vsphere.readVm(vm));
    }

    static VmxState of(VmConfig c) {
        Map<String, String> v = new LinkedHashMap<>();
        c.extraConfig().forEach((k, val) -> {
            if (!val.isEmpty()) {
                v.put(k, val);
            }
        });
        // Field-backed keys come from their fields even if a stale copy sits in extraConfig: the field wins.
        v.put(VmxKeys.NUMVCPUS, Integer.toString(c.numCpu()));
        v.put(VmxKeys.CORES, Integer.toString(c.numCoresPerSocket()));
        v.put(VmxKeys.MEMSIZE, Long.toString(c.memoryMB()));
        v.put(VmxKeys.MEM_HOTADD, VmxKeys.vmxBool(c.memoryHotAddEnabled()));
        v.put(VmxKeys.VCPU_HOTADD, VmxKeys.vmxBool(c.cpuHotAddEnabled()));
        for (Device ctl : c.scsiControllers()) {
            v.put("scsi" + ctl.busNumber() + ".virtualDev", VmxKeys.vmxName(VmxKeys.SCSI_TYPES, ctl.type()));
        }
        List<Device> nics = c.nics();
        for (int i = 0; i < nics.size(); i++) {
            v.put("ethernet" + i + ".virtualDev", VmxKeys.vmxName(VmxKeys.NIC_TYPES, nics.get(i).type()));
            if (nics.get(i).wakeOnLan() != null) {
                v.put("ethernet" + i + ".wakeOnPcktRcv", VmxKeys.vmxBool(nics.get(i).wakeOnLan()));
            }
        }
        return new VmxState(c.vm(), c.powerState(), v, c);
    }

    /** The value of a key, or null when it is not set. */
    String get(String key) {
        return values.get(VmxKeys.canonical(key));
    }
}
