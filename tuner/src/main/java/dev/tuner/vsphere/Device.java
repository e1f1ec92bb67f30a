package dev.tuner.vsphere;

import java.util.Set;
import org.w3c.dom.Element;

/**
 * A virtual device as the server reports it. The fields the tool reasons about are parsed; the whole
 * element is kept so an edit can send the device back unchanged except for what the tool changes.
 */
public final class Device {
    /** The vim25 subtypes of VirtualSCSIController. */
    private static final Set<String> SCSI_CONTROLLER_TYPES = Set.of("ParaVirtualSCSIController", "VirtualLsiLogicController",
            "VirtualLsiLogicSASController", "VirtualBusLogicController");
    /** The vim25 subtypes of VirtualEthernetCard other than the VirtualVmxnet family. */
    private static final Set<String> OTHER_ETHERNET_CARD_TYPES = Set.of("VirtualE1000", "VirtualE1000e", "VirtualPCNet32",
            "VirtualSriovEthernetCard");

    private final int key;
    private final String type;
    private final String label;
    private final Integer controllerKey;
    private final Integer unitNumber;
    private final Integer busNumber;
    private final String macAddress;
    private final String addressType;
    private final Boolean wakeOnLan;
    private final String backingType;
    private final Element raw;

    Device(Element raw) {
        this.raw = raw;
        this.type = Xml.xsiType(raw);
        this.key = Integer.parseInt(Xml.text(raw, "key").strip());
        this.label = Xml.text(Xml.child(raw, "deviceInfo") == null ? raw : Xml.child(raw, "deviceInfo"), "label");
        this.controllerKey = intOrNull(Xml.text(raw, "controllerKey"));
        this.unitNumber = intOrNull(Xml.text(raw, "unitNumber"));
        this.busNumber = intOrNull(Xml.text(raw, "busNumber"));
        this.macAddress = Xml.text(raw, "macAddress");
        this.addressType = Xml.text(raw, "addressType");
        String wol = Xml.text(raw, "wakeOnLanEnabled");
        this.wakeOnLan = wol == null ? null : Boolean.valueOf(wol.strip());
        Element backing = Xml.child(raw, "backing");
        this.backingType = backing == null ? null : Xml.xsiType(backing);
    }

    private static Integer intOrNull(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
    }

    public int key() { return key; }

    /** The vim25 type, e.g. "ParaVirtualSCSIController", "VirtualDisk", "VirtualVmxnet3". */
    public String type() { return type; }

    public String label() { return label; }

    public Integer controllerKey() { return controllerKey; }

    public Integer unitNumber() { return unitNumber; }

    /** For controllers. */
    public Integer busNumber() { return busNumber; }

    /** For network adapters. */
    public String macAddress() { return macAddress; }

    public String addressType() { return addressType; }

    public Boolean wakeOnLan() { return wakeOnLan; }

    public String backingType() { return backingType; }

    Element raw() { return raw; }

    public boolean isScsiController() {
        return SCSI_CONTROLLER_TYPES.contains(type);
    }

    public boolean isNic() {
        return type != null && (type.startsWith("VirtualVmxnet") || OTHER_ETHERNET_CARD_TYPES.contains(type));
    }

    public boolean isDisk() {
        return "VirtualDisk".equals(type);
    }

    @Override
    public String toString() {
        return type + "#" + key + (label == null ? "" : " '" + label + "'");
    }
}
