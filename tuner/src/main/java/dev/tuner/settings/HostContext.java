package dev.tuner.settings;

import dev.tuner.transport.Connection;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a kind may know about the host it works on: its name, variables, gathered facts, and the
 * directory of the playbook (where a task's relative {@code src:} files are found; null when
 * there is no playbook, as in a rollback).
 *
 * <p>Kinds that act on the host from outside (vmx, through vSphere) also get: each task's options
 * ({@code power_cycle}, {@code force}, {@code snapshot}; the play's merged under the task's), the
 * run's {@link RunScope} for sessions shared by all hosts, and a way to reconnect to the host when
 * the connection they were given died with a reboot of the guest.
 *
 * @param taskOptions options per task index in the play; empty for rollbacks
 * @param scope       lives as long as the run; null when the caller has none (a kind then opens and closes per call)
 * @param reconnect   drops the host's connection and opens a new one, owned and closed by the run; null = cannot
 */
public record HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts, Path playbookDir,
                          Map<Integer, Map<String, Object>> taskOptions, RunScope scope, Supplier<Connection> reconnect) {
    /** Set (true) by {@code --allow-power-cycle}; an inventory or {@code -e} may set it too. */
    public static final String ALLOW_POWER_CYCLE_VAR = "tuner_allow_power_cycle";

    public HostContext {
        taskOptions = taskOptions == null ? Map.of() : Map.copyOf(taskOptions);
    }

    public HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts, Path playbookDir) {
        this(hostName, vars, facts, playbookDir, Map.of(), null, null);
    }

    public HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts) {
        this(hostName, vars, facts, null);
    }

    /** A host variable as text, with a default. */
    public String var(String name, String dflt) {
        Object v = vars.get(name);
        return v == null ? dflt : String.valueOf(v);
    }

    /** One option of a task (task value, else the play's), or null. */
    public Object taskOption(int task, String name) {
        Map<String, Object> o = taskOptions.get(task);
        return o == null ? null : o.get(name);
    }
}
