package dev.tuner.settings;

import java.util.Map;

/**
 * One setting a task asks for, after templates were resolved: a key, the wanted value, and
 * kind-specific options. {@code task} is the index of the task in its play, to group results.
 */
public record Desired(int task, String key, String value, Map<String, Object> options) {
    public Desired(int task, String key, String value) {
        this(task, key, value, Map.of());
    }
}
