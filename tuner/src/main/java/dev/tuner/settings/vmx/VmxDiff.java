package dev.tuner.settings.vmx;

import dev.tuner.diag.TunerException;
import dev.tuner.settings.Cost;
import dev.tuner.vsphere.PowerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What it takes to bring a VM from its current vmx values to the wanted ones, and what each change costs. */
final class VmxDiff {
    private VmxDiff() {}

    /**
     * Per key: its change (absent when already as wanted) or why the VM cannot have it.
     *
     * @param changes  by key, only keys that differ
     * @param failures by key, the reason; such a key has no change
     */
    record PerKey(Map<String, VmxChange> changes, Map<String, String> failures) {}

    /**
     * The changes that make {@code current} match {@code desired} (keys as {@link VmxKeys#canonical}
     * spells them; a null or empty value removes an advanced setting). Checks every key and value first
     * and throws a TunerException naming the key.
     */
    static List<VmxChange> diff(VmxState current, Map<String, String> desired) {
        Map<String, String> want = new LinkedHashMap<>();
        VmxDevices devices = new VmxDevices(current.config());
        for (Map.Entry<String, String> e : desired.entrySet()) {
            VmxKeys.Key k = VmxKeys.parse(e.getKey());
            VmxKeys.checkSettable(k);
            String value = VmxValues.check(k, e.getValue());
            devices.checkExists(k);
            want.put(k.name(), value);
        }
        checkCombination(current, want);
        List<VmxChange> out = new ArrayList<>();
        for (Map.Entry<String, String> e : want.entrySet()) {
            String key = e.getKey();
            String cur = current.get(key);
            if (VmxKeys.same(cur, e.getValue())) {
                continue;
            }
            VmxKeys.Key k = VmxKeys.parse(key);
            out.add(new VmxChange(key, cur, e.getValue(), cost(k, cur, e.getValue(), current, want), warnings(k, cur, e.getValue())));
        }
        return out;
    }

    /**
     * Like {@link #diff}, but one key the VM cannot have (scsi1 does not exist on it) fails alone instead
     * of failing all. CPUs and cores are judged together: a multiple of the wanted cores, not of the
     * current ones.
     */
    static PerKey diffEach(VmxState current, Map<String, String> desired) {
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, String> cpuPair = new LinkedHashMap<>();
        for (String k : List.of(VmxKeys.NUMVCPUS, VmxKeys.CORES)) {
            if (desired.containsKey(k)) {
                cpuPair.put(k, desired.get(k));
            }
        }
        Map<String, String> valid = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : desired.entrySet()) {
            Map<String, String> one = new LinkedHashMap<>(cpuPair.containsKey(e.getKey()) ? cpuPair : Map.of());
            one.put(e.getKey(), e.getValue());
            try {
                diff(current, one);
                valid.put(e.getKey(), e.getValue());
            } catch (TunerException ex) {
                failures.put(e.getKey(), ex.getMessage());
            }
        }
        Map<String, VmxChange> changes = new LinkedHashMap<>();
        try {
            diff(current, valid).forEach(c -> changes.put(c.key(), c));
        } catch (TunerException ex) {
            valid.keySet().forEach(k -> failures.put(k, ex.getMessage()));
        }
        return new PerKey(changes, failures);
    }

    /** Rules that involve several keys, checked on the values the VM will end with. */
    private static void checkCombination(VmxState s, Map<String, String> want) {
        int cpus = Integer.parseInt(want.getOrDefault(VmxKeys.NUMVCPUS, s.get(VmxKeys.NUMVCPUS)));
        int cores = Integer.parseInt(want.getOrDefault(VmxKeys.CORES, s.get(VmxKeys.CORES)));
        if (cpus % cores != 0) {
            throw new TunerException("numvcpus " + cpus + " is not a multiple of cpuid.coresPerSocket " + cores
                    + ": vSphere refuses a VM with a partial socket");
        }
    }

    /** The cost of one change given the VM's power state and hot-add flags as they are now. */
    private static Cost cost(VmxKeys.Key k, String cur, String desired, VmxState s, Map<String, String> want) {
        if (k.kind() == VmxKeys.Kind.EXTRA || k.kind() == VmxKeys.Kind.DISK_SSD) {
            return Cost.NEXT_BOOT;
        }
        if (s.powerState() == PowerState.POWERED_OFF) {
            return Cost.LIVE;
        }
        switch (k.kind()) {
            case NIC_WOL:
                return Cost.LIVE;
            case FIELD:
                // Hot-add follows the flag the VM was powered on with; enabling it in the same apply does not help.
                if (k.name().equals(VmxKeys.NUMVCPUS) && "TRUE".equals(s.get(VmxKeys.VCPU_HOTADD))
                        && Integer.parseInt(desired) > Integer.parseInt(cur) && !want.containsKey(VmxKeys.CORES)) {
                    return Cost.LIVE;
                }
                if (k.name().equals(VmxKeys.MEMSIZE) && "TRUE".equals(s.get(VmxKeys.MEM_HOTADD))
                        && Long.parseLong(desired) > Long.parseLong(cur)) {
                    return Cost.LIVE;
                }
                return Cost.POWER_CYCLE;
            default:
                return Cost.POWER_CYCLE;
        }
    }

    private static List<String> warnings(VmxKeys.Key k, String cur, String desired) {
        return switch (k.kind()) {
            case NIC_DEV -> List.of("ethernet" + k.index() + " becomes a new " + desired + " adapter on another PCI slot: "
                    + "the guest may rename the interface (e.g. ens192 -> ens224); its network configuration must not "
                    + "depend on the old name, or the guest will be unreachable afterwards");
            case SCSI_DEV -> List.of("the guest needs a " + desired + " driver available at boot (e.g. in the initramfs), "
                    + "or it will not find its disks on scsi" + k.index());
            case FIELD -> desired != null && cur != null && (k.name().equals(VmxKeys.MEMSIZE) || k.name().equals(VmxKeys.NUMVCPUS))
                    && Long.parseLong(desired) < Long.parseLong(cur)
                    ? List.of(k.name() + " shrinks from " + cur + " to " + desired) : List.of();
            default -> List.of();
        };
    }
}
