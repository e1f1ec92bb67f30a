package dev.tuner.settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a kind may know about the host it works on: its name, variables, gathered facts, and the
 * directory of the playbook (where a task's relative {@code src:} files are found; null when
 * there is no playbook, as in a rollback).
 */
public record HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts, Path playbookDir) {
    public HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts) {
        this(hostName, vars, facts, null);
    }

    /** A host variable as text, with a default. */
    public String var(String name, String dflt) {
        Object v = vars.get(name);
        return v == null ? dflt : String.valueOf(v);
    }
}
