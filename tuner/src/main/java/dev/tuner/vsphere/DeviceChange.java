package dev.tuner.vsphere;

/** One VirtualDeviceConfigSpec of a reconfigure: an operation and the device as request XML. */
public final class DeviceChange {
    public enum Operation { ADD, EDIT, REMOVE }

    private final Operation operation;
    private final String deviceXml;
    private final String summary;

    private DeviceChange(Operation operation, String deviceXml, String summary) {
        this.operation = operation;
        this.deviceXml = deviceXml;
        this.summary = summary;
    }

    /** deviceXml is a complete {@code <device xsi:type="...">...</device>} element in WSDL order. */
    static DeviceChange of(Operation op, String deviceXml, String summary) {
        return new DeviceChange(op, deviceXml, summary);
    }

    public Operation operation() {
        return operation;
    }

    /** For messages and plans: "add ParaVirtualSCSIController on bus 0". */
    public String summary() {
        return summary;
    }

    String toXml() {
        // WSDL order: operation, fileOperation, device. No fileOperation: disks are moved, never created.
        return "<deviceChange>" + Xml.el("operation", operation.name().toLowerCase()) + deviceXml + "</deviceChange>";
    }

    @Override
    public String toString() {
        return summary;
    }
}
