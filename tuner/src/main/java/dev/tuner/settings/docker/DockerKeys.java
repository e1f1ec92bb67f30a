package dev.tuner.settings.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The daemon.json keys dockerd knows (from the dockerd reference, "Daemon configuration file",
 * Docker 20.10 to 28), with the JSON type dockerd decodes each into, and which ones dockerd
 * applies on SIGHUP ("Configuration reload behavior") instead of needing a restart.
 * dockerd refuses to start on a wrongly typed value, so types are checked before writing;
 * an unknown key is only warned about, since newer dockerd versions add keys.
 */
final class DockerKeys {
    enum Type { BOOL, INT, STRING, STRING_LIST, STRING_MAP, OBJECT, LIST }

    static final Map<String, Type> KEYS = new LinkedHashMap<>();

    static {
        for (String k : new String[] {"allow-direct-routing", "debug", "experimental", "icc", "init", "ip-forward", "ip-forward-no-drop",
                "ip-masq", "iptables", "ip6tables", "ipv6", "live-restore", "no-new-privileges", "raw-logs", "selinux-enabled", "tls",
                "tlsverify", "userland-proxy"})
            KEYS.put(k, Type.BOOL);
        for (String k : new String[] {"max-concurrent-downloads", "max-concurrent-uploads", "max-download-attempts", "mtu",
                "shutdown-timeout", "network-control-plane-mtu", "cpu-rt-period", "cpu-rt-runtime", "oom-score-adjust",
                "network-diagnostic-port"})
            KEYS.put(k, Type.INT);
        for (String k : new String[] {"api-cors-header", "bip", "bip6", "bridge", "bridge-accept-fwmark", "cgroup-parent", "containerd",
                "containerd-namespace", "containerd-plugins-namespace", "data-root", "default-cgroupns-mode", "default-gateway",
                "default-gateway-v6", "default-ipc-mode", "default-isolation", "default-runtime", "default-shm-size", "exec-root",
                "firewall-backend", "fixed-cidr", "fixed-cidr-v6", "group", "host-gateway-ip", "init-path", "ip", "log-driver",
                "log-format", "log-level", "metrics-addr", "pidfile", "seccomp-profile", "storage-driver", "swarm-default-advertise-addr",
                "tlscacert", "tlscert", "tlskey", "userland-proxy-path", "userns-remap", "cluster-advertise", "cluster-store"})
            KEYS.put(k, Type.STRING);
        for (String k : new String[] {"allow-nondistributable-artifacts", "authorization-plugins", "cdi-spec-dirs", "dns", "dns-opts",
                "dns-search", "exec-opts", "host-gateway-ips", "hosts", "insecure-registries", "labels", "node-generic-resources",
                "registry-mirrors", "storage-opts"})
            KEYS.put(k, Type.STRING_LIST);
        for (String k : new String[] {"log-opts", "cluster-store-opts"}) KEYS.put(k, Type.STRING_MAP);
        for (String k : new String[] {"builder", "default-network-opts", "default-ulimits", "features", "proxies", "runtimes"})
            KEYS.put(k, Type.OBJECT);
        KEYS.put("default-address-pools", Type.LIST);
    }

    /** Keys dockerd re-reads on SIGHUP (systemctl reload docker); everything else needs a restart. */
    static final Set<String> RELOADABLE = Set.of("debug", "labels", "live-restore", "max-concurrent-downloads", "max-concurrent-uploads",
            "max-download-attempts", "default-runtime", "runtimes", "authorization-plugins", "insecure-registries", "registry-mirrors",
            "allow-nondistributable-artifacts", "shutdown-timeout", "features", "network-diagnostic-port");

    /** Keys whose change hides what the daemon stored under the old value. */
    static final Map<String, String> WARNINGS = Map.of(
            "storage-driver", "images and containers of the previous storage driver are not visible under the new one (they stay on disk)",
            "data-root", "images, containers and volumes under the previous data-root are not visible from the new one (they stay on disk)",
            "userns-remap", "with user namespace remapping, existing images and containers live under a separate sub-directory of data-root");

    private DockerKeys() {}

    /** Null if the value has the type dockerd expects for this key (or the key is unknown), else what is wrong. */
    static String typeError(String key, JsonNode v) {
        Type t = KEYS.get(key);
        if (t == null) return null;
        return switch (t) {
            case BOOL -> v.isBoolean() ? null : "'" + key + "' must be true or false, got " + describe(v);
            case INT -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0 ? null
                    : "'" + key + "' must be a whole number, got " + describe(v);
            case STRING -> v.isTextual() ? null : "'" + key + "' must be a string, got " + describe(v);
            case STRING_LIST -> {
                if (!v.isArray()) yield "'" + key + "' must be a list of strings, got " + describe(v);
                for (JsonNode x : v) if (!x.isTextual()) yield "'" + key + "' must be a list of strings, got an item " + describe(x);
                yield null;
            }
            case STRING_MAP -> {
                if (!v.isObject()) yield "'" + key + "' must be a mapping of strings, got " + describe(v);
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isTextual())
                        yield "'" + key + "." + e.getKey() + "' must be a string (dockerd decodes " + key + " as strings only): write \""
                                + e.getValue().asText() + "\"";
                }
                yield null;
            }
            case OBJECT -> v.isObject() ? null : "'" + key + "' must be a mapping, got " + describe(v);
            case LIST -> v.isArray() ? null : "'" + key + "' must be a list, got " + describe(v);
        };
    }

    private static String describe(JsonNode v) {
        String type = v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isNumber() ? "a number" : v.isArray() ? "a list"
                : v.isObject() ? "a mapping" : "null";
        return type + " " + v;
    }
}
