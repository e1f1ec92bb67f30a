package dev.tuner.vsphere;

import dev.tuner.diag.TunerException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The vmx setting kind's core: reads a VM's settings as vmx keys, diffs them against what a playbook
 * wants (with the cost of each change), and applies changes through the API form each key has —
 * ConfigSpec fields, device changes, or advanced settings (extraConfig) — then reads back and fails on
 * anything the server did not keep.
 */
public final class VmxSettings {
    private final VSphere vsphere;

    public VmxSettings(VSphere vsphere) {
        this.vsphere = Objects.requireNonNull(vsphere);
    }

    /** Current values as vmx keys. Advanced settings with an empty value count as unset (that is how one removes them). */
    public VmxState read(VmRef vm) {
        return toState(vsphere.readVm(vm));
    }

    static VmxState toState(VmConfig c) {
        Map<String, String> v = new LinkedHashMap<>();
        c.extraConfig().forEach((k, val) -> {
            if (!val.isEmpty()) {
                v.put(k, val);
            }
        });
        // Field-backed keys come from their fields even if a stale copy sits in extraConfig: the field wins.
        v.put(VmxKeys.NUMVCPUS, Integer.toString(c.numCpu()));
        v.put(VmxKeys.CORES, Integer.toString(c.numCoresPerSocket()));
        v.put(VmxKeys.MEMSIZE, Long.toString(c.memoryMB()));
        v.put(VmxKeys.MEM_HOTADD, VmxKeys.vmxBool(c.memoryHotAddEnabled()));
        v.put(VmxKeys.VCPU_HOTADD, VmxKeys.vmxBool(c.cpuHotAddEnabled()));
        for (Device ctl : c.scsiControllers()) {
            v.put("scsi" + ctl.busNumber() + ".virtualDev", VmxKeys.vmxName(VmxKeys.SCSI_TYPES, ctl.type()));
        }
        List<Device> nics = c.nics();
        for (int i = 0; i < nics.size(); i++) {
            v.put("ethernet" + i + ".virtualDev", VmxKeys.vmxName(VmxKeys.NIC_TYPES, nics.get(i).type()));
            if (nics.get(i).wakeOnLan() != null) {
                v.put("ethernet" + i + ".wakeOnPcktRcv", VmxKeys.vmxBool(nics.get(i).wakeOnLan()));
            }
        }
        return new VmxState(c.vm(), c.powerState(), v, c);
    }

