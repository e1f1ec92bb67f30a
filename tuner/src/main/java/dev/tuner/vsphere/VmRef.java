package dev.tuner.vsphere;

/** A virtual machine found on the server: its reference and its name (for messages). */
public record VmRef(MoRef moRef, String name) {
    @Override
    public String toString() {
        return name + " (" + moRef.value() + ")";
    }
}
