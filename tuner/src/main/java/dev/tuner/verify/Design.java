package dev.tuner.verify;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a host's change was measured, from the strongest evidence to the weakest.
 * <ul>
 *   <li>{@link #INTERLEAVED}: the change was undone and redone in rounds, both states measured in
 *       each round in a random order; each round gives a paired ratio, so anything the
 *       environment does at a pace slower than a round cancels out.</li>
 *   <li>{@link #CONTROL}: the change could not be toggled; hosts that were not changed ran the same
 *       benchmark at the same moments before and after, and each round's ratio is the changed
 *       host's after/before over the controls' (a shift of the environment both see cancels).</li>
 *   <li>{@link #BEFORE_AFTER}: all runs before, then all runs after, nothing to compare with: an
 *       environment that moved between the phases cannot be told from an effect.</li>
 * </ul>
 */
public enum Design {
    INTERLEAVED("interleaved"),
    CONTROL("control"),
    BEFORE_AFTER("before-after");

    private final String label;

    Design(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Whether each round gives a paired ratio (interleaved and control designs). */
    public boolean paired() {
        return this != BEFORE_AFTER;
    }
}
