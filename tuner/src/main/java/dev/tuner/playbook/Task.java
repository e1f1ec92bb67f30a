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

    /** How messages name the task: its name, or its kind and position. */
    public String label() {
        return name != null ? name : kind + " #" + (index + 1);
    }
}
