package dev.tuner.settings.vmx;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Suggest;
import dev.tuner.diag.TunerException;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.TaskOption;
import dev.tuner.settings.kit.TaskValues;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.transport.LocalConnection;
import dev.tuner.transport.TransportException;
import dev.tuner.vsphere.VSphere;
import dev.tuner.vsphere.VmRef;
import dev.tuner.yaml.YamlDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * VMware VM settings as vmx keys, through the vSphere API:
 * <pre>
 * - name: VM hardware for the database
 *   power_cycle: allowed        # or --allow-power-cycle; without it, changes that need the VM off are refused
 *   snapshot: true              # snapshot before the reconfigure, removed after success
 *   force: false                # hard power-off when the guest does not shut down in time
 *   vmx:
 *     numvcpus: 8
 *     ethernet0.virtualDev: vmxnet3
 *     disk.EnableUUID: TRUE
 *     some.advanced.key: ""     # empty or null removes an advanced setting
 * </pre>
 * The host names its VM with {@code vsphere_vm} and its endpoint with {@code vsphere} (see
 * {@link VsphereTarget}). The guest itself is reached over the host's usual connection: after a power
 * cycle the kind waits until it answers again. Absent advanced settings are shown and journaled as
 * the empty value, which is also how one removes them, so rollback of an added key removes it.
 */
public final class VmxKind implements SettingKind {
    public static final String NAME = "vmx";
    private static final KindInfo INFO = new KindInfo(NAME, "VMware VM settings as vmx keys (numvcpus, memsize, scsi0.virtualDev, any advanced key) through vCenter/ESXi",
            DefaultBenchmarks.firstOf(
            // Virtual hardware: the device model may be named by the value alone (scsi0.virtualDev = "pvscsi").
            DefaultBenchmarks.rule("disk", "scsiN.virtualDev", c -> VmxKeys.parse(c.key()).kind() == VmxKeys.Kind.SCSI_DEV || "pvscsi".equals(lower(c.desired()))),
            DefaultBenchmarks.rule("network", "ethernetN.virtualDev", c -> VmxKeys.parse(c.key()).kind() == VmxKeys.Kind.NIC_DEV || "vmxnet3".equals(lower(c.desired())))));
    private final Function<String, String> env;
    private final Duration guestPoll;

    public VmxKind() {
        this(System::getenv, Duration.ofSeconds(2));
    }

    /** With another environment for {@code password_env} and first pause between SSH attempts after a power-on (tests). */
    VmxKind(Function<String, String> env, Duration guestPoll) {
        this.env = env;
        this.guestPoll = guestPoll;
    }

