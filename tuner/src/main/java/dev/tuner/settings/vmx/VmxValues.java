package dev.tuner.settings.vmx;

import dev.tuner.diag.Suggest;
import java.util.Locale;
import java.util.Map;

/**
 * The one check of a vmx key and its value without a VM: key syntax, enums, numbers, booleans. What
 * depends on the VM (does scsi1 exist?) is {@link VmxDiff}'s.
 */
final class VmxValues {
    private static final int MAX_VCPUS = 768;
    private static final int MAX_MEMORY_MB = 24 * 1024 * 1024;

    private VmxValues() {}

    /**
     * The value in the form the VMX writes it ("TRUE", "pvscsi"), or null for "remove this advanced
     * setting". Throws a {@link VmxSpecException} naming the key, and saying whether the key or the value is wrong.
     */
    static String check(String key, String rawValue) {
        VmxKeys.Key k = VmxKeys.parse(key);
        VmxKeys.checkSettable(k);
        return check(k, rawValue);
    }

    static String check(VmxKeys.Key k, String rawValue) {
        String v = rawValue == null ? null : rawValue.strip();
        if (v != null && v.isEmpty()) {
            v = null;
        }
        return switch (k.kind()) {
            case FIELD -> field(k.name(), v);
            case SCSI_DEV -> choice(k.name(), v, VmxKeys.SCSI_TYPES);
            case NIC_DEV -> choice(k.name(), v, VmxKeys.NIC_TYPES);
            case NIC_WOL -> bool(k.name(), v);
            case DISK_SSD, EXTRA -> v;
        };
    }

    private static String field(String key, String v) {
        if (v == null) {
            throw bad(key, "cannot be removed; give a value");
        }
        return switch (key) {
            case VmxKeys.NUMVCPUS, VmxKeys.CORES -> Integer.toString(positiveInt(key, v, MAX_VCPUS));
            case VmxKeys.MEMSIZE -> {
                int mb = positiveInt(key, v, MAX_MEMORY_MB);
                if (mb % 4 != 0) {
                    throw bad(key, "must be a multiple of 4 MB, got " + mb + " (nearest: " + (mb / 4 * 4 == 0 ? 4 : mb / 4 * 4) + ")");
                }
                yield Integer.toString(mb);
            }
            default -> bool(key, v);
        };
    }

    private static int positiveInt(String key, String v, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, "must be a whole number from 1 to " + max + ", got '" + v + "'");
    }

    private static String bool(String key, String v) {
        String b = VmxKeys.vmxBool(v);
        if (b == null) {
            throw bad(key, "must be TRUE or FALSE, got '" + v + "'");
        }
        return b;
    }

    private static String choice(String key, String v, Map<String, String> allowed) {
        if (v == null) {
            throw bad(key, "cannot be removed; give one of " + String.join(", ", allowed.keySet()));
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!allowed.containsKey(lower)) {
            throw bad(key, "must be one of " + String.join(", ", allowed.keySet()) + ", got '" + v + "'"
                    + Suggest.didYouMean(v, allowed.keySet()));
        }
        return lower;
    }

    private static VmxSpecException bad(String key, String why) {
        return new VmxSpecException(VmxSpecException.Part.VALUE, "vmx key '" + key + "' " + why);
    }
}
