package dev.tuner.vsphere;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tool reads of a VM in one property read.
 *
 * @param extraConfig advanced settings; when the server lists a key twice (vcsim appends instead of
 *                    replacing) the last value wins, as it does for the VMX file
 */
public record VmConfig(VmRef vm, PowerState powerState, int numCpu, int numCoresPerSocket, long memoryMB,
                       boolean cpuHotAddEnabled, boolean memoryHotAddEnabled, List<Device> devices,
                       Map<String, String> extraConfig) {

    public Optional<Device> device(int key) {
        return devices.stream().filter(d -> d.key() == key).findFirst();
    }

    public List<Device> scsiControllers() {
        return devices.stream().filter(Device::isScsiController).toList();
    }

    /**
     * Network adapters in vmx order: the n-th is {@code ethernet<n>}. vSphere numbers them by PCI unit
     * number (ethernet0 = unit 7, ...), which a type change keeps; device keys are arbitrary in vcsim.
     */
    public List<Device> nics() {
        return devices.stream().filter(Device::isNic)
                .sorted(Comparator.comparing((Device d) -> d.unitNumber() == null ? Integer.MAX_VALUE : d.unitNumber())
                        .thenComparingInt(Device::key))
                .toList();
    }

    public List<Device> attachedTo(int controllerKey) {
        return devices.stream().filter(d -> d.controllerKey() != null && d.controllerKey() == controllerKey).toList();
    }
}
