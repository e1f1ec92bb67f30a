package dev.tuner.vsphere;

import java.util.Map;

/**
 * A VM's current settings as vmx keys ("numvcpus" -> "2", "scsi0.virtualDev" -> "pvscsi", ...), with the
 * configuration they were read from.
 */
public record VmxState(VmRef vm, PowerState powerState, Map<String, String> values, VmConfig config) {
    public VmxState {
        values = Map.copyOf(values);
    }

    /** The value of a key, or null when it is not set. */
    public String get(String key) {
        return values.get(VmxKeys.canonical(key));
    }
}