    /** Power, shutdown and snapshot behaviour of a VM reconfigure; a play may give them as defaults for its tasks. */
    @Override
    public List<TaskOption> taskOptions() {
        return List.of(
                TaskOption.choice("power_cycle",
                        "allowed: the VM may be shut down, reconfigured and powered on for changes that need it; refused always wins", "allowed", "refused"),
                TaskOption.bool("force", "power the VM off hard when the guest does not shut down within vsphere_shutdown_timeout (default false)"),
                TaskOption.bool("snapshot", "snapshot the VM before reconfiguring it; removed after success, kept if the reconfigure fails (default false)"));
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    private static String lower(String value) {
        return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- validation

    @Override
    public List<String> hostVarProblems(Map<String, Object> vars) {
        if (!vars.containsKey(VsphereTarget.ENDPOINT_VAR)) return List.of();
        return VsphereTarget.inputProblems(vars.get(VsphereTarget.ENDPOINT_VAR)).stream()
                .map(p -> VsphereTarget.ENDPOINT_VAR + ": " + p).toList();
    }

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        MappingNode map = TaskValues.mapping(spec, doc, diags, "vmx: expected a mapping of vmx keys to values, e.g. {numvcpus: 8, ethernet0.virtualDev: vmxnet3}");
        if (map == null) return;
        if (map.getValue().isEmpty()) {
            diags.error(doc.at(spec), "vmx: no keys given");
        }
        Map<String, Node> seen = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode ks)) {
                diags.error(doc.at(t.getKeyNode()), "vmx: keys must be vmx key names, got a " + YamlDocument.typeName(t.getKeyNode()));
                continue;
            }
            String key = ks.getValue();
            Node v = t.getValueNode();
            if (!(v instanceof ScalarNode vs)) {
                diags.error(doc.at(v), "vmx: the value of '" + key + "' must be a single value, got a " + YamlDocument.typeName(v));
                continue;
            }
            if (Templater.isTemplated(key)) {
                continue;
            }
            String identity = VmxKeys.identity(key);
            if (seen.containsKey(identity)) {
                diags.error(doc.at(ks), "vmx: '" + key + "' is given twice in one task (vmx keys ignore case; first at "
                        + doc.at(seen.get(identity)) + ")");
                continue;
            }
            seen.put(identity, ks);
            if (Templater.isTemplated(vs.getValue())) {
                continue;
            }
            try {
                VmxValues.check(key, text(YamlDocument.scalar(vs)));
            } catch (VmxSpecException e) {
                diags.error(doc.at(e.part() == VmxSpecException.Part.KEY ? ks : vs), e.getMessage());
                continue;
            }
            if (VmxKeys.isAdvancedSetting(key)) {
                String near = Suggest.didYouMean(key, VmxKeys.keysWithApiForm());
                if (!near.isEmpty()) {
                    diags.warning(doc.at(ks), "vmx: '" + key + "' is not a key tuner knows, so it is set as an advanced setting"
                            + near);
                }
            }
        }
    }

    /** A YAML or template value as vmx text: booleans as the VMX writes them, null for "remove". */
    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return VmxKeys.vmxBool(b);
        }
        return String.valueOf(v);
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        if (!(spec instanceof Map<?, ?> map)) {
            throw new SpecException("vmx: expected a mapping of vmx keys to values");
        }
        List<Desired> out = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey()).strip();
            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                throw new SpecException("vmx: the value of '" + key + "' must be a single value");
            }
            String value = VmxValues.check(key, text(e.getValue()));
            String canonical = VmxKeys.canonical(key);
            if (seen.put(VmxKeys.identity(key), canonical) != null) {
                throw new SpecException("vmx: '" + canonical + "' is given twice in one task (vmx keys ignore case)");
            }
            out.add(new Desired(task, canonical, value == null ? "" : value));
        }
        return out;
    }

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        // Nothing to read in the guest: the VM's settings come from the vSphere API in plan().
    }

    // ---------------------------------------------------------------- plan

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        VsphereTarget t = VsphereTarget.of(host, env);
        return VsphereSessions.with(host, t, vs -> plan(vs, t, wanted, host));
    }

    private KindPlan plan(VSphere vs, VsphereTarget t, List<Desired> wanted, HostContext host) {
        VmxState state = VmxState.read(vs, vs.findVm(t.vm()));
        List<String> notes = new ArrayList<>();
        if (t.warning() != null) {
            notes.add(t.warning());
        }
        notes.add("vmx: VM " + state.vm() + " on " + t.url() + " (" + vs.serverName() + "), " + state.powerState().wire());

        // One value per key across the play's vmx tasks, as for every kind: the later task wins. The VM
        // is then reconfigured once.
        Map<String, Desired> byKey = SameKey.laterWins(wanted, d -> VmxKeys.identity(d.key()),
                (a, b) -> VmxKeys.same(orNull(a), orNull(b)), notes);
        Map<String, String> want = new LinkedHashMap<>();
        byKey.values().forEach(d -> want.put(d.key(), orNull(d.value())));
        VmxDiff.PerKey diff = VmxDiff.diffEach(state, want);

        List<Change> changes = new ArrayList<>();
        for (Desired d : byKey.values()) {
            String cur = state.get(d.key());
            VmxChange c = diff.changes().get(d.key());
            if (diff.failures().containsKey(d.key())) {
                changes.add(new Change(d.task(), NAME, d.key(), orEmpty(cur), d.value(), null, ChangeState.FAILED, Cost.NONE,
                        diff.failures().get(d.key())));
            } else if (c != null) {
                changes.add(new Change(d.task(), NAME, d.key(), orEmpty(c.current()), orEmpty(c.desired()), null, ChangeState.CHANGE,
                        c.cost(), note(c, d.task(), host)));
            } else {
                changes.add(new Change(d.task(), NAME, d.key(), orEmpty(cur), orEmpty(cur), null, ChangeState.OK, Cost.NONE, null));
            }
        }
        return new KindPlan(NAME, changes, List.of(), notes);
    }

    private static String note(VmxChange c, int task, HostContext host) {
        List<String> parts = new ArrayList<>();
        switch (c.cost()) {
            case NEXT_BOOT -> parts.add("stored now, takes effect at the VM's next power-on");
            case POWER_CYCLE -> parts.add(powerCycleAllowed(host, task)
                    ? "the VM will be shut down, reconfigured and powered on"
                    : "needs the VM powered off: apply refuses it without power_cycle: allowed or --allow-power-cycle");
            default -> { }
        }
        parts.addAll(c.warnings());
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** A task's {@code power_cycle} (task, else play) decides; without one, --allow-power-cycle. An explicit "refused" always wins. */
    static boolean powerCycleAllowed(HostContext host, int task) {
        Object o = host.taskOption(task, "power_cycle");
        if ("refused".equals(o)) {
            return false;
        }
        if ("allowed".equals(o)) {
            return true;
        }
        String flag = host.var(HostContext.ALLOW_POWER_CYCLE_VAR, "false").strip().toLowerCase(Locale.ROOT);
        return flag.equals("true") || flag.equals("yes") || flag.equals("1");
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        if (plan.changes().stream().noneMatch(Change::isChange)) {
            return new ApplyReport(plan.changes(), List.of(), List.of());
        }
        VsphereTarget t = VsphereTarget.of(host, env);
        // A server's fault (VimFault) reaches the host engine as it is: it fails and reverts this host only.
        return VsphereSessions.with(host, t, vs -> apply(vs, t, connection, plan, host));
    }

    private ApplyReport apply(VSphere vs, VsphereTarget t, Connection connection, KindPlan plan, HostContext host) {
        VmRef vm = vs.findVm(t.vm());
        VmxState state = VmxState.read(vs, vm);

        // Plans come from plan() or, for rollback, from the journal (current and desired swapped): both are
        // checked against the VM as it is now. A key already at its value is left alone (a revert of a change
        // that never happened); one that moved elsewhere since the plan is not overwritten blindly.
        Map<String, Change> result = new LinkedHashMap<>();
        Map<String, Change> todo = new LinkedHashMap<>();
        Map<String, String> desired = new LinkedHashMap<>();
        for (Change c : plan.changes()) {
            if (!c.isChange()) {
                result.put(c.key(), c);
                continue;
            }
            String live = state.get(c.key());
            if (VmxKeys.same(live, orNull(c.desired()))) {
                result.put(c.key(), c.withState(ChangeState.OK, "already " + show(c.desired())));
            } else if (VmxKeys.same(live, orNull(c.current()))) {
                todo.put(c.key(), c);
                desired.put(c.key(), orNull(c.desired()));
                result.put(c.key(), c);
            } else {
                result.put(c.key(), c.withState(ChangeState.FAILED, "changed since the plan by someone else (planned from "
                        + show(c.current()) + ", now " + show(orEmpty(live)) + "): left alone; plan again"));
            }
        }
        if (todo.isEmpty()) {
            return new ApplyReport(List.copyOf(result.values()), List.of(), List.of());
        }
        boolean force = todo.values().stream().anyMatch(c -> Boolean.TRUE.equals(host.taskOption(c.task(), "force")));
        boolean snapshot = todo.values().stream().anyMatch(c -> Boolean.TRUE.equals(host.taskOption(c.task(), "snapshot")));
        ApplyOptions opts = ApplyOptions.defaults()
                .withPowerCycle(key -> todo.containsKey(key) && powerCycleAllowed(host, todo.get(key).task()),
                        // A rollback has no playbook, only the command line.
                        host.taskOptions().isEmpty() ? "run the rollback with --allow-power-cycle" : ApplyOptions.ALLOW_IN_PLAYBOOK)
                .withForce(force).withSnapshot(snapshot).withShutdownTimeout(t.shutdownTimeout());
        VmxReconfigure vmx = new VmxReconfigure(vs);
        ReconfigResult r = vmx.apply(state, desired, opts);

        List<String> notes = new ArrayList<>();
        if (t.warning() != null) {
            notes.add(t.warning());
        }
        if (snapshot) {
            notes.add("vmx: snapshot of " + vm + " taken before the reconfigure and removed after it succeeded");
        }
        if (r.powerCycled()) {
            notes.add("vmx: " + vm + (r.hardPowerOff() ? " was powered off hard (force: true; the guest did not shut down in time)"
                    : " was shut down through its guest") + ", reconfigured and powered on");
            waitForGuest(connection, host, t, vs, vmx, r, opts, notes);
        }

        // Read back once more: after a power-on the VM runs on exactly what the server stored.
        VmxState after = VmxState.read(vs, vm);
        for (VmxChange c : r.applied()) {
            Change planned = todo.get(c.key());
            String now = after.get(c.key());
            Change done = new Change(planned.task(), NAME, c.key(), orEmpty(c.current()), orEmpty(c.desired()), null, ChangeState.CHANGE,
                    c.cost(), planned.note());
            result.put(c.key(), VmxKeys.same(now, c.desired()) ? done
                    : done.withState(ChangeState.FAILED, "reads " + show(orEmpty(now)) + " after the reconfigure"));
        }
        return new ApplyReport(List.copyOf(result.values()), List.of(), notes);
    }

    /**
     * The guest must answer again before the run goes on (benchmarks, other kinds, handlers use it). A guest
     * that never comes back is put back on its previous configuration, so it boots as it did before.
     */
    private void waitForGuest(Connection connection, HostContext host, VsphereTarget t, VSphere vs, VmxReconfigure vmx,
                              ReconfigResult r, ApplyOptions opts, List<String> notes) {
        if (connection instanceof LocalConnection) {
            notes.add("vmx: not waiting for the guest: " + host.hostName() + " is reached through the local connection, not the VM");
            return;
        }
        if (host.reconnect() == null) {
            notes.add("vmx: not waiting for the guest: no way to reconnect to " + host.hostName() + " here");
            return;
        }
        VmRef vm = r.before().vm();
        String what = "the guest of " + vm + " (" + host.hostName() + ")";
        try {
            GuestWait.until(what, host.reconnect(), t.guestTimeout(), guestPoll);
            notes.add("vmx: " + host.hostName() + " answers again after the power-on");
        } catch (ApplyException e) {
            String back;
            try {
                vmx.apply(VmxState.read(vs, vm), r.previousValues(), opts);
                GuestWait.until(what, host.reconnect(), t.guestTimeout(), guestPoll);
                back = vm + " was put back on its previous settings and its guest answers again";
            } catch (RuntimeException again) {
                back = "putting " + vm + " back on its previous settings failed too: " + again.getMessage();
            }
            throw new ApplyException(e.getMessage() + "; " + back);
        }
    }

    private static String orNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static String orEmpty(String v) {
        return v == null ? "" : v;
    }

    private static String show(String v) {
        return v == null || v.isEmpty() ? "(unset)" : v;
    }
}
