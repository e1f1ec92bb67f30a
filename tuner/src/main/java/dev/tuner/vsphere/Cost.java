package dev.tuner.vsphere;

/** What applying a vmx change costs the running VM. */
public enum Cost {
    /** Applies now without interrupting the VM (hot-add within the enabled limits, or the VM is off anyway). */
    HOT("hot"),
    /** Stored now, takes effect when the VM next powers on (advanced settings read by the VMX at start). */
    NEXT_POWER_ON("next power-on"),
    /** Needs the VM powered off: guest shutdown, reconfigure, power on. */
    POWER_CYCLE("power-cycle");

    private final String label;

    Cost(String label) {
        this.label = label;
    }

    /** As shown in a plan: "hot", "next power-on", "power-cycle". */
    public String label() {
        return label;
    }
}
