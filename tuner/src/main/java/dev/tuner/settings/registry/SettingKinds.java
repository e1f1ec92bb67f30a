package dev.tuner.settings.registry;

import dev.tuner.settings.SettingKind;

import dev.tuner.settings.containerd.ContainerdKind;
import dev.tuner.settings.crio.CrioKind;
import dev.tuner.settings.docker.DockerKind;
import dev.tuner.settings.governor.GovernorKind;
import dev.tuner.settings.sysctl.SysctlKind;
import dev.tuner.settings.sysfs.SysfsKind;
import dev.tuner.settings.template.TemplateKind;
import dev.tuner.settings.vmx.VmxKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of setting kinds: adding a kind is one line here. */
public final class SettingKinds {
    private static final Map<String, SettingKind> KINDS = new LinkedHashMap<>();

    static {
        register(new SysctlKind());
        register(new SysfsKind());
        register(new GovernorKind());
        register(new DockerKind());
        register(new ContainerdKind());
        register(new CrioKind());
        register(new TemplateKind());
        register(new VmxKind());
    }

    private SettingKinds() {}

    private static void register(SettingKind kind) {
        KINDS.put(kind.name(), kind);
    }

    public static Optional<SettingKind> get(String name) {
        return Optional.ofNullable(KINDS.get(name));
    }

    public static SettingKind require(String name) {
        SettingKind k = KINDS.get(name);
        if (k == null) throw new IllegalArgumentException("unknown setting kind " + name);
        return k;
    }

    public static Set<String> names() {
        return KINDS.keySet();
    }
}
