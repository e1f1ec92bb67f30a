package dev.tuner.settings.crio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Suggest;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.files.TomlKey;
import dev.tuner.settings.files.TomlSpec;
import dev.tuner.settings.files.TomlValues;
import dev.tuner.settings.files.Trees;
import dev.tuner.settings.kit.ManagedHeader;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.Node;

/**
 * CRI-O settings in a drop-in the tool owns (default {@code /etc/crio/crio.conf.d/60-tuner.toml},
 * host var {@code tuner_crio_dropin}). CRI-O reads /etc/crio/crio.conf ({@code tuner_crio_config})
 * and then every file of crio.conf.d in lexical order, a later file's value of an option winning;
 * the plan reads them all, so it can say when a file sorting after the drop-in overrides a key.
 * Keys are crio.conf's dotted names, with or without the leading {@code crio.}:
 * {@code crio.runtime.cgroup_manager: systemd}, {@code image.pause_image: ...}.
 */
public final class CrioKind implements SettingKind {
    public static final String NAME = "crio";
    private static final KindInfo INFO = new KindInfo(NAME, "CRI-O crio.conf options in a managed crio.conf.d drop-in",
            DefaultBenchmarks.always("container"));
    public static final String DEFAULT_CONFIG = "/etc/crio/crio.conf";
    public static final String DEFAULT_DROPIN = "/etc/crio/crio.conf.d/60-tuner.toml";

