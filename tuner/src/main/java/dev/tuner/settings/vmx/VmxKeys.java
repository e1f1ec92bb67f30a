package dev.tuner.settings.vmx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vmx keys the tool knows and how each maps to the API: a ConfigSpec field, a device, or an
 * advanced setting (extraConfig) for any other key. vmx keys ignore case.
 */
final class VmxKeys {
    static final String NUMVCPUS = "numvcpus";
    static final String CORES = "cpuid.coresPerSocket";
    static final String MEMSIZE = "memsize";
    static final String MEM_HOTADD = "mem.hotadd";
    static final String VCPU_HOTADD = "vcpu.hotadd";

    /** vmx virtualDev name -> vim25 controller type. */
    static final Map<String, String> SCSI_TYPES = ordered(
            "pvscsi", "ParaVirtualSCSIController",
            "lsilogic", "VirtualLsiLogicController",
            "lsisas1068", "VirtualLsiLogicSASController",
            "buslogic", "VirtualBusLogicController");

    /** vmx virtualDev name -> vim25 network adapter type. */
    static final Map<String, String> NIC_TYPES = ordered(
            "vmxnet3", "VirtualVmxnet3",
            "e1000", "VirtualE1000",
            "e1000e", "VirtualE1000e");

    private static final Pattern SCSI_DEV = Pattern.compile("scsi(\\d+)\\.virtualDev", Pattern.CASE_INSENSITIVE);
    private static final Pattern NIC_DEV = Pattern.compile("ethernet(\\d+)\\.virtualDev", Pattern.CASE_INSENSITIVE);
    private static final Pattern NIC_WOL = Pattern.compile("ethernet(\\d+)\\.wakeOnPcktRcv", Pattern.CASE_INSENSITIVE);
    private static final Pattern DISK_SSD = Pattern.compile("scsi(\\d+):(\\d+)\\.virtualSSD", Pattern.CASE_INSENSITIVE);
    /** Device keys vSphere derives from the device list: set through extraConfig they are dropped or conflict. */
    private static final Pattern DEVICE_KEY = Pattern.compile("(scsi|ethernet|ide|sata|nvme|sound|usb|serial|parallel|floppy)\\d+([:.].*)?",
            Pattern.CASE_INSENSITIVE);

    static final List<String> FIELD_KEYS = List.of(NUMVCPUS, CORES, MEMSIZE, MEM_HOTADD, VCPU_HOTADD);
    private static final List<String> SUPPORTED_DEVICE_KEYS = List.of("scsiN.virtualDev", "scsiN:M.virtualSSD",
            "ethernetN.virtualDev", "ethernetN.wakeOnPcktRcv");

    enum Kind { FIELD, SCSI_DEV, NIC_DEV, NIC_WOL, DISK_SSD, EXTRA }

    /** A key resolved to its API form. */
    record Key(String name, Kind kind, int index, int unit) {}

    private VmxKeys() {}

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The canonical spelling of a known key ("NumVCPUs" -> "numvcpus"); other keys unchanged. */
    static String canonical(String key) {
        return parse(key).name();
    }

    /** What makes two spellings the same key: vmx keys ignore case. */
    static String identity(String key) {
        return canonical(key).toLowerCase(Locale.ROOT);
    }

    /** Whether the key is set as an advanced setting (extraConfig) rather than through a field or a device. */
    static boolean isAdvancedSetting(String key) {
        return parse(key).kind() == Kind.EXTRA;
    }

    /** The keys with their own API form, as a user would spell them (for "did you mean" on advanced settings). */
    static List<String> keysWithApiForm() {
        List<String> out = new ArrayList<>(FIELD_KEYS);
        out.addAll(List.of("scsi0.virtualDev", "scsi0:0.virtualSSD", "ethernet0.virtualDev", "ethernet0.wakeOnPcktRcv"));
        return out;
    }

    static Key parse(String raw) {
        String key = raw.strip();
        for (String f : FIELD_KEYS) {
            if (f.equalsIgnoreCase(key)) {
                return new Key(f, Kind.FIELD, -1, -1);
            }
        }
        Matcher m;
        if ((m = SCSI_DEV.matcher(key)).matches()) {
            return new Key("scsi" + m.group(1) + ".virtualDev", Kind.SCSI_DEV, Integer.parseInt(m.group(1)), -1);
        }
        if ((m = NIC_DEV.matcher(key)).matches()) {
            return new Key("ethernet" + m.group(1) + ".virtualDev", Kind.NIC_DEV, Integer.parseInt(m.group(1)), -1);
        }
        if ((m = NIC_WOL.matcher(key)).matches()) {
            return new Key("ethernet" + m.group(1) + ".wakeOnPcktRcv", Kind.NIC_WOL, Integer.parseInt(m.group(1)), -1);
        }
        if ((m = DISK_SSD.matcher(key)).matches()) {
            return new Key("scsi" + m.group(1) + ":" + m.group(2) + ".virtualSSD", Kind.DISK_SSD,
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return new Key(key, Kind.EXTRA, -1, -1);
    }

    /** Rejects keys that cannot be set as advanced settings, before anything is sent. */
    static void checkSettable(Key k) {
        if (k.kind() == Kind.EXTRA && DEVICE_KEY.matcher(k.name()).matches()) {
            throw new VmxSpecException(VmxSpecException.Part.KEY, "vmx key '" + k.name() + "' describes a device, which vSphere manages from the VM's "
                    + "device list; as an advanced setting it would be dropped. Supported device keys: "
                    + String.join(", ", SUPPORTED_DEVICE_KEYS));
        }
        if (k.name().isEmpty() || !k.name().matches("[A-Za-z0-9_.:\\-]+")) {
            throw new VmxSpecException(VmxSpecException.Part.KEY, "vmx key '" + k.name() + "' is not a valid key (letters, digits, '_', '.', ':' and '-')");
        }
    }

    /** "TRUE"/"FALSE" as the VMX writes booleans, or null when the value is not a boolean. */
    static String vmxBool(String v) {
        if (v == null) {
            return null;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> "TRUE";
            case "false", "no", "off" -> "FALSE";
            default -> null;
        };
    }

    static String vmxBool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    /** Whether two values mean the same to the VMX: equal, or the same boolean however spelled. */
    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        String ba = vmxBool(a);
        return ba != null && ba.equals(vmxBool(b));
    }

    static String vmxName(Map<String, String> types, String vimType) {
        for (Map.Entry<String, String> e : types.entrySet()) {
            if (e.getValue().equals(vimType)) {
                return e.getKey();
            }
        }
        return vimType; // a type the tool does not map (e.g. VirtualPCNet32): shown as vSphere names it
    }
}
