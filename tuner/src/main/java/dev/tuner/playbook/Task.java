package dev.tuner.playbook;

import dev.tuner.diag.Location;
import java.util.List;
import java.util.Map;

/**
 * One task: a setting kind and its value (raw, {{ }} still unresolved), with Ansible's
 * {@code when}, {@code tags} and {@code notify}, and tuner's {@code verify} and per-task options
 * ({@code rollback_on_regression} and the task options its kind declares).
 */
public record Task(
        int index,
        String name,
        String kind,
        Object spec,
        String when,
        List<String> tags,
        List<String> notifies,
        Object verify,
        Map<String, Object> options,
        Location at) {

    /** The task key (and play key, as the default for its tasks) that hides a task's values in all output, as in Ansible. */
    public static final String NO_LOG = "no_log";

    /** True when the task's values are hidden in all output ({@code no_log: true} on it or its play). */
    public boolean noLog() {
        return Boolean.TRUE.equals(options.get(NO_LOG));
    }

    /** The same task with a play's option as default, where the task does not set it. */
    Task withDefault(String option, Object value) {
        if (value == null || options.containsKey(option)) return this;
        Map<String, Object> o = new java.util.LinkedHashMap<>(options);
        o.put(option, value);
        return new Task(index, name, kind, spec, when, tags, notifies, verify, o, at);
    }

    /** How messages name the task: its name, or its kind and position. */
    public String label() {
        return name != null ? name : kind + " #" + (index + 1);
    }
}