    /** Options of crio.conf(5) by table; an unknown one is warned about (CRI-O versions add options). */
    static final Map<String, Set<String>> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("", Set.of("root", "runroot", "imagestore", "storage_driver", "storage_option", "log_dir", "version_file",
                "version_file_persist", "internal_wipe", "internal_repair", "clean_shutdown_file"));
        TABLES.put("api", Set.of("listen", "stream_address", "stream_port", "stream_enable_tls", "stream_idle_timeout", "stream_tls_cert",
                "stream_tls_key", "stream_tls_ca", "grpc_max_send_msg_size", "grpc_max_recv_msg_size"));
        TABLES.put("runtime", Set.of("default_ulimits", "no_pivot", "decryption_keys_path", "conmon", "conmon_cgroup", "conmon_env",
                "default_env", "selinux", "seccomp_profile", "privileged_seccomp_profile", "seccomp_use_default_when_empty",
                "apparmor_profile", "blockio_config_file", "blockio_reload", "irqbalance_config_file", "irqbalance_config_restore_file",
                "rdt_config_file", "cgroup_manager", "separate_pull_cgroup", "default_capabilities", "add_inheritable_capabilities",
                "default_sysctls", "allowed_devices", "additional_devices", "cdi_spec_dirs", "device_ownership_from_security_context",
                "hooks_dir", "default_mounts_file", "pids_limit", "log_size_max", "log_to_journald", "container_exits_dir",
                "container_attach_socket_dir", "bind_mount_prefix", "read_only", "log_level", "log_filter", "uid_mappings",
                "gid_mappings", "minimum_mappable_uid", "minimum_mappable_gid", "ctr_stop_timeout", "drop_infra_ctr",
                "infra_ctr_cpuset", "shared_cpuset", "namespaces_dir", "pinns_path", "enable_criu_support", "enable_pod_events",
                "default_runtime", "absent_mount_sources_to_reject", "hostnetwork_disable_selinux", "disable_hostport_mapping",
                "timezone", "runtimes", "workloads"));
        TABLES.put("image", Set.of("default_transport", "global_auth_file", "pause_image", "pause_image_auth_file", "pause_command",
                "pinned_images", "signature_policy", "signature_policy_dir", "insecure_registries", "image_volumes",
                "big_files_temporary_dir", "auto_reload_registries", "pull_progress_timeout", "short_name_mode"));
        TABLES.put("network", Set.of("cni_default_network", "network_dir", "plugin_dirs"));
        TABLES.put("metrics", Set.of("enable_metrics", "metrics_collectors", "metrics_host", "metrics_port", "metrics_socket",
                "metrics_cert", "metrics_key"));
        TABLES.put("tracing", Set.of("enable_tracing", "tracing_endpoint", "tracing_sampling_rate_per_million"));
        TABLES.put("stats", Set.of("stats_collection_period", "collection_period"));
        TABLES.put("nri", Set.of("enable_nri", "nri_listen", "nri_plugin_dir", "nri_plugin_config_dir", "nri_plugin_registration_timeout",
                "nri_plugin_request_timeout", "nri_disable_connections"));
    }

    /** Options CRI-O re-reads on SIGHUP (crio(8), "config reload"); any other change needs a restart. */
    static final Set<String> RELOADABLE = Set.of("crio.runtime.log_level", "crio.runtime.log_filter", "crio.runtime.decryption_keys_path",
            "crio.runtime.seccomp_profile", "crio.runtime.apparmor_profile", "crio.runtime.blockio_config_file",
            "crio.runtime.rdt_config_file", "crio.runtime.runtimes", "crio.image.pause_image", "crio.image.pause_image_auth_file",
            "crio.image.pause_command", "crio.image.pinned_images");

    static String dropinPath(HostContext host) {
        return host.var("tuner_crio_dropin", DEFAULT_DROPIN);
    }

    static String configPath(HostContext host) {
        return host.var("tuner_crio_config", DEFAULT_CONFIG);
    }

    /** crio.conf's full path of a key: {@code runtime.x} and {@code crio.runtime.x} are the same. */
    static List<String> canonical(List<String> path) {
        if (path.get(0).equals("crio")) return path;
        List<String> out = new ArrayList<>(List.of("crio"));
        out.addAll(path);
        return List.copyOf(out);
    }

    static Cost cost(List<String> path) {
        String full = TomlKey.format(path);
        for (String r : RELOADABLE) if (full.equals(r) || full.startsWith(r + ".")) return Cost.RELOAD;
        return Cost.RESTART;
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        TomlSpec.validate(NAME, spec, doc, diags, (raw, at) -> {
            List<String> path = canonical(raw);
            String problem = unknown(path);
            if (problem != null) diags.warning(doc.at(at), "crio: " + problem);
        });
    }

    /** Null if crio.conf(5) documents the key, else a message with a suggestion. */
    static String unknown(List<String> path) {
        if (path.size() < 2) return "'" + TomlKey.format(path) + "' is a table, not an option";
        Set<String> root = TABLES.get("");
        if (path.size() == 2) {
            if (root.contains(path.get(1))) return null;
            return "'" + TomlKey.format(path) + "' is not an option of crio.conf" + Suggest.didYouMean(path.get(1), root);
        }
        Set<String> table = TABLES.get(path.get(1));
        if (table == null)
            return "crio.conf has no table crio." + path.get(1) + Suggest.didYouMean(path.get(1), TABLES.keySet().stream().filter(s -> !s.isEmpty()).toList());
        if (!table.contains(path.get(2)))
            return "'" + path.get(2) + "' is not an option of [crio." + path.get(1) + "]" + Suggest.didYouMean(path.get(2), table);
        return null;
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        List<Desired> out = new ArrayList<>();
        TomlSpec.flatten(NAME, spec).forEach((path, v) -> out.add(new Desired(task, TomlKey.format(canonical(path)), TomlValues.value(v))));
        return out;
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        String dropin = dropinPath(host);
        script.file("crio:main", configPath(host));
        script.file("crio:dropin", dropin);
        Path dir = Path.of(dropin).getParent();
        if (dir != null) script.glob("crio:dir:", dir.toString(), "*");
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        String dropin = dropinPath(host);
        String config = configPath(host);
        List<String> notes = new ArrayList<>();
        Map<String, Desired> byKey = SameKey.laterWins(wanted, (a, b) -> Trees.same(a, b, TomlValues::parseValue), notes);
        ReadOutput.Entry mainEntry = current.entry("crio:main");
        ReadOutput.Entry dropEntry = current.entry("crio:dropin");
        if (mainEntry.status() == ReadOutput.Status.ERROR) return failAll(byKey, "cannot read " + config + ": " + mainEntry.text().strip(), notes);
        if (dropEntry.status() == ReadOutput.Status.ERROR) return failAll(byKey, "cannot read " + dropin + ": " + dropEntry.text().strip(), notes);
        String before = dropEntry.ok() ? dropEntry.text() : null;

        // Everything CRI-O reads, in its order: crio.conf, then crio.conf.d by name.
        TreeMap<String, String> dir = new TreeMap<>();
        current.withPrefix("crio:dir:").forEach((p, e) -> {
            if (e.ok()) dir.put(p, e.text());
        });
        dir.remove(dropin);
        ObjectNode merged;
        ObjectNode ours;
        try {
            ours = TomlValues.parse(before, dropin);
            merged = TomlValues.parse(mainEntry.ok() ? mainEntry.text() : null, config);
        } catch (IllegalArgumentException e) {
            return failAll(byKey, e.getMessage() + "; nothing will be written", notes);
        }
        String dropName = Path.of(dropin).getFileName().toString();
        List<String> after = new ArrayList<>();
        for (Map.Entry<String, String> f : dir.entrySet()) {
            String name = Path.of(f.getKey()).getFileName().toString();
            try {
                ObjectNode t = TomlValues.parse(f.getValue(), f.getKey());
                boolean sortsAfter = name.compareTo(dropName) > 0;
                if (sortsAfter) after.add(f.getKey());
                for (Map.Entry<List<String>, JsonNode> leaf : Trees.leaves(t).entrySet()) {
                    Trees.set(merged, leaf.getKey(), leaf.getValue());
                }
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage() + " (CRI-O will not start with it)");
            }
        }
        ObjectNode beforeAll = merged.deepCopy();
        for (Map.Entry<List<String>, JsonNode> leaf : Trees.leaves(ours).entrySet()) Trees.set(beforeAll, leaf.getKey(), leaf.getValue());
        // Files sorting after ours win over it: apply them again on top.
        for (String f : after) {
            for (Map.Entry<List<String>, JsonNode> leaf : Trees.leaves(TomlValues.parse(dir.get(f), f)).entrySet()) Trees.set(beforeAll, leaf.getKey(), leaf.getValue());
        }

        LinkedHashMap<List<String>, String> managed = new LinkedHashMap<>();
        Trees.leaves(ours).forEach((k, v) -> managed.put(k, TomlValues.value(v)));
        List<Change> changes = new ArrayList<>();
        for (Desired d : byKey.values()) {
            List<String> path = TomlKey.parse(d.key());
            JsonNode want = TomlValues.parseValue(d.value());
            JsonNode now = Trees.get(beforeAll, path);
            JsonNode inOurs = Trees.get(ours, path);
            managed.put(path, d.value());
            String note = null;
            String overriddenBy = after.stream().filter(f -> Trees.get(TomlValues.parse(dir.get(f), f), path) != null).reduce((a, b) -> b).orElse(null);
            if (overriddenBy != null && !Trees.same(Trees.get(TomlValues.parse(dir.get(overriddenBy), overriddenBy), path), want))
                note = "overridden by " + overriddenBy + ", which sorts after " + dropName;
            boolean ok = Trees.same(now, want) && Trees.same(inOurs, want);
            if (unknown(path) != null) notes.add("crio: " + unknown(path));
            changes.add(new Change(d.task(), NAME, d.key(), now == null ? null : TomlValues.value(now), d.value(), null,
                    ok ? ChangeState.OK : ChangeState.CHANGE, cost(path), note));
        }
        String text = TomlValues.document(ManagedHeader.hashComment(), managed);
        try {
            ObjectNode check = TomlValues.parse(text, dropin + " (as tuner would write it)");
            for (Desired d : byKey.values())
                if (!Trees.same(Trees.get(check, TomlKey.parse(d.key())), TomlValues.parseValue(d.value())))
                    return failAll(byKey, "the drop-in would not hold " + d.key() + " (a key is also used as a table); nothing will be written", notes);
        } catch (IllegalArgumentException e) {
            return failAll(byKey, e.getMessage() + "; nothing will be written", notes);
        }
        List<FileChange> files = new ArrayList<>();
        FileChange f = FileChange.of(-1, dropin, dropEntry, text, null);
        if (f.changes() && changes.stream().anyMatch(Change::isChange)) files.add(f);
        // Every key is the drop-in's content: as secret as the file.
        return new KindPlan(NAME, changes.stream().map(c -> c.inContentOf(dropin)).toList(), files, notes);
    }

    private static KindPlan failAll(Map<String, Desired> byKey, String why, List<String> notes) {
        return Refusal.failAll(NAME, byKey.values(), d -> cost(TomlKey.parse(d.key())), Desired::value, why, notes);
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        return new ApplyReport(plan.changes(), HostFiles.apply(connection, plan.files()), List.of());
    }
}
