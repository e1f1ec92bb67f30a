package dev.tuner.settings.vmx;

import dev.tuner.settings.Cost;
import java.util.List;

/**
 * One vmx key to change.
 *
 * @param current  the value now, null when the key is not set
 * @param desired  the value wanted, null to remove the key (advanced settings only)
 * @param cost     {@link Cost#LIVE}, {@link Cost#NEXT_BOOT} or {@link Cost#POWER_CYCLE}
 * @param warnings what the operator should know beyond the cost ("the guest may rename the interface")
 */
record VmxChange(String key, String current, String desired, Cost cost, List<String> warnings) {
    VmxChange {
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return key + ": " + (current == null ? "(unset)" : current) + " -> " + (desired == null ? "(unset)" : desired)
                + " [" + cost.label() + "]";
    }
}
