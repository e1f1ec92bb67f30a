package dev.tuner.settings.vmx;

import dev.tuner.settings.SpecException;

/**
 * A vmx key or value that no VM can take ("ethernet0.present", "memsize: 1001"). Says which of the two
 * is wrong, so validation points at that one in the playbook.
 */
final class VmxSpecException extends SpecException {
    /** The part of a {@code key: value} pair that is wrong. */
    enum Part { KEY, VALUE }

    private final Part part;

    VmxSpecException(Part part, String message) {
        super(message);
        this.part = part;
    }

    Part part() {
        return part;
    }
}
