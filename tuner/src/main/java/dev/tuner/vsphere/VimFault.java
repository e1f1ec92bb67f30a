package dev.tuner.vsphere;

import dev.tuner.diag.TunerException;

/**
 * A fault reported by the server, either as a SOAP fault or as the error of a task. The message starts
 * with the vim25 fault type, as operators know it from the vSphere client: "InvalidPowerState: ...".
 */
public class VimFault extends TunerException {
    private final String faultType;

    public VimFault(String faultType, String detail) {
        super(faultType + ": " + detail);
        this.faultType = faultType;
    }

    /** The vim25 fault type without namespace prefix, e.g. "InvalidLogin". */
    public String faultType() {
        return faultType;
    }
}
