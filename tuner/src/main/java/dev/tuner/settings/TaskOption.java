package dev.tuner.settings;

import java.util.List;

/**
 * A task key a kind adds beside its own (vmx's {@code power_cycle}, {@code force},
 * {@code snapshot}). A play may give it too, as the default of its tasks. The playbook parser
 * accepts it only on tasks of kinds that declare it, checks its value, and the schema and the
 * docs list it with the kind.
 *
 * @param choices the allowed words; empty for a boolean option
 */
public record TaskOption(String name, String description, List<String> choices) {
    public TaskOption {
        choices = List.copyOf(choices);
    }

    public static TaskOption bool(String name, String description) {
        return new TaskOption(name, description, List.of());
    }

    public static TaskOption choice(String name, String description, String... choices) {
        return new TaskOption(name, description, List.of(choices));
    }

    public boolean isBoolean() {
        return choices.isEmpty();
    }
}
