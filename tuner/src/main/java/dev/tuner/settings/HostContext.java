package dev.tuner.settings;

import java.util.Map;

/** What a kind may know about the host it works on: its name, variables and gathered facts. */
public record HostContext(String hostName, Map<String, Object> vars, Map<String, Object> facts) {
    /** A host variable as text, tuner_* names first, with a default. */
    public String var(String name, String dflt) {
        Object v = vars.get(name);
        return v == null ? dflt : String.valueOf(v);
    }
}
