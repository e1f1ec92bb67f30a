package dev.tuner.settings.vmx;

import dev.tuner.vsphere.ConfigSpec;
import dev.tuner.vsphere.Device;
import dev.tuner.vsphere.DeviceChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one ConfigSpec that makes a list of vmx changes, each key through its API form. */
final class VmxSpec {
    private VmxSpec() {}

    /**
     * Device changes are ordered as vSphere needs them: a new controller (negative temporary key) comes
     * before the edits that move disks onto it, and the old controller is removed only after nothing
     * points at it. A NIC whose type and wake-on-LAN both change becomes one new adapter.
     */
    static ConfigSpec build(VmxState s, List<VmxChange> changes) {
        ConfigSpec spec = new ConfigSpec();
        VmxDevices devices = new VmxDevices(s.config());
        int tempKey = -100;
        Map<Integer, Boolean> wolByNic = new LinkedHashMap<>();
        Map<Integer, String> nicType = new LinkedHashMap<>();
        for (VmxChange ch : changes) {
            VmxKeys.Key k = VmxKeys.parse(ch.key());
            switch (k.kind()) {
                case FIELD -> {
                    switch (k.name()) {
                        case VmxKeys.NUMVCPUS -> spec.numCpus(Integer.parseInt(ch.desired()));
                        case VmxKeys.CORES -> spec.numCoresPerSocket(Integer.parseInt(ch.desired()));
                        case VmxKeys.MEMSIZE -> spec.memoryMB(Long.parseLong(ch.desired()));
                        case VmxKeys.MEM_HOTADD -> spec.memoryHotAddEnabled("TRUE".equals(ch.desired()));
                        case VmxKeys.VCPU_HOTADD -> spec.cpuHotAddEnabled("TRUE".equals(ch.desired()));
                        default -> throw new IllegalStateException(k.name());
                    }
                }
                case SCSI_DEV -> {
                    Device old = devices.scsi(k.index());
                    int key = tempKey--;
                    spec.deviceChange(DeviceChange.addScsiControllerLike(old, VmxKeys.SCSI_TYPES.get(ch.desired()), key));
                    for (Device attached : s.config().attachedTo(old.key())) {
                        spec.deviceChange(DeviceChange.moveToController(attached, key));
                    }
                    spec.deviceChange(DeviceChange.remove(old));
                }
                case NIC_DEV -> nicType.put(k.index(), ch.desired());
                case NIC_WOL -> wolByNic.put(k.index(), "TRUE".equals(ch.desired()));
                case DISK_SSD, EXTRA -> spec.extraConfig(k.name(), ch.desired() == null ? "" : ch.desired());
            }
        }
        for (Map.Entry<Integer, String> e : nicType.entrySet()) {
            Device old = devices.nic(e.getKey());
            Boolean wol = wolByNic.containsKey(e.getKey()) ? wolByNic.remove(e.getKey()) : old.wakeOnLan();
            spec.deviceChange(DeviceChange.remove(old));
            spec.deviceChange(DeviceChange.addNicLike(old, VmxKeys.NIC_TYPES.get(e.getValue()), tempKey--, wol));
        }
        for (Map.Entry<Integer, Boolean> e : wolByNic.entrySet()) {
            spec.deviceChange(DeviceChange.wakeOnLan(devices.nic(e.getKey()), e.getValue()));
        }
        return spec;
    }
}
