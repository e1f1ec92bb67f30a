package dev.tuner.vsphere;

/** VirtualMachinePowerState. */
public enum PowerState {
    POWERED_ON("poweredOn"), POWERED_OFF("poweredOff"), SUSPENDED("suspended");

    private final String wire;

    PowerState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static PowerState fromWire(String s) {
        for (PowerState p : values()) {
            if (p.wire.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown power state '" + s + "'");
    }
}