    /**
     * The changes that make {@code current} match {@code desired} (a null or empty desired value removes an
     * advanced setting). Validates every key and value first and throws a TunerException naming the key.
     */
    public List<VmxChange> diff(VmxState current, Map<String, String> desired) {
        Map<String, String> want = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : desired.entrySet()) {
            VmxKeys.Key k = VmxKeys.parse(e.getKey());
            VmxKeys.checkSettable(k);
            if (want.containsKey(k.name())) {
                throw new TunerException("vmx key '" + k.name() + "' is given twice (vmx keys ignore case)");
            }
            want.put(k.name(), normalize(k, e.getValue(), current));
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
     * Checks a key and its value without a VM (syntax, enums, numbers, booleans) and returns the value in
     * the form the VMX writes it ("TRUE", "pvscsi"), or null for "remove this advanced setting". Throws a
     * TunerException naming the key. What depends on the VM (does scsi1 exist?) is checked by {@link #diff}.
     */
    public static String checkValue(String key, String rawValue) {
        VmxKeys.Key k = VmxKeys.parse(key);
        VmxKeys.checkSettable(k);
        return valueOf(k, rawValue);
    }

    /** The canonical spelling of a key (vmx keys ignore case): "NumVCPUs" -> "numvcpus"; unknown keys unchanged. */
    public static String canonicalKey(String key) {
        return VmxKeys.canonical(key);
    }

    /** Whether the key is set as an advanced setting (extraConfig) rather than through a field or a device. */
    public static boolean isAdvancedSetting(String key) {
        return VmxKeys.parse(key).kind() == VmxKeys.Kind.EXTRA;
    }

    /** Whether two values mean the same to the VMX (null = unset; TRUE however spelled). */
    public static boolean sameValue(String a, String b) {
        return VmxKeys.same(a, b);
    }

    /** The keys with their own API form, as a user would spell them (for "did you mean" on advanced settings). */
    public static List<String> keysWithApiForm() {
        List<String> out = new ArrayList<>(VmxKeys.FIELD_KEYS);
        out.addAll(List.of("scsi0.virtualDev", "scsi0:0.virtualSSD", "ethernet0.virtualDev", "ethernet0.wakeOnPcktRcv"));
        return out;
    }

    private static String normalize(VmxKeys.Key k, String rawValue, VmxState s) {
        String v = valueOf(k, rawValue);
        VmxConfigView c = new VmxConfigView(s.config());
        switch (k.kind()) {
            case SCSI_DEV -> c.scsi(k.index());
            case NIC_DEV, NIC_WOL -> c.nic(k.index());
            case DISK_SSD -> c.disk(k.index(), k.unit());
            default -> { }
        }
        return v;
    }

    private static String valueOf(VmxKeys.Key k, String rawValue) {
        String v = rawValue == null ? null : rawValue.strip();
        if (v != null && v.isEmpty()) {
            v = null;
        }
        switch (k.kind()) {
            case FIELD -> {
                if (v == null) {
                    throw new TunerException("vmx key '" + k.name() + "' cannot be removed; give a value");
                }
                switch (k.name()) {
                    case VmxKeys.NUMVCPUS, VmxKeys.CORES -> {
                        return Integer.toString(positiveInt(k.name(), v, 768));
                    }
                    case VmxKeys.MEMSIZE -> {
                        int mb = positiveInt(k.name(), v, 24 * 1024 * 1024);
                        if (mb % 4 != 0) {
                            throw new TunerException("vmx key 'memsize' must be a multiple of 4 MB, got " + mb
                                    + " (nearest: " + (mb / 4 * 4 == 0 ? 4 : mb / 4 * 4) + ")");
                        }
                        return Integer.toString(mb);
                    }
                    default -> {
                        return bool(k.name(), v);
                    }
                }
            }
            case SCSI_DEV -> {
                return choice(k.name(), v, VmxKeys.SCSI_TYPES);
            }
            case NIC_DEV -> {
                return choice(k.name(), v, VmxKeys.NIC_TYPES);
            }
            case NIC_WOL -> {
                return bool(k.name(), v);
            }
            default -> {
                return v;
            }
        }
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
        throw new TunerException("vmx key '" + key + "' must be a whole number from 1 to " + max + ", got '" + v + "'");
    }

    private static String bool(String key, String v) {
        String b = v == null ? null : VmxKeys.vmxBool(v);
        if (b == null) {
            throw new TunerException("vmx key '" + key + "' must be TRUE or FALSE, got '" + v + "'");
        }
        return b;
    }

    private static String choice(String key, String v, Map<String, String> allowed) {
        if (v == null) {
            throw new TunerException("vmx key '" + key + "' cannot be removed; give one of " + String.join(", ", allowed.keySet()));
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!allowed.containsKey(lower)) {
            throw new TunerException("vmx key '" + key + "' must be one of " + String.join(", ", allowed.keySet()) + ", got '" + v + "'"
                    + dev.tuner.diag.Suggest.didYouMean(v, allowed.keySet()));
        }
        return lower;
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
            return Cost.NEXT_POWER_ON;
        }
        if (s.powerState() == PowerState.POWERED_OFF) {
            return Cost.HOT;
        }
        switch (k.kind()) {
            case NIC_WOL:
                return Cost.HOT;
            case FIELD:
                // Hot-add follows the flag the VM was powered on with; enabling it in the same apply does not help.
                if (k.name().equals(VmxKeys.NUMVCPUS) && "TRUE".equals(s.get(VmxKeys.VCPU_HOTADD))
                        && Integer.parseInt(desired) > Integer.parseInt(cur) && !want.containsKey(VmxKeys.CORES)) {
                    return Cost.HOT;
                }
                if (k.name().equals(VmxKeys.MEMSIZE) && "TRUE".equals(s.get(VmxKeys.MEM_HOTADD))
                        && Long.parseLong(desired) > Long.parseLong(cur)) {
                    return Cost.HOT;
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

    /**
     * Applies the changes: refuses power-cycle changes on a running VM unless allowed; otherwise optionally
     * snapshots, shuts the guest down (hard power-off only with force), sends one ReconfigVM_Task, powers
     * the VM back on, reads back every key and throws when the server did not keep one.
     *
     * <p>Waiting for the guest to answer again (SSH) after the power-on is the caller's part.
     */
    public ReconfigResult apply(VmRef vm, List<VmxChange> changes, ApplyOptions opts) {
        VmxState before = read(vm);
        if (changes.isEmpty()) {
            return new ReconfigResult(List.of(), null, false, false, before, before);
        }
        // Re-plan against the live state: the plan may be old, and the power state decides the costs.
        Map<String, String> desired = new LinkedHashMap<>();
        for (VmxChange c : changes) {
            String live = before.get(c.key());
            if (!VmxKeys.same(live, c.current())) {
                throw new TunerException(vm + ": " + c.key() + " changed since the plan (planned from " + show(c.current())
                        + ", now " + show(live) + "); plan again");
            }
            desired.put(c.key(), c.desired());
        }
        List<VmxChange> live = diff(before, desired);
        if (live.isEmpty()) {
            return new ReconfigResult(List.of(), null, false, false, before, before);
        }
        List<VmxChange> needCycle = live.stream().filter(c -> c.cost() == Cost.POWER_CYCLE).toList();
        // vcsim (and a careless API user) would take these on a running VM; real vSphere refuses or
        // half-applies them. So the tool holds the line itself.
        if (!needCycle.isEmpty() && !opts.allowPowerCycle()) {
            throw new TunerException("refusing to change " + vm + " while it is " + before.powerState().wire() + ": "
                    + needCycle.stream().map(VmxChange::toString).collect(Collectors.joining(", "))
                    + " need a power cycle; allow it with `power_cycle: allowed` or --allow-power-cycle");
        }
        if (!needCycle.isEmpty() && before.powerState() == PowerState.SUSPENDED) {
            // A guest shutdown needs a running guest, and vSphere refuses these changes on a suspended VM.
            throw new TunerException(vm + " is suspended: resume it or power it off before changing "
                    + needCycle.stream().map(VmxChange::key).collect(Collectors.joining(", ")));
        }
        ConfigSpec spec = buildSpec(before, live);
        TaskOptions tasks = opts.tasks();

        MoRef snapshot = null;
        if (opts.snapshot()) {
            snapshot = vsphere.createSnapshot(vm, "tuner-" + Instant.now().toString().replace(':', '-'),
                    "before tuner changed " + live.stream().map(VmxChange::key).collect(Collectors.joining(", ")), tasks);
        }
        boolean cycle = !needCycle.isEmpty() && before.powerState() == PowerState.POWERED_ON;
        boolean hard = false;
        if (cycle) {
            try {
                vsphere.shutdownGuest(vm, opts.shutdownTimeout());
            } catch (TunerException e) {
                if (!opts.force()) {
                    throw new TunerException(e.getMessage() + "; nothing was changed" + snapshotNote(snapshot), e);
                }
                if (vsphere.powerState(vm) != PowerState.POWERED_OFF) {
                    vsphere.powerOff(vm, tasks);
                }
                hard = true;
            }
        }
        try {
            vsphere.reconfigure(vm, spec, tasks);
        } catch (TunerException e) {
            if (cycle) {
                try {
                    vsphere.powerOn(vm, tasks);
                } catch (TunerException again) {
                    e.addSuppressed(again);
                    throw new TunerException(e.getMessage() + "; and powering " + vm + " back on failed: " + again.getMessage()
                            + snapshotNote(snapshot), e);
                }
            }
            throw new TunerException(e.getMessage() + (cycle ? "; " + vm + " was powered on again unchanged" : "")
                    + snapshotNote(snapshot), e);
        }
        if (cycle) {
            vsphere.powerOn(vm, tasks);
        }
        VmxState after = read(vm);
        verify(before, after, live, snapshot);
        if (snapshot != null) {
            vsphere.removeSnapshot(snapshot, tasks);
        }
        return new ReconfigResult(live, spec, cycle, hard, before, after);
    }

    private static String snapshotNote(MoRef snapshot) {
        return snapshot == null ? "" : " (snapshot " + snapshot.value() + " kept)";
    }

    private static String show(String v) {
        return v == null ? "(unset)" : v;
    }

    /** Every key must read back as sent, and a replaced NIC must keep its MAC address. */
    private static void verify(VmxState before, VmxState after, List<VmxChange> changes, MoRef snapshot) {
        List<String> dropped = new ArrayList<>();
        for (VmxChange c : changes) {
            String now = after.get(c.key());
            if (!VmxKeys.same(now, c.desired())) {
                dropped.add(c.key() + " (sent " + show(c.desired()) + ", reads " + show(now) + ")");
            }
            VmxKeys.Key k = VmxKeys.parse(c.key());
            if (k.kind() == VmxKeys.Kind.NIC_DEV) {
                String was = before.config().nics().get(k.index()).macAddress();
                List<Device> nics = after.config().nics();
                String is = k.index() < nics.size() ? nics.get(k.index()).macAddress() : null;
                if (!Objects.equals(was, is)) {
                    dropped.add("ethernet" + k.index() + " MAC address (was " + was + ", reads " + show(is) + ")");
                }
            }
        }
        if (!dropped.isEmpty()) {
            throw new TunerException(after.vm() + ": the server accepted the reconfigure but did not keep: "
                    + String.join("; ", dropped) + snapshotNote(snapshot));
        }
    }

    /**
     * One ConfigSpec for all changes. Device changes are ordered as vSphere needs them: a new controller
     * (negative temporary key) comes before the edits that move disks onto it, and the old controller is
     * removed only after nothing points at it.
     */
    static ConfigSpec buildSpec(VmxState s, List<VmxChange> changes) {
        ConfigSpec spec = new ConfigSpec();
        VmxConfigView c = new VmxConfigView(s.config());
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
                    Device old = c.scsi(k.index());
                    int key = tempKey--;
                    String type = VmxKeys.SCSI_TYPES.get(ch.desired());
                    StringBuilder d = new StringBuilder("<device xsi:type=\"").append(type).append("\">").append(Xml.el("key", key));
                    if (old.controllerKey() != null) {
                        d.append(Xml.el("controllerKey", old.controllerKey()));
                    }
                    d.append(Xml.el("busNumber", old.busNumber()));
                    String hotAdd = Xml.text(old.raw(), "hotAddRemove");
                    if (hotAdd != null) {
                        d.append(Xml.el("hotAddRemove", hotAdd.strip()));
                    }
                    String shared = Xml.text(old.raw(), "sharedBus");
                    d.append(Xml.el("sharedBus", shared == null ? "noSharing" : shared.strip())).append("</device>");
                    spec.deviceChange(DeviceChange.of(DeviceChange.Operation.ADD, d.toString(),
                            "add " + type + " on bus " + old.busNumber()));
                    for (Device attached : s.config().attachedTo(old.key())) {
                        spec.deviceChange(DeviceChange.of(DeviceChange.Operation.EDIT,
                                Xml.serialize(attached.raw(), "device", Map.of("controllerKey", Integer.toString(key)), null),
                                "move " + attached + " to the new controller"));
                    }
                    spec.deviceChange(DeviceChange.of(DeviceChange.Operation.REMOVE,
                            Xml.serialize(old.raw(), "device"), "remove " + old));
                }
                case NIC_DEV -> nicType.put(k.index(), ch.desired());
                case NIC_WOL -> wolByNic.put(k.index(), "TRUE".equals(ch.desired()));
                case DISK_SSD, EXTRA -> spec.extraConfig(k.name(), ch.desired() == null ? "" : ch.desired());
            }
        }
        for (Map.Entry<Integer, String> e : nicType.entrySet()) {
            Device old = c.nic(e.getKey());
            String type = VmxKeys.NIC_TYPES.get(e.getValue());
            Boolean wol = wolByNic.containsKey(e.getKey()) ? wolByNic.remove(e.getKey()) : old.wakeOnLan();
            spec.deviceChange(DeviceChange.of(DeviceChange.Operation.REMOVE, Xml.serialize(old.raw(), "device"), "remove " + old));
            spec.deviceChange(DeviceChange.of(DeviceChange.Operation.ADD, newNic(old, type, tempKey--, wol),
                    "add " + type + " with MAC " + old.macAddress()));
        }
        for (Map.Entry<Integer, Boolean> e : wolByNic.entrySet()) {
            Device nic = c.nic(e.getKey());
            spec.deviceChange(DeviceChange.of(DeviceChange.Operation.EDIT,
                    Xml.serialize(nic.raw(), "device", Map.of("wakeOnLanEnabled", e.getValue().toString()), "macAddress"),
                    "set wake-on-LAN of " + nic + " to " + e.getValue()));
        }
        return spec;
    }

    /**
     * The replacement adapter: same MAC address, network backing, connection settings and PCI unit (so it
     * stays ethernetN); no slot, so the server picks the PCI slot of the new type.
     */
    private static String newNic(Device old, String type, int key, Boolean wol) {
        StringBuilder d = new StringBuilder("<device xsi:type=\"").append(type).append("\">").append(Xml.el("key", key));
        org.w3c.dom.Element backing = Xml.child(old.raw(), "backing");
        if (backing != null) {
            d.append(Xml.serialize(backing, "backing"));
        }
        org.w3c.dom.Element connectable = Xml.child(old.raw(), "connectable");
        if (connectable != null) {
            d.append(Xml.serialize(connectable, "connectable"));
        }
        if (old.controllerKey() != null) {
            d.append(Xml.el("controllerKey", old.controllerKey()));
        }
        if (old.unitNumber() != null) {
            d.append(Xml.el("unitNumber", old.unitNumber()));
        }
        if (old.addressType() != null) {
            d.append(Xml.el("addressType", old.addressType().strip()));
        }
        if (old.macAddress() != null) {
            d.append(Xml.el("macAddress", old.macAddress().strip()));
        }
        if (wol != null) {
            d.append(Xml.el("wakeOnLanEnabled", wol));
        }
        return d.append("</device>").toString();
    }

    /** Finds the devices vmx keys name, with errors that say what the VM does have. */
    private record VmxConfigView(VmConfig c) {
        Device scsi(int bus) {
            return c.scsiControllers().stream().filter(d -> Objects.equals(d.busNumber(), bus)).findFirst()
                    .orElseThrow(() -> new TunerException("scsi" + bus + " does not exist on " + c.vm() + " (it has "
                            + names(c.scsiControllers().stream().map(d -> "scsi" + d.busNumber()).toList())
                            + "); the vmx kind changes controllers but does not add them"));
        }

        Device nic(int index) {
            List<Device> nics = c.nics();
            if (index >= nics.size()) {
                throw new TunerException("ethernet" + index + " does not exist on " + c.vm() + " (it has "
                        + (nics.isEmpty() ? "no network adapter" : "ethernet0" + (nics.size() > 1 ? "..ethernet" + (nics.size() - 1) : ""))
                        + "); the vmx kind changes adapters but does not add them");
            }
            return nics.get(index);
        }

        Device disk(int bus, int unit) {
            Device ctl = scsi(bus);
            return c.attachedTo(ctl.key()).stream().filter(d -> d.isDisk() && Objects.equals(d.unitNumber(), unit)).findFirst()
                    .orElseThrow(() -> new TunerException("scsi" + bus + ":" + unit + " is not a disk on " + c.vm() + " (disks on scsi"
                            + bus + ": " + names(c.attachedTo(ctl.key()).stream().filter(Device::isDisk)
                                    .map(d -> "scsi" + bus + ":" + d.unitNumber()).toList()) + ")"));
        }

        private static String names(List<String> l) {
            return l.isEmpty() ? "none" : String.join(", ", l);
        }
    }
}
