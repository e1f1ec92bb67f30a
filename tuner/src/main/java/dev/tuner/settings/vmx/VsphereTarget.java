package dev.tuner.settings.vmx;

import dev.tuner.diag.Suggest;
import dev.tuner.diag.TunerException;
import dev.tuner.settings.HostContext;
import dev.tuner.template.Templater;
import dev.tuner.vsphere.TlsPolicy;
import dev.tuner.vsphere.Vim25Client;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Secrets never sit in inventories or playbooks: a {@code password} key is refused, and so is a url
 * with a user or password in it ({@code https://svc:PW@vcenter}), which messages then show without them.
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
        List<String> problems = inputProblems(raw);
        if (!problems.isEmpty()) throw new TunerException(where + ": " + problems.get(0));
        String url = str(raw, "url");
        String user = str(raw, "user");
        String badUrl = urlProblem(url);
        if (badUrl != null) throw new TunerException(where + ": " + badUrl);
        URI uri = URI.create(url);

        String passwordEnv = str(raw, "password_env");
        String passwordFile = str(raw, "password_file");
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
        boolean insecure = Boolean.TRUE.equals(raw.get("insecure"));
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

    /**
     * What is wrong with a {@code vsphere} value by itself, without reading the environment or
     * any file: what {@code tuner validate} refuses as plan would. Values still holding {{ }} are
     * left for plan. Messages never repeat a password: a URL is shown without its user part.
     */
    static List<String> inputProblems(Object value) {
        List<String> out = new ArrayList<>();
        if (!(value instanceof Map<?, ?> raw)) {
            out.add("must be a mapping {url, user, password_env | password_file, thumbprint | ca_file}, got "
                    + (value == null ? "nothing" : "a " + value.getClass().getSimpleName()));
            return out;
        }
        for (Object k : raw.keySet()) {
            String key = String.valueOf(k);
            if (key.equals("password")) {
                out.add("'password' is refused: secrets do not belong in inventories or playbooks. "
                        + "Use password_env: VARIABLE (the password in an environment variable) or password_file: PATH "
                        + "(a file only you can read)");
            } else if (!KEYS.contains(key)) {
                out.add("unknown key '" + key + "'" + Suggest.didYouMean(key, KEYS) + "; known: " + String.join(", ", KEYS));
            }
        }
        String url = str(raw, "url");
        if (url == null || str(raw, "user") == null) out.add("give both url (https://vcenter.example.com) and user");
        if (url != null && !Templater.isTemplated(url)) {
            String problem = urlProblem(url);
            if (problem != null) out.add(problem);
        }
        if ((str(raw, "password_env") == null) == (str(raw, "password_file") == null)) {
            out.add("give exactly one of password_env (an environment variable holding the password) "
                    + "or password_file (a file holding it)");
        }
        Object insecure = raw.get("insecure");
        if (insecure != null && !(insecure instanceof Boolean) && !Templater.isTemplatedDeep(insecure)) {
            out.add("insecure must be true or false, got '" + insecure + "'");
        }
        if ((str(raw, "thumbprint") != null ? 1 : 0) + (str(raw, "ca_file") != null ? 1 : 0) + (Boolean.TRUE.equals(insecure) ? 1 : 0) > 1) {
            out.add("give at most one of thumbprint, ca_file or insecure: true");
        }
        return out;
    }

    /** What is wrong with the endpoint URL, naming it without any user or password it holds; null when fine. */
    private static String urlProblem(String url) {
        String shown = withoutCredentials(url);
        if (!shown.equals(url)) {
            return "url " + shown + " must not hold a user or password (USER:PASSWORD@HOST): give the user as 'user' and the"
                    + " password with password_env or password_file; the url is shown here without them";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "url '" + url + "' is not a URL: " + e.getReason() + " at index " + e.getIndex();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return "url '" + url + "' must be https://HOST[:PORT][/sdk] (the password is sent to it)";
        }
        return null;
    }

    /** The URL with everything between its scheme and the last '@' taken out: a user part, and any password in it. */
    static String withoutCredentials(String url) {
        int start = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (at < 0 || start < 0 || at < start) return at < 0 ? url : url.substring(at + 1);
        return url.substring(0, start + 3) + url.substring(at + 1);
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
