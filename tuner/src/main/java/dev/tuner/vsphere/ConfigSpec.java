package dev.tuner.vsphere;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of VirtualMachineConfigSpec the tool sends. Unset fields are left out, so the server keeps
 * their values. Written in WSDL element order (vSphere checks it even where vcsim does not).
 */
public final class ConfigSpec {
    private Integer numCpus;
    private Integer numCoresPerSocket;
    private Long memoryMB;
    private Boolean memoryHotAddEnabled;
    private Boolean cpuHotAddEnabled;
    private final List<DeviceChange> deviceChanges = new ArrayList<>();
    private final Map<String, String> extraConfig = new LinkedHashMap<>();

    public ConfigSpec numCpus(int n) { this.numCpus = n; return this; }

    public ConfigSpec numCoresPerSocket(int n) { this.numCoresPerSocket = n; return this; }

    public ConfigSpec memoryMB(long mb) { this.memoryMB = mb; return this; }

    public ConfigSpec memoryHotAddEnabled(boolean b) { this.memoryHotAddEnabled = b; return this; }

    public ConfigSpec cpuHotAddEnabled(boolean b) { this.cpuHotAddEnabled = b; return this; }

    public ConfigSpec deviceChange(DeviceChange c) { deviceChanges.add(c); return this; }

    /** An advanced setting; an empty value removes the key. */
    public ConfigSpec extraConfig(String key, String value) { extraConfig.put(key, value == null ? "" : value); return this; }

    public List<DeviceChange> deviceChanges() { return List.copyOf(deviceChanges); }

    public boolean isEmpty() {
        return numCpus == null && numCoresPerSocket == null && memoryMB == null && memoryHotAddEnabled == null
                && cpuHotAddEnabled == null && deviceChanges.isEmpty() && extraConfig.isEmpty();
    }

    String toXml(String element) {
        StringBuilder s = new StringBuilder("<" + element + ">");
        if (numCpus != null) s.append(Xml.el("numCPUs", numCpus));
        if (numCoresPerSocket != null) s.append(Xml.el("numCoresPerSocket", numCoresPerSocket));
        if (memoryMB != null) s.append(Xml.el("memoryMB", memoryMB));
        if (memoryHotAddEnabled != null) s.append(Xml.el("memoryHotAddEnabled", memoryHotAddEnabled));
        if (cpuHotAddEnabled != null) s.append(Xml.el("cpuHotAddEnabled", cpuHotAddEnabled));
        for (DeviceChange c : deviceChanges) s.append(c.toXml());
        for (Map.Entry<String, String> e : extraConfig.entrySet()) {
            // Without xsi:type on the OptionValue and its value the server cannot tell what it holds.
            s.append("<extraConfig xsi:type=\"OptionValue\">").append(Xml.el("key", e.getKey()))
                    .append("<value xsi:type=\"xsd:string\">").append(Xml.esc(e.getValue())).append("</value></extraConfig>");
        }
        return s.append("</").append(element).append(">").toString();
    }

    @Override
    public String toString() {
        return toXml("spec");
    }
}
