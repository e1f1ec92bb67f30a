package dev.tuner.settings.vmx;

import dev.tuner.diag.Suggest;
import dev.tuner.diag.TunerException;
import dev.tuner.settings.HostContext;
import dev.tuner.vsphere.TlsPolicy;
import dev.tuner.vsphere.Vim25Client;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which VM an inventory host is and how to reach its vSphere endpoint, from the host's variables:
 * <pre>
 * vsphere_vm: db01                     # name, inventory path (DC0/vm/db01) or BIOS UUID
 * vsphere:                             # usually in group_vars
 *   url: https://vcenter.example.com
 *   user: svc-tuner@vsphere.local
 *   password_env: TUNER_VSPHERE_PASSWORD   # or password_file: /etc/tuner/vsphere.pass
 *   thumbprint: "AB:CD:..."               # or ca_file: /etc/tuner/vcenter-ca.pem, or insecure: true
 * vsphere_shutdown_timeout: 300        # seconds for a clean guest shutdown (default 300)
 * vsphere_guest_timeout: 600           # seconds for the guest's SSH to answer after power-on (default 600)
 * </pre>
 * Secrets never sit in inventories or playbooks: a {@code password} key is refused.
 *
 * @param key a stable name of the endpoint and credentials, to share one session per run
 * @param warning set when TLS is not verified, to be shown with every plan and apply
 */
record VsphereTarget(String vm, Vim25Client.Endpoint endpoint, String key, String warning, Duration shutdownTimeout,
                     Duration guestTimeout) {
    static final String VM_VAR = "vsphere_vm";
    static final String ENDPOINT_VAR = "vsphere";
    private static final List<String> KEYS = List.of("url", "user", "password_env", "password_file", "thumbprint", "ca_file", "insecure");

    /** Reads and checks the host's variables; the environment is passed in so tests need not change the real one. */
    static VsphereTarget of(HostContext host, Function<String, String> env) {
        Object vmVar = host.vars().get(VM_VAR);
        if (vmVar == null || String.valueOf(vmVar).isBlank()) {
            throw new TunerException("host " + host.hostName() + " names no VM: set " + VM_VAR + " (a VM name, inventory path or BIOS UUID) "
                    + "and " + ENDPOINT_VAR + " {url, user, password_env | password_file} in its host_vars or group_vars");
        }
        if (!(host.vars().get(ENDPOINT_VAR) instanceof Map<?, ?> raw)) {
            throw new TunerException("host " + host.hostName() + " has no vSphere endpoint: set " + ENDPOINT_VAR
                    + ": {url, user, password_env | password_file, thumbprint | ca_file} (usually in group_vars)"
                    + (host.vars().containsKey(ENDPOINT_VAR) ? "; it is a " + host.vars().get(ENDPOINT_VAR).getClass().getSimpleName()
                    + ", not a mapping" : ""));
        }
        String where = ENDPOINT_VAR + " of host " + host.hostName();
        for (Object k : raw.keySet()) {
            String key = String.valueOf(k);
            if (key.equals("password")) {
                throw new TunerException(where + ": 'password' is refused: secrets do not belong in inventories or playbooks. "
                        + "Use password_env: VARIABLE (the password in an environment variable) or password_file: PATH "
                        + "(a file only you can read)");
            }
            if (!KEYS.contains(key)) {
                throw new TunerException(where + ": unknown key '" + key + "'" + Suggest.didYouMean(key, KEYS) + "; known: "
                        + String.join(", ", KEYS));
            }
        }
        String url = str(raw, "url");
        String user = str(raw, "user");
        if (url == null || user == null) {
            throw new TunerException(where + ": give both url (https://vcenter.example.com) and user");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new TunerException(where + ": url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new TunerException(where + ": url '" + url + "' must be https://HOST[:PORT][/sdk] (the password is sent to it)");
        }

        String passwordEnv = str(raw, "password_env");
        String passwordFile = str(raw, "password_file");
        if ((passwordEnv == null) == (passwordFile == null)) {
            throw new TunerException(where + ": give exactly one of password_env (an environment variable holding the password) "
                    + "or password_file (a file holding it)");
        }
        String password;
        String secretSource;
        if (passwordEnv != null) {
            password = env.apply(passwordEnv);
            if (password == null || password.isEmpty()) {
                throw new TunerException(where + ": environment variable " + passwordEnv + " (password_env) is not set");
            }
            secretSource = "env:" + passwordEnv;
        } else {
            Path f = Path.of(passwordFile.startsWith("~/") ? System.getProperty("user.home") + passwordFile.substring(1) : passwordFile);
            try {
                // One line: a trailing newline from `echo secret > file` is not part of the password.
                password = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new TunerException(where + ": cannot read password_file " + f + ": " + e.getMessage());
            }
            if (password.isEmpty()) {
                throw new TunerException(where + ": password_file " + f + " is empty");
            }
            secretSource = "file:" + f.toAbsolutePath();
        }

        String thumbprint = str(raw, "thumbprint");
        String caFile = str(raw, "ca_file");
        Object insecureRaw = raw.get("insecure");
        if (insecureRaw != null && !(insecureRaw instanceof Boolean)) {
            throw new TunerException(where + ": insecure must be true or false, got '" + insecureRaw + "'");
        }
        boolean insecure = Boolean.TRUE.equals(insecureRaw);
        if ((thumbprint != null ? 1 : 0) + (caFile != null ? 1 : 0) + (insecure ? 1 : 0) > 1) {
            throw new TunerException(where + ": give at most one of thumbprint, ca_file or insecure: true");
        }
        TlsPolicy tls;
        String tlsKey;
        String warning = null;
        if (thumbprint != null) {
            tls = TlsPolicy.pinned(thumbprint);
            tlsKey = "pin:" + thumbprint.replace(":", "").toUpperCase();
        } else if (caFile != null) {
            Path ca = Path.of(caFile);
            if (!Files.isReadable(ca)) {
                throw new TunerException(where + ": ca_file " + ca + " does not exist or cannot be read");
            }
            tls = TlsPolicy.caFile(ca);
            tlsKey = "ca:" + ca.toAbsolutePath();
        } else if (insecure) {
            tls = TlsPolicy.insecure();
            tlsKey = "insecure";
            warning = "WARNING: the TLS certificate of " + url + " is not verified (insecure: true): anyone on the path can read "
                    + "the password and change what tuner sees; pin it with thumbprint: instead";
        } else {
            tls = TlsPolicy.system();
            tlsKey = "system";
        }
        Duration shutdown = seconds(host, "vsphere_shutdown_timeout", 300);
        Duration guest = seconds(host, "vsphere_guest_timeout", 600);
        return new VsphereTarget(String.valueOf(vmVar).strip(), new Vim25Client.Endpoint(uri, user, password, tls),
                url + "|" + user + "|" + secretSource + "|" + tlsKey, warning, shutdown, guest);
    }

    private static Duration seconds(HostContext host, String var, long dflt) {
        String v = host.var(var, Long.toString(dflt)).strip();
        try {
            long s = Long.parseLong(v);
            if (s > 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TunerException("host " + host.hostName() + ": " + var + " must be a number of seconds, got '" + v + "'");
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).strip();
    }

    /** The URL as shown in messages. */
    String url() {
        return endpoint.url().toString();
    }
}
