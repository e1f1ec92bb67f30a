package dev.tuner.vsphere;

import java.util.List;

/**
 * One vmx key to change.
 *
 * @param current  the value now, null when the key is not set
 * @param desired  the value wanted, null to remove the key (advanced settings only)
 * @param warnings what the operator should know beyond the cost ("the guest may rename the interface")
 */
public record VmxChange(String key, String current, String desired, Cost cost, List<String> warnings) {
    public VmxChange {
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return key + ": " + (current == null ? "(unset)" : current) + " -> " + (desired == null ? "(unset)" : desired)
                + " [" + cost.label() + "]";
    }
}
