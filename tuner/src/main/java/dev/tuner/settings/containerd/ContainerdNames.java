package dev.tuner.settings.containerd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plugin names across containerd config versions. Version 2 (containerd 1.x) keeps all CRI
 * settings under {@code plugins."io.containerd.grpc.v1.cri"}; version 3 (containerd 2.x) splits
 * them into {@code io.containerd.cri.v1.runtime} (runtimes, CNI, security), {@code
 * io.containerd.cri.v1.images} (snapshotter, registries, sandbox image as pinned_images.sandbox)
 * and leaves the streaming server under the old name. Users may write either spelling; keys are
 * mapped to the host's version, and a key with no known place there is refused rather than guessed.
 */
final class ContainerdNames {
    static final String CRI_V2 = "io.containerd.grpc.v1.cri";
    static final String RUNTIME_V3 = "io.containerd.cri.v1.runtime";
    static final String IMAGES_V3 = "io.containerd.cri.v1.images";

    /** Streaming-server options: the same place in both versions. */
    static final Set<String> SERVER = Set.of("disable_tcp_service", "stream_server_address", "stream_server_port",
            "stream_idle_timeout", "enable_tls_streaming", "x509_key_pair_streaming");
    /** Image options at the root of the v2 CRI table that v3 moved to the images plugin. */
    static final Set<String> IMAGES_ROOT = Set.of("registry", "image_decryption", "max_concurrent_downloads",
            "image_pull_progress_timeout", "image_pull_with_sync_fs", "stats_collect_period");
    /** Options under v2's cri.containerd table that v3 moved to the images plugin. */
    static final Set<String> IMAGES_FROM_CONTAINERD = Set.of("snapshotter", "disable_snapshot_annotations", "discard_unpacked_layers");
    /** Runtime options at the root of the v2 CRI table. */
    static final Set<String> RUNTIME_ROOT = Set.of("containerd", "cni", "enable_selinux", "selinux_category_range",
            "max_container_log_line_size", "disable_cgroup", "disable_apparmor", "restrict_oom_score_adj", "disable_proc_mount",
            "unset_seccomp_profile", "tolerate_missing_hugetlb_controller", "disable_hugetlb_controller",
            "device_ownership_from_security_context", "ignore_image_defined_volumes", "netns_mounts_under_state_dir",
            "enable_unprivileged_ports", "enable_unprivileged_icmp", "enable_cdi", "cdi_spec_dirs", "drain_exec_sync_io_timeout",
            "ignore_deprecation_warnings", "enable_tls_streaming_deprecated");

    private ContainerdNames() {}

    /** The path as the host's config version names it; IllegalArgumentException if it has no place there. */
    static List<String> forVersion(List<String> path, int version) {
        if (path.size() < 3 || !path.get(0).equals("plugins")) return path;
        String plugin = path.get(1);
        List<String> rest = path.subList(2, path.size());
        if (version >= 3 && plugin.equals(CRI_V2)) return toV3(path, rest);
        if (version == 2 && (plugin.equals(RUNTIME_V3) || plugin.equals(IMAGES_V3))) return toV2(path, plugin, rest);
        return path;
    }

    private static List<String> toV3(List<String> path, List<String> rest) {
        String first = rest.get(0);
        if (SERVER.contains(first)) return path;
        if (first.equals("sandbox_image")) return join(IMAGES_V3, List.of("pinned_images", "sandbox"));
        if (first.equals("containerd") && rest.size() >= 2 && IMAGES_FROM_CONTAINERD.contains(rest.get(1)))
            return join(IMAGES_V3, rest.subList(1, rest.size()));
        if (IMAGES_ROOT.contains(first)) return join(IMAGES_V3, rest);
        if (RUNTIME_ROOT.contains(first)) return join(RUNTIME_V3, rest);
        throw new IllegalArgumentException("the host's containerd config is version 3, where " + CRI_V2 + " holds only the streaming server; "
                + "tuner does not know where '" + first + "' moved: write the version 3 name under plugins.\"" + RUNTIME_V3
                + "\" or plugins.\"" + IMAGES_V3 + "\" (see containerd's docs/cri/config.md)");
    }

    private static List<String> toV2(List<String> path, String plugin, List<String> rest) {
        String first = rest.get(0);
        if (plugin.equals(RUNTIME_V3)) return join(CRI_V2, rest);
        if (first.equals("pinned_images")) {
            if (rest.size() == 2 && rest.get(1).equals("sandbox")) return join(CRI_V2, List.of("sandbox_image"));
            throw new IllegalArgumentException("the host's containerd config is version 2, which has no pinned_images other than the sandbox image (sandbox_image)");
        }
        if (IMAGES_FROM_CONTAINERD.contains(first)) {
            List<String> r = new ArrayList<>(List.of("containerd"));
            r.addAll(rest);
            return join(CRI_V2, r);
        }
        return join(CRI_V2, rest);
    }

    private static List<String> join(String plugin, List<String> rest) {
        List<String> out = new ArrayList<>(List.of("plugins", plugin));
        out.addAll(rest);
        return List.copyOf(out);
    }
}
