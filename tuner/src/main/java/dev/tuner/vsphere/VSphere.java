package dev.tuner.vsphere;

import java.time.Duration;

/**
 * The vSphere operations the tool needs, one session. Implemented by {@link Vim25Client} over vim25 SOAP;
 * the vmx setting kind depends only on this interface.
 */
public interface VSphere extends AutoCloseable {
    /** "VMware vCenter Server 8.0.2 build-..." as the server names itself. */
    String serverName();

    /** The vim25 API version in use (the SOAPAction sent with every call). */
    String apiVersion();

    /**
     * Finds a VM by BIOS UUID (8-4-4-4-12 hex), inventory path ("DC0/vm/web01": contains a slash) or
     * name (must be unique). Throws a TunerException naming what was searched when there is no such VM.
     */
    VmRef findVm(String nameOrPathOrUuid);

    /** Power state, CPU, memory, hot-add flags, devices and advanced settings, read in one request. */
    VmConfig readVm(VmRef vm);

    PowerState powerState(VmRef vm);

    /** ReconfigVM_Task, waited for. A task error becomes a {@link VimFault} ("InvalidDeviceSpec: ..."). */
    void reconfigure(VmRef vm, ConfigSpec spec, TaskOptions wait);

    void powerOn(VmRef vm, TaskOptions wait);

    /** Hard power-off (PowerOffVM_Task): the guest gets no chance to shut down cleanly. */
    void powerOff(VmRef vm, TaskOptions wait);

    /**
     * Asks VMware Tools in the guest to shut it down, then waits until the VM is powered off.
     * Throws a TunerException when it is still on after {@code timeout}.
     */
    void shutdownGuest(VmRef vm, Duration timeout);

    /** CreateSnapshot_Task without memory and without quiescing; returns the snapshot's reference. */
    MoRef createSnapshot(VmRef vm, String name, String description, TaskOptions wait);

    /** RemoveSnapshot_Task of this snapshot only (its children stay). */
    void removeSnapshot(MoRef snapshot, TaskOptions wait);

    /** Logs out. Never throws: a session that cannot be closed expires on the server. */
    @Override
    void close();
}
