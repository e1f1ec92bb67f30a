package dev.tuner.settings.vmx;

import dev.tuner.vsphere.ConfigSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link VmxReconfigure#apply} did.
 *
 * @param applied     the changes, with the values they replaced (for the journal)
 * @param spec        the ConfigSpec sent, null when nothing needed sending
 * @param powerCycled whether the VM was shut down and powered on again
 * @param hardPowerOff whether the shutdown had to be a hard power-off (force)
 * @param before      the state read just before reconfiguring
 * @param after       the state read back afterwards, every applied key verified against it
 */
record ReconfigResult(List<VmxChange> applied, ConfigSpec spec, boolean powerCycled, boolean hardPowerOff,
                             VmxState before, VmxState after) {
    ReconfigResult {
        applied = List.copyOf(applied);
    }

    /** The previous value of every changed key (null = was unset): diff against this to roll back. */
    Map<String, String> previousValues() {
        Map<String, String> m = new LinkedHashMap<>();
        for (VmxChange c : applied) {
            m.put(c.key(), c.current());
        }
        return m;
    }
}
