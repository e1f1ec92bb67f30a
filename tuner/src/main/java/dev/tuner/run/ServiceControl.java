package dev.tuner.run;

import dev.tuner.settings.HostContext;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.time.Duration;

/**
 * Restarts, reloads, starts or stops a service with the host's service manager
 * ({@code tuner_service_manager: systemd|sysv|none}, default systemd). {@code tuner_systemctl}
 * names the systemctl program (default {@code systemctl} on the PATH), for hosts that keep it
 * elsewhere or wrap it.
 */
final class ServiceControl {
    private ServiceControl() {}

    /** Returns null on success, else what went wrong in the host's words. */
    static String run(Connection c, HostContext host, String service, String state) {
        String manager = host.var("tuner_service_manager", "systemd");
        String verb = switch (state) {
            case "restarted" -> "restart";
            case "reloaded" -> "reload";
            case "started" -> "start";
            case "stopped" -> "stop";
            default -> throw new IllegalArgumentException(state);
        };
        String systemctl = Shell.quote(host.var("tuner_systemctl", "systemctl"));
        String script = switch (manager) {
            case "systemd" -> systemctl + " " + verb + " " + Shell.quote(service)
                    + (verb.equals("stop") ? "" : " && " + systemctl + " is-active --quiet " + Shell.quote(service));
            case "sysv" -> "service " + Shell.quote(service) + " " + verb;
            case "none" -> null;
            default -> "echo 'unknown tuner_service_manager " + manager.replaceAll("[^A-Za-z0-9_-]", "?") + "' >&2; exit 1";
        };
        if (script == null) return null;
        ExecResult r = c.exec(script, null, Duration.ofMinutes(3));
        if (r.ok()) return null;
        String msg = (r.err() + r.out()).strip();
        return "service " + service + " did not " + verb + (msg.isEmpty() ? "" : ": " + msg);
    }
}
