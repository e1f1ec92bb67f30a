package dev.tuner.vsphere;

/** A managed object reference, e.g. {@code VirtualMachine:vm-57}. */
public record MoRef(String type, String value) {
    String toXml(String element) {
        return "<" + element + " type=\"" + Xml.esc(type) + "\">" + Xml.esc(value) + "</" + element + ">";
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
