package dev.tuner.settings.vmx;

import dev.tuner.diag.TunerException;
import dev.tuner.vsphere.Device;
import dev.tuner.vsphere.VmConfig;
import java.util.List;
import java.util.Objects;

/** Finds the devices vmx keys name, with errors that say what the VM does have. */
record VmxDevices(VmConfig config) {
    Device scsi(int bus) {
        return config.scsiControllers().stream().filter(d -> Objects.equals(d.busNumber(), bus)).findFirst()
                .orElseThrow(() -> new TunerException("scsi" + bus + " does not exist on " + config.vm() + " (it has "
                        + names(config.scsiControllers().stream().map(d -> "scsi" + d.busNumber()).toList())
                        + "); the vmx kind changes controllers but does not add them"));
    }

    Device nic(int index) {
        List<Device> nics = config.nics();
        if (index >= nics.size()) {
            throw new TunerException("ethernet" + index + " does not exist on " + config.vm() + " (it has "
                    + (nics.isEmpty() ? "no network adapter" : "ethernet0" + (nics.size() > 1 ? "..ethernet" + (nics.size() - 1) : ""))
                    + "); the vmx kind changes adapters but does not add them");
        }
        return nics.get(index);
    }

    Device disk(int bus, int unit) {
        Device ctl = scsi(bus);
        return config.attachedTo(ctl.key()).stream().filter(d -> d.isDisk() && Objects.equals(d.unitNumber(), unit)).findFirst()
                .orElseThrow(() -> new TunerException("scsi" + bus + ":" + unit + " is not a disk on " + config.vm() + " (disks on scsi"
                        + bus + ": " + names(config.attachedTo(ctl.key()).stream().filter(Device::isDisk)
                                .map(d -> "scsi" + bus + ":" + d.unitNumber()).toList()) + ")"));
    }

    /** Throws when the VM lacks the device the key names (scsi1 on a VM with only scsi0). */
    void checkExists(VmxKeys.Key k) {
        switch (k.kind()) {
            case SCSI_DEV -> scsi(k.index());
            case NIC_DEV, NIC_WOL -> nic(k.index());
            case DISK_SSD -> disk(k.index(), k.unit());
            case FIELD, EXTRA -> { }
        }
    }

    private static String names(List<String> l) {
        return l.isEmpty() ? "none" : String.join(", ", l);
    }
}
