package dev.tuner.transport;

import java.time.Duration;
import java.util.Map;

/**
 * How to reach one host, read from its inventory variables. Ansible's {@code ansible_*} names and
 * tuner's own {@code tuner_*} names are both accepted; tuner's win when both are set.
 */
public record ConnectionSpec(
        String hostName,
        String type,
        String address,
        int port,
        String user,
        String privateKeyFile,
        boolean become,
        String becomeUser,
        String sshCommonArgs,
        Duration connectTimeout,
        String knownHostsFile) {

    public static final String LOCAL = "local";
    public static final String SSH = "ssh";

    /** Without a known_hosts override ({@code tuner_known_hosts}): the ssh transport then uses ~/.ssh/known_hosts. */
    public ConnectionSpec(String hostName, String type, String address, int port, String user, String privateKeyFile,
                          boolean become, String becomeUser, String sshCommonArgs, Duration connectTimeout) {
        this(hostName, type, address, port, user, privateKeyFile, become, becomeUser, sshCommonArgs, connectTimeout, null);
    }

    public static ConnectionSpec fromVars(String hostName, Map<String, Object> vars) {
        String type = str(vars, "connection", null);
        String address = str(vars, "host", hostName);
        if (type == null) {
            // Ansible treats localhost without a connection var as an ssh target; we follow it,
            // except that an inventory saying nothing about a host named 'localhost' means local.
            type = ("localhost".equals(hostName) && !vars.containsKey("ansible_host") && !vars.containsKey("tuner_host"))
                    ? LOCAL : SSH;
        }
        if ("smart".equals(type) || "paramiko".equals(type)) type = SSH;
        int port = Integer.parseInt(str(vars, "port", "22"));
        String user = str(vars, "user", null);
        if (user == null) user = str(vars, "ssh_user", null);
        String key = str(vars, "ssh_private_key_file", null);
        boolean become = bool(str(vars, "become", "false"));
        String becomeUser = str(vars, "become_user", "root");
        String common = str(vars, "ssh_common_args", null);
        Duration timeout = Duration.ofSeconds(Long.parseLong(str(vars, "ssh_timeout", str(vars, "timeout", "10"))));
        // Ansible has no per-host known_hosts variable (it goes through ssh args); tuner_known_hosts is ours.
        Object knownHosts = vars.get("tuner_known_hosts");
        return new ConnectionSpec(hostName, type, address, port, user, key, become, becomeUser, common, timeout,
                knownHosts == null ? null : String.valueOf(knownHosts));
    }

    private static String str(Map<String, Object> vars, String suffix, String dflt) {
        Object v = vars.get("tuner_" + suffix);
        if (v == null) v = vars.get("ansible_" + suffix);
        return v == null ? dflt : String.valueOf(v);
    }

    static boolean bool(String s) {
        return switch (s.trim().toLowerCase()) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }

    public boolean isLocal() {
        return LOCAL.equals(type);
    }
}
