package dev.tuner.vsphere;

import java.util.Map;
import org.w3c.dom.Element;

/**
 * One VirtualDeviceConfigSpec of a reconfigure: an operation and the device as request XML. The
 * factories below send back what the server reported for a device, changed only where they say, so
 * settings the tool does not know survive the edit.
 */
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

    /** Removes the device. */
    public static DeviceChange remove(Device device) {
        return of(Operation.REMOVE, Xml.serialize(device.raw(), "device"), "remove " + device);
    }

    /** Attaches the device (a disk) to another controller, possibly one added by the same reconfigure (negative key). */
    public static DeviceChange moveToController(Device device, int controllerKey) {
        return of(Operation.EDIT, Xml.serialize(device.raw(), "device", Map.of("controllerKey", Integer.toString(controllerKey)), null),
                "move " + device + " to controller " + controllerKey);
    }

    /** Turns wake-on-LAN of a network adapter on or off. */
    public static DeviceChange wakeOnLan(Device nic, boolean enabled) {
        return of(Operation.EDIT, Xml.serialize(nic.raw(), "device", Map.of("wakeOnLanEnabled", Boolean.toString(enabled)), "macAddress"),
                "set wake-on-LAN of " + nic + " to " + enabled);
    }

    /**
     * A SCSI controller of another type in the place of {@code old}: same parent, bus number, hot-add
     * setting and bus sharing. {@code key} is a negative temporary key by which edits in the same
     * reconfigure move devices onto it.
     */
    public static DeviceChange addScsiControllerLike(Device old, String type, int key) {
        StringBuilder d = new StringBuilder("<device xsi:type=\"").append(type).append("\">").append(Xml.el("key", key));
        if (old.controllerKey() != null) {
            d.append(Xml.el("controllerKey", old.controllerKey()));
        }
        d.append(Xml.el("busNumber", old.busNumber()));
        String hotAdd = Xml.text(old.raw(), "hotAddRemove");
        if (hotAdd != null) {
            d.append(Xml.el("hotAddRemove", hotAdd.strip()));
        }
        String shared = Xml.text(old.raw(), "sharedBus");
        d.append(Xml.el("sharedBus", shared == null ? "noSharing" : shared.strip())).append("</device>");
        return of(Operation.ADD, d.toString(), "add " + type + " on bus " + old.busNumber());
    }

    /**
     * A network adapter of another type in the place of {@code old}: same MAC address, network backing,
     * connection settings and PCI unit (so the guest's n-th adapter stays the n-th); no slot, so the
     * server picks the PCI slot of the new type. {@code wakeOnLan} null leaves it out.
     */
    public static DeviceChange addNicLike(Device old, String type, int key, Boolean wakeOnLan) {
        StringBuilder d = new StringBuilder("<device xsi:type=\"").append(type).append("\">").append(Xml.el("key", key));
        Element backing = Xml.child(old.raw(), "backing");
        if (backing != null) {
            d.append(Xml.serialize(backing, "backing"));
        }
        Element connectable = Xml.child(old.raw(), "connectable");
        if (connectable != null) {
            d.append(Xml.serialize(connectable, "connectable"));
        }
        if (old.controllerKey() != null) {
            d.append(Xml.el("controllerKey", old.controllerKey()));
        }
        if (old.unitNumber() != null) {
            d.append(Xml.el("unitNumber", old.unitNumber()));
        }
        if (old.addressType() != null) {
            d.append(Xml.el("addressType", old.addressType().strip()));
        }
        if (old.macAddress() != null) {
            d.append(Xml.el("macAddress", old.macAddress().strip()));
        }
        if (wakeOnLan != null) {
            d.append(Xml.el("wakeOnLanEnabled", wakeOnLan));
        }
        return of(Operation.ADD, d.append("</device>").toString(), "add " + type + " with MAC " + old.macAddress());
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
