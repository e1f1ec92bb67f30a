package dev.tuner.verify;

import java.util.List;
import java.util.Locale;

/**
 * Which benchmarks show the effect of a setting when a task says nothing about {@code verify:}.
 * Kept here, in one table, so a reviewer sees every default at a glance; a task's own
 * {@code verify:} list overrides it and {@code verify: none} turns measuring off.
 */
public final class DefaultBenchmarks {
    private DefaultBenchmarks() {}

    /**
     * @param kind  the setting kind: sysctl, governor, vmx, container (runtime names docker,
     *              containerd, crio and podman are accepted as kinds too)
     * @param key   the setting's key (a sysctl name, a .vmx key); may be null
     * @param value the desired value; may be null
     * @return benchmark names, possibly empty when nothing sensible measures the setting
     */
    public static List<String> defaultsFor(String kind, String key, String value) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        String name = key == null ? "" : key.trim();
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (k) {
            case "governor", "cpufreq", "cpu_governor":
                return List.of("cpu");
            case "sysctl":
                if (name.startsWith("vm.dirty_")) return List.of("disk");
                if (name.equals("vm.swappiness")) return List.of("memory");
                if (name.startsWith("net.")) return List.of("network");
                return List.of();
            case "vmx":
                String lower = name.toLowerCase(Locale.ROOT);
                // Virtual hardware: the device model is in the value (scsi0.virtualDev = "pvscsi").
                if (lower.matches("scsi\\d+\\.virtualdev") || v.equals("pvscsi")) return List.of("disk");
                if (lower.matches("ethernet\\d+\\.virtualdev") || v.equals("vmxnet3")) return List.of("network");
                return List.of();
            case "container", "containers", "docker", "containerd", "crio", "cri-o", "podman":
                return List.of("container");
            default:
                return List.of();
        }
    }
}
