package dev.tuner.settings.vmx;

import dev.tuner.diag.TunerException;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.Cost;
import dev.tuner.vsphere.ConfigSpec;
import dev.tuner.vsphere.Device;
import dev.tuner.vsphere.MoRef;
import dev.tuner.vsphere.PowerState;
import dev.tuner.vsphere.TaskOptions;
import dev.tuner.vsphere.VSphere;
import dev.tuner.vsphere.VmRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Brings a VM to wanted vmx values in one ReconfigVM_Task: refuses changes that need a power cycle
 * unless allowed; otherwise optionally snapshots, shuts the guest down (hard power-off only with force),
 * reconfigures, powers the VM back on, reads back every key and fails on anything the server did not keep.
 *
 * <p>Waiting for the guest to answer again (SSH) after the power-on is the kind's part.
 */
final class VmxReconfigure {
    private final VSphere vsphere;

    VmxReconfigure(VSphere vsphere) {
        this.vsphere = Objects.requireNonNull(vsphere);
    }

    /**
     * Applies what differs between {@code before} (read just now: its power state decides the costs)
     * and {@code desired} (as {@link VmxDiff#diff} takes it).
     */
    ReconfigResult apply(VmxState before, Map<String, String> desired, ApplyOptions opts) {
        VmRef vm = before.vm();
        List<VmxChange> changes = VmxDiff.diff(before, desired);
        if (changes.isEmpty()) {
            return new ReconfigResult(List.of(), null, false, false, before, before);
        }
        List<VmxChange> needCycle = changes.stream().filter(c -> c.cost() == Cost.POWER_CYCLE).toList();
        List<VmxChange> refused = needCycle.stream().filter(c -> !opts.powerCycleAllowed().test(c.key())).toList();
        // vcsim (and a careless API user) would take these on a running VM; real vSphere refuses or
        // half-applies them. So the tool holds the line itself, and sends nothing: half of a VM's
        // changes is worse than none.
        if (!refused.isEmpty()) {
            throw new ApplyException("refusing to power-cycle " + vm + " (" + before.powerState().wire() + ") for "
                    + refused.stream().map(VmxChange::toString).collect(Collectors.joining(", "))
                    + ": " + opts.howToAllowPowerCycle() + "; nothing was changed");
        }
        if (!needCycle.isEmpty() && before.powerState() == PowerState.SUSPENDED) {
            // A guest shutdown needs a running guest, and vSphere refuses these changes on a suspended VM.
            throw new ApplyException(vm + " is suspended: resume it or power it off before changing "
                    + needCycle.stream().map(VmxChange::key).collect(Collectors.joining(", ")) + "; nothing was changed");
        }
        ConfigSpec spec = VmxSpec.build(before, changes);
        TaskOptions tasks = opts.tasks();

        MoRef snapshot = null;
        if (opts.snapshot()) {
            snapshot = vsphere.createSnapshot(vm, "tuner-" + Instant.now().toString().replace(':', '-'),
                    "before tuner changed " + changes.stream().map(VmxChange::key).collect(Collectors.joining(", ")), tasks);
        }
        boolean cycle = !needCycle.isEmpty() && before.powerState() == PowerState.POWERED_ON;
        boolean hard = false;
        if (cycle) {
            try {
                vsphere.shutdownGuest(vm, opts.shutdownTimeout());
            } catch (TunerException e) {
                if (!opts.force()) {
                    throw new ApplyException(e.getMessage() + "; nothing was changed" + snapshotNote(snapshot), e);
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
                    throw new ApplyException(e.getMessage() + "; and powering " + vm + " back on failed: " + again.getMessage()
                            + snapshotNote(snapshot), e);
                }
                throw new ApplyException(e.getMessage() + "; " + vm + " was powered on again unchanged" + snapshotNote(snapshot), e);
            }
            if (snapshot != null) {
                throw new ApplyException(e.getMessage() + snapshotNote(snapshot), e);
            }
            throw e;
        }
        if (cycle) {
            vsphere.powerOn(vm, tasks);
        }
        VmxState after = VmxState.read(vsphere, vm);
        verify(before, after, changes, snapshot);
        if (snapshot != null) {
            vsphere.removeSnapshot(snapshot, tasks);
        }
        return new ReconfigResult(changes, spec, cycle, hard, before, after);
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
            throw new ApplyException(after.vm() + ": the server accepted the reconfigure but did not keep: "
                    + String.join("; ", dropped) + snapshotNote(snapshot));
        }
    }
}
